"""Periodic tasks of the portal (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    # After midnight, when the day's work is in and before the reminders go out.
    "portal.take_indicator_snapshots": {
        "task": "portal.take_indicator_snapshots",
        "schedule": crontab(hour=1, minute=30),
    },
    # The first of the month, after that night's snapshot.
    "portal.make_monthly_reports": {
        "task": "portal.make_monthly_reports",
        "schedule": crontab(day_of_month=1, hour=5, minute=0),
    },
}
