"""Periodic tasks of the messaging app (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    "messaging.purge_old_notifications": {
        "task": "messaging.purge_old_notifications",
        "schedule": crontab(hour=3, minute=30),
    },
}
