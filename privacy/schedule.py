"""Periodic tasks of the privacy app (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    "privacy.apply_retention": {
        "task": "privacy.apply_retention",
        "schedule": crontab(hour=2, minute=40),
    },
}
