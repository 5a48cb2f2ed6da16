"""Periodic tasks of place allocation (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    # Just after midnight: a deadline is the end of its day.
    "admissions.expire_offers": {
        "task": "admissions.expire_offers",
        "schedule": crontab(hour=0, minute=20),
    },
    "admissions.send_guarantee_alerts": {
        "task": "admissions.send_guarantee_alerts",
        "schedule": crontab(hour=7, minute=15),
    },
}
