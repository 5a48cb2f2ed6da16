"""The log of every look at and change to a child's or guardian's data.

One row per person whose data was read or changed: who looked (and in which role), when,
at what (the page), and why (the purpose the page serves, and for technical support the
reason the support worker gave). A guardian sees the rows about themselves and their
children, without the names of the staff who looked.
Rows are deleted after settings.ACCESS_LOG_RETENTION_DAYS (see retention.py); nothing
else changes or deletes them (the people and daycares they name cannot be deleted while
they do).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PersonalDataAccess(models.Model):
    # The role of technical staff looking in the technical admin (privacy.support).
    TECHNICAL_SUPPORT = "technical_support"

    class Action(models.TextChoices):
        READ = "read", pgettext_lazy("personal data", "Looked up")
        CHANGE = "change", pgettext_lazy("personal data", "Changed")

    at = models.DateTimeField(_("when"), default=timezone.now)
    # PROTECT: deleting the person who looked would blank the evidence of the look.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # The role the person acted in, e.g. "staff", "administrator": shown to guardians
    # instead of the name.
    actor_role = models.CharField(_("role"), max_length=30, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution"),
    )
    child = models.ForeignKey(
        "institutions.Child",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("child"),
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guardian"),
    )
    # A paper sign-up names a child and a parent the register does not know yet: the
    # look is logged against the sign-up, and its family sees it once registered.
    signup = models.ForeignKey(
        "admissions.Signup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sign-up"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    # Technical support states why it opens a person's data (e.g. the support case);
    # the family reads it under "My data".
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    view = models.CharField(_("page"), max_length=100, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["child", "-at"], name="pda_child_at_idx"),
            models.Index(fields=["guardian", "-at"], name="pda_guardian_at_idx"),
            models.Index(fields=["at"], name="pda_at_idx"),
            models.Index(
                fields=["signup", "-at"],
                condition=Q(signup__isnull=False),
                name="pda_signup_at_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False)
                | Q(guardian__isnull=False)
                | Q(signup__isnull=False),
                name="pda_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.purpose}"


class PrivacyNotice(models.Model):
    """What the municipality, as data controller, tells parents and staff about the
    processing of their data (GDPR art. 13–14). Without a row, or with `text` blank, the
    portal's default text is shown (privacy/notices.py), which follows the retention
    periods configured in code. Every change raises `version`, so each person is shown the
    new text once after their next login."""

    municipality = models.OneToOneField(
        "institutions.Municipality",
        on_delete=models.CASCADE,
        related_name="privacy_notice",
        verbose_name=_("municipality"),
    )
    contact = models.TextField(_("how to reach the municipality"), max_length=500, blank=True)
    dpo_name = models.CharField(_("data protection officer"), max_length=150, blank=True)
    dpo_email = models.EmailField(_("data protection officer's e-mail"), blank=True)
    dpo_phone = models.CharField(_("data protection officer's phone"), max_length=30, blank=True)
    text = models.TextField(_("the notice"), max_length=20000, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="privacy_notice_version_1"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} v{self.version}"


class PrivacyNoticeSeen(models.Model):
    """The version of a municipality's notice a person last confirmed having read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_notices_seen"
    )
    municipality = models.ForeignKey(
        "institutions.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField()
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="privacy_notice_seen_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.municipality_id} v{self.version}"
