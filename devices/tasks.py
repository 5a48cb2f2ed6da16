"""Background work of the devices app: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="devices.send_return_reminders", acks_late=True)
def send_return_reminders() -> int:
    """Daily: remind daycares the day before a suitcase is due back (once per booking)."""
    return services.return_reminders_send()


@shared_task(name="devices.expire_offers", acks_late=True)
def expire_offers() -> int:
    """Hourly: waiting-list offers not answered in time go to the next in line."""
    return services.offers_expire()


@shared_task(name="devices.notify_plan_published", acks_late=True, max_retries=3)
def notify_plan_published(plan_id: int) -> int:
    return services.plan_published_notify(plan_id=plan_id)
