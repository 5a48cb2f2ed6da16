from __future__ import annotations

from datetime import date

from celery import shared_task
from django.db import OperationalError

from . import reminders


@shared_task(
    name="goals.send_reminders",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=900,
    time_limit=1200,
)
def send_reminders(today: str | None = None) -> dict[str, int]:
    """Idempotent: every reminder carries a key, so a second run sends nothing again."""
    return reminders.reminders_send(today=date.fromisoformat(today) if today else None)
