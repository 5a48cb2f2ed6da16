"""Notifications: e-mailing one (or a day's digest), marking read, e-mail settings, and
the reads the shell and the notification pages need."""

from __future__ import annotations

import smtplib
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .attachments import attachments_for
from .audit import audit
from .models import DigestEmail, EmailPreference, Notification
from .views import absolute_url

# A mail server that stays down longer than the task's retries still loses nothing: the
# sweeper (messaging.resend_unsent_emails) queues these again until they are this old.
RESEND_AFTER = timedelta(minutes=15)
GIVE_UP_AFTER = timedelta(days=3)


def _mail_domain() -> str:
    sender = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)
    return sender[1].rstrip(">").strip() if len(sender) == 2 else "dagtilbudsportalen.dk"


def permanent_failure(error: Exception) -> str:
    """The reason when `error` is a permanent refusal (5xx) not worth retrying, else ""."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            code, message = next(iter(error.recipients.values()))
            text = message.decode(errors="replace") if isinstance(message, bytes) else message
            return f"{code} {text}"
        return ""
    if isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600:
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{error.smtp_code} {text}"
    return ""


def _send(message: EmailMultiAlternatives) -> str:
    """Hand `message` to the SMTP server. Returns "" when sent, the reason when refused
    for good; temporary failures (4xx, no connection) raise, so the task retries."""
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        reason = permanent_failure(error)
        if reason:
            return reason[:300]
        raise
    return ""


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient, once. Returns True if sent by this call.

    The row stays locked while the mail is handed to the SMTP server, so two workers
    that got the same task cannot both send; a temporary failure rolls back and the task
    retries; a permanent refusal (5xx) is recorded on the notification and not retried.
    Every attempt carries the same Message-ID, the idempotency key of this notification
    and recipient, so a mail server or client that sees it twice keeps one.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if (
            notification is None
            or notification.emailed_at
            or notification.email_failed_at
            or not notification.send_email
        ):
            return False
        recipient = notification.recipient
        context = {
            "notification": notification,
            "recipient": recipient,
            "url": absolute_url(notification.url),
            "portal_url": settings.PORTAL_BASE_URL,
            "settings_url": absolute_url(reverse("messaging:email_settings")),
        }
        with translation.override(recipient.language):
            text = render_to_string("core/email/notification.txt", context)
            html = render_to_string("core/email/notification.html", context)
        key = notification.idempotency_key
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=text,
            to=[recipient.email],
            headers={
                "X-Portal-Notification": str(notification.pk),
                "X-Portal-Idempotency-Key": key,
                "Message-ID": f"<{key}@{_mail_domain()}>",
            },
        )
        message.attach_alternative(html, "text/html")
        for attachment in attachments_for(notification):
            message.attach(*attachment)
        refused = _send(message)
        notification.email_attempts += 1
        if refused:
            notification.email_failed_at = timezone.now()
            notification.email_error = refused
            notification.save(update_fields=["email_failed_at", "email_error", "email_attempts"])
            return False
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at", "email_attempts"])
    return True


def unsent_email_ids(*, now=None) -> list[int]:
    """Notifications that should have been e-mailed at once by now and were not (a lost
    task, a mail server down longer than the retries): the sweeper queues them again."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            send_email=True,
            email_digest=False,
            emailed_at=None,
            email_failed_at=None,
            created_at__lt=now - RESEND_AFTER,
            created_at__gte=now - GIVE_UP_AFTER,
        )
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )


def digest_recipient_ids() -> list[int]:
    return list(
        Notification.objects.filter(
            send_email=True, email_digest=True, emailed_at=None, email_failed_at=None
        )
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def digest_send(*, recipient_id: int, day: date) -> bool:
    """Send `recipient` one e-mail with every notification waiting for the digest.

    The DigestEmail row for (recipient, day) is locked while sending and marked sent
    after, so running the task twice sends one digest.
    """
    with transaction.atomic():
        digest, _created = DigestEmail.objects.get_or_create(recipient_id=recipient_id, day=day)
        digest = (
            DigestEmail.objects.select_for_update().select_related("recipient").get(pk=digest.pk)
        )
        if digest.sent_at:
            return False
        waiting = list(
            Notification.objects.select_for_update()
            .filter(
                recipient_id=recipient_id,
                send_email=True,
                email_digest=True,
                emailed_at=None,
                email_failed_at=None,
            )
            .order_by("created_at", "id")
        )
        recipient = digest.recipient
        if not waiting or not recipient.is_active or not recipient.email:
            return False
        items = [
            (n, absolute_url(reverse("messaging:notification_open", args=[n.pk]))) for n in waiting
        ]
        context = {
            "recipient": recipient,
            "items": items,
            "count": len(items),
            "portal_url": settings.PORTAL_BASE_URL,
            "settings_url": absolute_url(reverse("messaging:email_settings")),
        }
        with translation.override(recipient.language):
            subject = _("Dagtilbudsportalen: %(count)d new since yesterday") % {"count": len(items)}
            text = render_to_string("core/email/digest.txt", context)
            html = render_to_string("core/email/digest.html", context)
        key = f"digest-{recipient_id}-{day:%Y%m%d}"
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[recipient.email],
            headers={"X-Portal-Idempotency-Key": key, "Message-ID": f"<{key}@{_mail_domain()}>"},
        )
        message.attach_alternative(html, "text/html")
        refused = _send(message)
        now = timezone.now()
        ids = [n.pk for n in waiting]
        if refused:
            Notification.objects.filter(pk__in=ids).update(email_failed_at=now, email_error=refused)
            return False
        Notification.objects.filter(pk__in=ids).update(emailed_at=now)
        digest.sent_at = now
        digest.notification_count = len(ids)
        digest.save(update_fields=["sent_at", "notification_count"])
    return True


@transaction.atomic
def email_preferences_set(*, user, frequencies: dict[str, str]) -> None:
    """Store how `user` wants e-mail, per category (see EmailPreference)."""
    for category, frequency in frequencies.items():
        EmailPreference.Category(category)
        EmailPreference.Frequency(frequency)
        EmailPreference.objects.update_or_create(
            user=user, category=category, defaults={"frequency": frequency}
        )
    audit(
        actor=user,
        action="email_preferences.updated",
        obj=user,
        summary=", ".join(f"{c}: {f}" for c, f in sorted(frequencies.items())),
        changes=frequencies,
    )


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


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notifications_for(user):
    return Notification.objects.filter(recipient=user)
