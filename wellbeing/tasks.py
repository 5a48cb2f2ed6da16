"""Background work of the children's own voice: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from . import reminders, services


@shared_task(
    name="wellbeing.make_question_audio",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def make_question_audio(question_id: int) -> bool:
    """Idempotent: a question whose sound is current is left alone."""
    return services.question_audio_make(question_id=question_id)


@shared_task(name="wellbeing.close_stale_sessions", acks_late=True)
def close_stale_sessions() -> int:
    """Hourly: sessions left open on a tablet are closed and counted."""
    return services.sessions_close_stale()


@shared_task(name="wellbeing.purge_raw_answers", acks_late=True)
def purge_raw_answers() -> int:
    """Nightly: raw answers older than the configured months go; the counts stay."""
    return services.raw_answers_purge()


@shared_task(name="wellbeing.send_assessment_reminders", acks_late=True)
def send_assessment_reminders() -> dict:
    """Daily: tell leaders when the children's environment assessment is due."""
    return reminders.reminders_send()
