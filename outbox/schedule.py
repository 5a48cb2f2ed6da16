"""Periodic tasks of the outbox (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    # Once Redis answers again, what waited in PostgreSQL goes out within a minute.
    "outbox.relay": {"task": "outbox.relay", "schedule": crontab(minute="*")},
}
