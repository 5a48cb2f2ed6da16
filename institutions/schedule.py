"""Periodic tasks of the institutions app (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    "institutions.expire_invitations": {
        "task": "institutions.expire_invitations",
        "schedule": crontab(hour=3, minute=15),
    },
    "institutions.forget_workbook_previews": {
        "task": "institutions.forget_workbook_previews",
        "schedule": crontab(hour=3, minute=20),
    },
}
