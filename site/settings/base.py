"""Settings shared by every environment.

Configuration comes from the environment; a `.env` file at the project root is read first
if present (it never overrides variables already set). Each variable is documented in the
README's configuration reference.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Only what the code or Wagtail itself uses. Not installed: wagtail.contrib.forms (no form
# pages), wagtail.embeds (no embeds: they would fetch from third parties), wagtail.contrib.settings
# (no site settings), django.contrib.admin (Wagtail's admin is the only one; it uses
# django.contrib.admin.utils, which works without the app), rest_framework (the API answers in
# JSON; the app only adds DRF's browsable pages), django_filters (Wagtail's admin filters bring
# their own widget templates). A database made before they went keeps their tables, unused.
INSTALLED_APPS = [
    # Project apps first so that their templates override the packages' ones.
    "urbanexchange",
    "home",
    "academy",
    "events",
    "practices",
    "accounts",
    "core",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "urbanexchange.middleware.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "urbanexchange.urls"
WSGI_APPLICATION = "urbanexchange.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Base templates live in the project package (site/templates), found through APP_DIRS
        # because `urbanexchange` is the first installed app.
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# SQLite is the embedded default. It is tuned for a multi-process server (gunicorn workers):
# WAL lets readers run beside a writer, the busy timeout makes a writer wait instead of failing,
# and IMMEDIATE transactions take the write lock at BEGIN so that two transactions never
# deadlock upgrading a read lock ("database is locked").
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    # A persistent connection per thread is cheap with SQLite, and keeps the PRAGMAs applied once.
    DATABASES["default"]["CONN_MAX_AGE"] = None if DATABASES["default"]["CONN_MAX_AGE"] else 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "urbanexchange",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "urbanexchange",
        }
    }

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
# The sign-in form goes e-mail, password, button: no "remember me" box or reset link between
# them (accounts.signin.LoginForm). Without the box, the session ends when the browser closes:
# city officers often work on shared computers, and staying signed in for weeks there would
# leave a moderator's or editor's account open to the next person.
ACCOUNT_FORMS = {"login": "accounts.signin.LoginForm"}
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_UNIQUE_EMAIL = True
# Members may sign in before they verify their address, but every member-only page refuses
# them with a clear message until they do (see accounts.decorators.verified_member_required).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Urban Exchange] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# How many proxies of our own stand in front of the site and append to X-Forwarded-For. allauth's
# sign-in limits and core.ratelimit (contact form, registrations) both count the client address
# that the outermost of them saw; 0 means "count the address that connected".
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Urban Exchange"

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "en"
# English first. Add a language here (and its catalogue under locale/) and the language
# switcher in the header appears by itself.
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
# Dates as European readers write them (site/formats/): "31 December 2026, 17:31 CET".
FORMAT_MODULE_PATH = ["urbanexchange.formats"]
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
# Files that only some people may read (the Urban Academy's dilemma attachments): outside
# MEDIA_ROOT, so that no web server serves them; the views that check who asks do.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o644
# Only development serves MEDIA_ROOT itself (through urbanexchange.views.media, which adds the
# headers the proxy sends in production); see the README's Production section.
SERVE_MEDIA = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- E-mail -----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Urban Exchange <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_FILE_PATH = VAR_DIR / "mail"
# Every e-mail is kept (core.models.OutgoingEmail) so that failed ones can be sent again;
# `manage.py purge_sent_emails` deletes the sent ones after this many days.
EMAIL_KEEP_SENT_DAYS = int(os.environ.get("EMAIL_KEEP_SENT_DAYS", "30"))


def email_settings_from_url(url: str) -> dict:
    """Turn `smtp://user:password@host:587?tls=1` (or `smtps://` for SSL) into EMAIL_* settings."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp" and query.get("tls", "") in {"1", "true"},
    }


# Everything Django, Wagtail and allauth send is queued by core.mail (recorded, sent after the
# commit, retried); the queue hands each message to EMAIL_DELIVERY_BACKEND.
EMAIL_BACKEND = "core.mail.QueueingBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
if os.environ.get("EMAIL_URL"):
    globals().update(email_settings_from_url(os.environ["EMAIL_URL"]))

# --- Background tasks -------------------------------------------------------------------
# E-mails and invites run as tasks after the transaction commits, so a failing mail server
# never loses or rolls back what the person did. Development and tests run them at once (a
# failing e-mail is then retried at once, without waiting: see core.mail); production queues
# them in the database for `manage.py db_worker`, which also runs the delayed retries.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Events -----------------------------------------------------------------------------
# Hours a visitor has to confirm their address before the registration lapses.
EVENT_EMAIL_CONFIRMATION_HOURS = int(os.environ.get("EVENT_EMAIL_CONFIRMATION_HOURS", "48"))
# Hours before the start that send_event_reminders e-mails confirmed participants.
EVENT_REMINDER_HOURS = int(os.environ.get("EVENT_REMINDER_HOURS", "24"))
# Months after an event that purge_registrations removes its registrations' personal data.
EVENT_REGISTRATION_RETENTION_MONTHS = int(
    os.environ.get("EVENT_REGISTRATION_RETENTION_MONTHS", "12")
)

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Urban Exchange"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
# The admin signs in through allauth, so staff two-factor authentication covers it too.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's database backend picks PostgreSQL full-text search on PostgreSQL and
    # SQLite FTS5 on SQLite. Both stem English words ("migrant" finds "migrants"): here the
    # text search configuration; on SQLite the FTS5 tokenizer (core migration 0003).
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "odt",
    "ppt",
    "pptx",
    "odp",
    "xls",
    "xlsx",
    "ods",
    "csv",
    "txt",
    "rtf",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents go through Wagtail's serve view, never a link into /media/: that is where the
# documents of draft practices are kept from the public (practices.wagtail_hooks), and where
# every document is sent as a download (none inline) with nosniff and a CSP of its own.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# A 24-megapixel camera photo fits; a 40-megapixel one is refused: the pages show photos at
# most 960 pixels wide, and decoding one takes about 4 bytes a pixel of the server's memory.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 25_000_000
# The admin's image uploads get core's checks too, so that a damaged file is a message.
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.uploads.ImageForm"
# Gravatar would send a hash of each person's e-mail address to a third party, and shows
# broken images where the admin runs offline; Wagtail shows its own default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
# Review e-mails go to the groups of the workflow task (the reviewers), each as their Wagtail
# notification preferences say; an administrator who wants them joins a reviewing group.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# Approving a workflow publishes, even for reviewers who may not publish themselves.
WAGTAIL_FINISH_WORKFLOW_ACTION = "core.workflows.publish_approved_revision"
WAGTAILADMIN_COMMENTS_ENABLED = True

# --- Security defaults shared by every environment --------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Every response gets a Content-Security-Policy (django-csp): scripts, styles, images, fonts
# and frames only from the site itself, and no inline script or style, so that markup which
# slips into a page cannot run. The site's own templates have none. Wagtail's admin still
# writes inline scripts and styles; urbanexchange.middleware allows them under /admin/ only.
_MEDIA_ORIGIN = _origin(MEDIA_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the images that allauth (the two-factor QR code) and Wagtail write inline.
        "img-src": [SELF, "data:", *([_MEDIA_ORIGIN] if _MEDIA_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run is noise; failures are still logged as errors.
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
