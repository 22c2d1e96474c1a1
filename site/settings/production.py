"""Production: refuses to start without a secret key; HTTPS everywhere; tasks queued in the DB."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, SECRET_KEY, VAR_DIR, env_bool

DEBUG = False

if not SECRET_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value in production, for example with\n"
        "  python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

# Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=1 and the proxy must send
# X-Forwarded-Proto. SECURE_SSL_REDIRECT can be switched off where the proxy redirects itself.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload flag alone changes nothing until the domain is submitted to the preload list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The practice library caches its lists and pages under a version that a publication changes.
# Every worker process must see that change, so without Redis the cache lives in files that all
# processes on the host share, rather than in each process's memory.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Wagtail's live preview shows the page in a same-origin frame, so frames stay allowed from
# the site itself (SAMEORIGIN) rather than denied outright.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
