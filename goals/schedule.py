"""Periodic tasks of the goals app (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    "goals.send_reminders": {
        "task": "goals.send_reminders",
        # Early, so the reminders are there when the working day starts.
        "schedule": crontab(hour=6, minute=30),
    },
}
