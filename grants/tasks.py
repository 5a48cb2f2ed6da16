"""Background work of the grants app: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="grants.make_decision_letter",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
    soft_time_limit=120,
    time_limit=180,
)
def make_decision_letter(application_id: int) -> bool:
    """Idempotent: a stored letter is kept; the daycare is told once per decision."""
    return services.decision_letter_make(application_id=application_id)


@shared_task(name="grants.notify_pool_published", acks_late=True, max_retries=3)
def notify_pool_published(pool_id: int) -> int:
    return services.pool_published_notify(pool_id=pool_id)


@shared_task(name="grants.notify_shares_published", acks_late=True, max_retries=3)
def notify_shares_published(run_id: int) -> int:
    return services.shares_published_notify(run_id=run_id)


@shared_task(name="grants.send_report_reminders", acks_late=True)
def send_report_reminders() -> int:
    """Daily: remind leaders of final reports due soon or overdue (each once)."""
    return services.report_reminders_send()
