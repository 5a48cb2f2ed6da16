"""Periodic tasks of the devices app (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    "devices.send_return_reminders": {
        "task": "devices.send_return_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "devices.expire_offers": {
        "task": "devices.expire_offers",
        "schedule": crontab(minute=20),
    },
}
