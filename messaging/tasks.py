from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    name="messaging.send_notification_email",
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=12,
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_email(notification_id: int) -> None:
    """Idempotent: a notification already e-mailed is skipped."""
    services.notification_email_send(notification_id=notification_id)


@shared_task(name="messaging.purge_old_notifications", acks_late=True)
def purge_old_notifications() -> int:
    return services.notifications_purge()
