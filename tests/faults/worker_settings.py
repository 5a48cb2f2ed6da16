"""Settings of a Celery worker process started by a fault test (see services.Worker):
the test settings, but a real broker, the test's database and its SMTP sink."""

import os

from portal.settings.test import *  # noqa: F403
from portal.settings.test import DATABASES

CELERY_BROKER_URL = os.environ["FAULT_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
REDIS_URL = CELERY_BROKER_URL
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["FAULT_SMTP_PORT"])
DATABASES["default"]["NAME"] = os.environ["FAULT_DB_NAME"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
# A task whose worker was killed is handed out again after two seconds, not an hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("FAULT_VISIBILITY_TIMEOUT", "2")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
