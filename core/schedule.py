"""Periodic tasks of notifications (collected by portal/celery.py). The names are those
they had in messaging/, so a deployment's schedule carries on unchanged."""

from celery.schedules import crontab

SCHEDULE = {
    "messaging.purge_old_notifications": {
        "task": "messaging.purge_old_notifications",
        "schedule": crontab(hour=3, minute=30),
    },
    # The daily digest, before the day at the daycare starts.
    "messaging.send_digests": {
        "task": "messaging.send_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    "messaging.resend_unsent_emails": {
        "task": "messaging.resend_unsent_emails",
        "schedule": crontab(minute="*/15"),
    },
}
