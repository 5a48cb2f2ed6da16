"""Background work of place allocation: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="admissions.make_letter",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
    soft_time_limit=120,
    time_limit=180,
)
def make_letter(letter_id: int) -> bool:
    """Idempotent: a stored letter is kept; the parent is told once per letter."""
    return services.letter_make(letter_id=letter_id)


@shared_task(name="admissions.expire_offers", acks_late=True)
def expire_offers() -> int:
    """Daily: offers past their deadline run out; the next child is suggested."""
    return services.offers_expire()


@shared_task(name="admissions.send_guarantee_alerts", acks_late=True)
def send_guarantee_alerts() -> int:
    """Daily: the municipality hears of children near their guarantee date without an offer."""
    return services.guarantee_alerts_send()
