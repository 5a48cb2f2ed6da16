"""Periodic tasks of competence development (collected by portal/celery.py).

Each run sends only what is due and not yet sent (notification keys), so running one
twice, or late, tells nobody twice.
"""

from celery.schedules import crontab

SCHEDULE = {
    "competence.send_meeting_reminders": {
        "task": "competence.send_meeting_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "competence.send_minutes_missing": {
        "task": "competence.send_minutes_missing",
        "schedule": crontab(hour=7, minute=10),
    },
    "competence.send_event_reminders": {
        "task": "competence.send_event_reminders",
        "schedule": crontab(hour=7, minute=20),
    },
}
