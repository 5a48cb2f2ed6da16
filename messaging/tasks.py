"""Background work of messaging. Thin: ids in, one service call, idempotent, retried."""

from __future__ import annotations

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

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
    """Idempotent: a notification already e-mailed (or refused for good) is skipped."""
    services.notification_email_send(notification_id=notification_id)


@shared_task(name="messaging.queue_notification_emails", acks_late=True)
def queue_notification_emails(notification_ids: list[int]) -> None:
    """Fan a batch of e-mails out to one task each (see notify.queue_emails)."""
    for pk in notification_ids:
        send_notification_email.apply_async(args=[pk])


@shared_task(name="messaging.resend_unsent_emails", acks_late=True)
def resend_unsent_emails() -> int:
    """Queue again what a lost task or a long mail-server outage left unsent."""
    ids = services.unsent_email_ids()
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
    services.digest_send(recipient_id=recipient_id, day=date.fromisoformat(day))


@shared_task(name="messaging.send_digests", acks_late=True)
def send_digests() -> int:
    """Every morning: one digest task per person with notifications waiting for it."""
    from .services.notifications import digest_recipient_ids

    day = timezone.localdate().isoformat()
    ids = digest_recipient_ids()
    for pk in ids:
        send_digest.apply_async(args=[pk, day])
    return len(ids)


@shared_task(
    name="messaging.publish_post",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=10,
    max_retries=5,
    soft_time_limit=600,
    time_limit=900,
)
def publish_post(post_id: int) -> int:
    """Deliver a post to its guardians; safe to run twice (see services.post_publish)."""
    return services.post_publish(post_id=post_id)


@shared_task(name="messaging.publish_due_posts", acks_late=True)
def publish_due_posts() -> int:
    ids = services.posts_due()
    for pk in ids:
        publish_post.apply_async(args=[pk])
    return len(ids)


@shared_task(name="messaging.purge_old_notifications", acks_late=True)
def purge_old_notifications() -> int:
    return services.notifications_purge()
