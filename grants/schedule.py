"""Periodic tasks of the grants app (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    "grants.send_report_reminders": {
        "task": "grants.send_report_reminders",
        "schedule": crontab(hour=7, minute=5),
    },
}
