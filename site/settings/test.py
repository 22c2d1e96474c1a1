"""Tests: fast password hashing, in-memory e-mail, tasks run at once, uploads in a temp folder."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="urbanexchange-test-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="urbanexchange-test-private-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
ACCOUNT_RATE_LIMITS = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# Browser tests need a real server on a real port; everything else uses the test client.
BROWSER_TESTS_REQUIRED = os.environ.get("BROWSER_TESTS_REQUIRED", "") in {"1", "true", "yes"}
# Static files come straight from the app folders; nothing is collected for tests.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="urbanexchange-test-static-"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than SQLite's in-memory default: the browser tests' live server runs in
    # another thread with its own connection, as real workers do.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"urbanexchange-test-{os.getpid()}.sqlite3")
    }

# Tests fetch uploads through the same view as development.
SERVE_MEDIA = True
