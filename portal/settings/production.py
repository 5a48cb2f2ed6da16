"""Production: refuses to start without a strong secret key, a database, Redis and allowed
hosts.

The container image is built without any of those: its build runs `collectstatic` and
`compilemessages` with PORTAL_BUILD=1, which lets exactly those two commands load these
settings with placeholder values. Anything else (gunicorn, celery, migrate, a shell)
still refuses to start, with or without PORTAL_BUILD.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")
_BUILD_COMMANDS = ("collectstatic", "compilemessages")

_building = (
    os.environ.get("PORTAL_BUILD") == "1" and len(sys.argv) > 1 and sys.argv[1] in _BUILD_COMMANDS
)
if _building:
    # Placeholders for a process that only copies and compiles files: it opens no
    # database or Redis connection and signs nothing.
    for _name, _value in {
        "SECRET_KEY": "build-only-" + "x" * 50,
        "DATABASE_URL": "postgres://build@127.0.0.1:1/build",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "ALLOWED_HOSTS": "build.invalid",
    }.items():
        os.environ.setdefault(_name, _value)

# Checked before base.py is imported: without DATABASE_URL it would start an embedded
# PostgreSQL for development, which has no place in a production process.
_missing = [name for name in _REQUIRED if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(_missing)
    )

# A key that is in this repository, a placeholder from a guide, or short or repetitive
# enough to guess lets anyone forge sessions, password reset links and CSRF tokens.
_PLACEHOLDERS = ("changeme", "change-me", "change_me", "replace-me", "your-secret", "example")


def _secret_key_weakness(key: str) -> str | None:
    if key.startswith(("development-only-", "django-insecure-")):
        return "the development key"
    if key.startswith("build-only-") and not _building:
        return "the build placeholder"
    if any(word in key.lower() for word in _PLACEHOLDERS):
        return "a placeholder"
    if len(key) < 50:
        return "shorter than 50 characters"
    if len(set(key)) < 5:
        return "fewer than 5 different characters"
    return None


_weakness = _secret_key_weakness(os.environ["SECRET_KEY"])
if _weakness:
    raise ImproperlyConfigured(
        f"SECRET_KEY is not fit for production: {_weakness}. Set it to 50 or more random "
        "characters, e.g. the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

from .base import *  # noqa: E402, F403
from .base import env, env_bool, env_list  # noqa: E402

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# One JSON object a log line for the collector (LOG_FORMAT=plain for a person reading).
LOG_FORMAT = env("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env("S3_BUCKET"):
    # Any S3-compatible service (MinIO, AWS, a Danish cloud provider).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
