"""Writes for notifications: e-mailing one, marking read."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .attachments import attachments_for
from .models import Notification


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.PORTAL_BASE_URL.rstrip("/") + url


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient, once. Returns True if sent by this call.

    The row stays locked while the mail is handed to the SMTP server, so two workers
    that got the same task cannot both send; a failure rolls back and the task retries.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at or not notification.send_email:
            return False
        recipient = notification.recipient
        context = {
            "notification": notification,
            "recipient": recipient,
            "url": _absolute(notification.url),
            "portal_url": settings.PORTAL_BASE_URL,
        }
        with translation.override(recipient.language):
            text = render_to_string("messaging/email/notification.txt", context)
            html = render_to_string("messaging/email/notification.html", context)
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=text,
            to=[recipient.email],
            headers={"X-Portal-Notification": str(notification.pk)},
        )
        message.attach_alternative(html, "text/html")
        for attachment in attachments_for(notification):
            message.attach(*attachment)
        message.send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, recipient=user, read_at=None).update(
            read_at=timezone.now()
        )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


def notifications_purge(*, older_than_days: int = 180) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _details = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted
