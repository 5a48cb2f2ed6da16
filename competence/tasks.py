"""Background work of competence development: thin tasks that call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="competence.send_event_invitations",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def send_event_invitations(event_id: int) -> int:
    """Idempotent: each invitee is told once (the notification key)."""
    return services.event_invitations_deliver(event_id=event_id)


@shared_task(name="competence.send_event_reminders", acks_late=True)
def send_event_reminders() -> int:
    return services.event_reminders_send()


@shared_task(name="competence.send_meeting_reminders", acks_late=True)
def send_meeting_reminders() -> int:
    return services.meeting_reminders_send()


@shared_task(name="competence.send_minutes_missing", acks_late=True)
def send_minutes_missing() -> int:
    return services.minutes_missing_send()
