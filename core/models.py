"""The ground floor's models: the audit trail every service writes, and the notifications
every app sends (with each person's e-mail settings and the daily digests). They keep the
tables they had in the apps they came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what, when. Written by services, never by views or signals."""

    # The summary and the changes name the children and parents acted on: a worker's own
    # data download (privacy/export.py) shows what they did and when, not about whom.
    PERSONAL_DATA_ABOUT_OTHERS = ("summary", "changes")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        "institutions.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        # The table it has always had: moving the model to the ground floor moved no rows.
        db_table = "portal_auditentry"
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["object_type", "object_id"], name="portal_audi_object__69a7ab_idx"
            ),
            models.Index(
                fields=["institution", "-created_at"], name="portal_audi_institu_86d041_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.summary}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # What happened, as "<app>.<event>", e.g. "institutions.invitation_accepted".
    kind = models.CharField(max_length=80)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Sending the same event twice to one person is a no-op: (recipient, key) is unique.
    key = models.CharField(max_length=120)
    # The object the notification is about, where its kind has an attachment to look up
    # by it (core/attachments.py): a decision letter, an event.
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    send_email = models.BooleanField(default=True)
    # Collected into the next daily digest instead of an e-mail of its own.
    email_digest = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A permanent refusal (5xx) is recorded here and not retried.
    email_failed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "messaging_notification"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(read_at=None), name="notification_unread_idx"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(email_digest=True, emailed_at=None, email_failed_at=None),
                name="notification_digest_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def idempotency_key(self) -> str:
        """The same for every attempt to e-mail this notification to this person."""
        return f"notification-{self.pk}-to-{self.recipient_id}"


class EmailPreference(models.Model):
    """How one person wants e-mail about one kind of notification. No row: at once."""

    class Category(models.TextChoices):
        POSTS = "posts", _("New posts")
        MESSAGES = "messages", _("New messages")
        OTHER = "other", _("Reminders and other notifications")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once")
        DIGEST = "digest", _("Once a day, in a digest")
        OFF = "off", _("No e-mail (only in the portal)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "messaging_emailpreference"
        verbose_name = _("e-mail setting")
        verbose_name_plural = _("e-mail settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="email_preference_once"),
            models.CheckConstraint(
                condition=Q(category__in=["posts", "messages", "other"]),
                name="email_preference_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=["immediate", "digest", "off"]),
                name="email_preference_frequency_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.category} {self.frequency}"


class DigestEmail(models.Model):
    """One daily digest to one person: the row makes sending it idempotent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    notification_count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "messaging_digestemail"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day}"
