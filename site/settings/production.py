"""Production: refuses to start without a secret key; HTTPS everywhere; tasks queued in the DB."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

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

# Wagtail's live preview shows the page in a same-origin frame, so frames stay allowed from
# the site itself (SAMEORIGIN) rather than denied outright.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
