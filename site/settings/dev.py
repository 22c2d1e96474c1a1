"""Development: debug on, e-mail written to files under var/mail/ so a person can open them."""

import os

from .base import *  # noqa: F403
from .base import EMAIL_FILE_PATH, STATIC_ROOT, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"

if not os.environ.get("EMAIL_URL"):
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH.mkdir(parents=True, exist_ok=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the app folders without collectstatic, and pick up edits at once.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# The development server serves uploads itself, with the headers the proxy sends in production.
SERVE_MEDIA = True
