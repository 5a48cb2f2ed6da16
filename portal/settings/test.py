"""Tests: the running PostgreSQL (DATABASE_URL) or the embedded one, a real SMTP sink.

The SMTP host and port are set by tests/conftest.py, which starts an aiosmtpd server.
Celery runs tasks inline unless a test starts a real worker (see tests/conftest.py).
"""

import os

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
# Tests that need the broker use this Redis database and flush it. Under pytest-xdist each
# worker (gw0, gw1, ...) takes its own database below that one, and its own media folder.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
_redis_url, _, _redis_db = env("TEST_REDIS_URL", "redis://127.0.0.1:6379/15").rpartition("/")
TEST_REDIS_URL = f"{_redis_url}/{int(_redis_db) - _WORKER}"
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
# Tasks run in the request, so a test sees their result at once; the tests of the
# background path turn this on (tests/dashboard/test_report_progress.py).
TASKS_INLINE_IN_BACKGROUND = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = 0  # replaced by the SMTP sink's port at session start
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / f"gw{_WORKER}"  # noqa: F405
PORTAL_BASE_URL = "http://testserver"
# Templates that exist only for tests (e.g. notifications that show the language they were
# rendered in), looked up after the project's own.
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
# Quiet tests; a server or worker a test starts may ask for more (LOG_LEVEL=INFO).
LOGGING["root"]["level"] = env("LOG_LEVEL", "WARNING")  # noqa: F405

# Static files come from the finders here; WhiteNoise serves the collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
