"""Periodic tasks of the messaging app (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    "messaging.purge_old_notifications": {
        "task": "messaging.purge_old_notifications",
        "schedule": crontab(hour=3, minute=30),
    },
    # Scheduled posts go out within a minute of their time.
    "messaging.publish_due_posts": {
        "task": "messaging.publish_due_posts",
        "schedule": crontab(minute="*"),
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
