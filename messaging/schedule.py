"""Periodic tasks of the messaging app (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    # Scheduled posts go out within a minute of their time.
    "messaging.publish_due_posts": {
        "task": "messaging.publish_due_posts",
        "schedule": crontab(minute="*"),
    },
}
