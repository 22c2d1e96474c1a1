"""Account rules: who counts as a verified member, and how mail leaves the site."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from .models import User
from .tasks import send_email


def is_verified_member(user: User | AnonymousUser) -> bool:
    """A member may submit and register only once they have confirmed their e-mail address."""
    if not user.is_authenticated:
        return False
    # Imported here so that this module stays importable before allauth's app registry is ready.
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def absolute_url(path: str) -> str:
    """`path` on the site's public address (BASE_URL), for links in e-mails.

    Not the Wagtail Site's host name: it says "localhost" on a new site, while BASE_URL is the
    address people actually use.
    """
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def queue_email(message: EmailMessage) -> None:
    """Send `message` from a task once the current transaction commits.

    A failed send then never rolls back or loses what the person just did, and the task
    backend can retry it. Should queueing itself fail, the person still gets their answer and
    the error is logged (`robust`).
    """
    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (content for content, mime in message.alternatives if mime == "text/html"), None
        )
    kwargs = {
        "subject": str(message.subject),
        "body": message.body,
        "to": list(message.to),
        "from_email": message.from_email,
        "html": html,
        "reply_to": list(message.reply_to) or None,
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs), robust=True)
