"""Background work of notifications: e-mails, digests, purging. Thin: ids in, one call,
idempotent, retried.

The tasks keep the names they had when notifications lived in messaging/: a task waiting
in the outbox or the broker under its old name still finds its worker."""

from __future__ import annotations

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from . import notifications


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
    """Idempotent: a notification already e-mailed (or refused for good) is skipped."""
    notifications.notification_email_send(notification_id=notification_id)


@shared_task(name="messaging.queue_notification_emails", acks_late=True)
def queue_notification_emails(notification_ids: list[int]) -> None:
    """Fan a batch of e-mails out to one task each (see notify.queue_emails)."""
    for pk in notification_ids:
        send_notification_email.apply_async(args=[pk])


@shared_task(name="messaging.resend_unsent_emails", acks_late=True)
def resend_unsent_emails() -> int:
    """Queue again what a lost task or a long mail-server outage left unsent."""
    ids = notifications.unsent_email_ids()
    for pk in ids:
        send_notification_email.apply_async(args=[pk])
    return len(ids)


@shared_task(
    name="messaging.send_digest",
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=12,
    soft_time_limit=60,
    time_limit=90,
)
def send_digest(recipient_id: int, day: str) -> None:
    notifications.digest_send(recipient_id=recipient_id, day=date.fromisoformat(day))


@shared_task(name="messaging.send_digests", acks_late=True)
def send_digests() -> int:
    """Every morning: one digest task per person with notifications waiting for it."""
    day = timezone.localdate().isoformat()
    ids = notifications.digest_recipient_ids()
    for pk in ids:
        send_digest.apply_async(args=[pk, day])
    return len(ids)


@shared_task(name="messaging.purge_old_notifications", acks_late=True)
def purge_old_notifications() -> int:
    return notifications.notifications_purge()
