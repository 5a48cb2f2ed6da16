"""Periodic tasks of the children's own voice (collected by portal/celery.py)."""

from celery.schedules import crontab

SCHEDULE = {
    "wellbeing.close_stale_sessions": {
        "task": "wellbeing.close_stale_sessions",
        "schedule": crontab(minute=17),
    },
    "wellbeing.purge_raw_answers": {
        "task": "wellbeing.purge_raw_answers",
        "schedule": crontab(hour=3, minute=25),
    },
    "wellbeing.send_assessment_reminders": {
        "task": "wellbeing.send_assessment_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
}
