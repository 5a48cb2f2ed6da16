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
