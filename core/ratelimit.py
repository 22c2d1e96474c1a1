"""Rate limits for what visitors can do without an account (contact forms, registrations).

`client_ip` is allauth's own client address, so these limits honour the same trusted-proxy
settings as the sign-in limits (`ALLAUTH_TRUSTED_PROXY_COUNT`, `ALLAUTH_TRUSTED_CLIENT_IP_HEADER`):
behind the documented proxy, every visitor is counted on their own address, not the proxy's.

`take` counts in the database (see `core.models.RateLimitWindow` for why not the cache).
"""

from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import RateLimitWindow

HOUR = 60 * 60
DAY = 24 * HOUR


def client_ip(request: HttpRequest) -> str:
    """The visitor's address as allauth sees it; "" when it cannot be told."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No address, or a forwarded chain shorter than the proxies we trust: count such
        # requests together rather than failing them.
        return ""


def take(key: str, *, limit: int, window: int) -> bool:
    """Count one more use of `key`; False if that goes over `limit` uses in `window` seconds.

    Fixed windows that start with the first use. A refused use is not counted, so someone who
    is refused does not extend their own wait.
    """
    now = timezone.now()
    key = key[:255]
    with transaction.atomic():
        row = RateLimitWindow.objects.select_for_update().filter(key=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    RateLimitWindow.objects.create(key=key, started=now, count=1)
                return limit >= 1
            except IntegrityError:
                # Another process created it a moment ago: count on its row.
                row = RateLimitWindow.objects.select_for_update().get(key=key)
        if row.started <= now - timedelta(seconds=window):
            row.started, row.count = now, 0
        if row.count >= limit:
            return False
        row.count += 1
        row.save(update_fields=["started", "count"])
        return True


def purge_expired(older_than: int = DAY) -> int:
    """Delete windows that started more than `older_than` seconds ago; the number deleted."""
    cutoff = timezone.now() - timedelta(seconds=older_than)
    deleted, _ = RateLimitWindow.objects.filter(started__lt=cutoff).delete()
    return deleted
