"""Periodic tasks of the institutions app (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    "institutions.expire_invitations": {
        "task": "institutions.expire_invitations",
        "schedule": crontab(hour=3, minute=15),
    },
}
