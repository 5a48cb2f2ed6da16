"""Retention: what the portal may no longer keep is deleted or anonymised, daily.

- A child who left more than settings.CHILD_RETENTION_DAYS ago (five years unless set)
  is deleted with everything that belongs to them (guardianships, consents, pictures'
  tags, lookups). Where other records must stay (a PROTECTed reference elsewhere), the
  child is anonymised instead: name, surname and birth date no longer say who it was.
- A guardian whose every child is gone is anonymised and can no longer log in.
- The log of lookups is kept settings.ACCESS_LOG_RETENTION_DAYS (two years unless set).

`apply_retention(dry_run=True)` says what would happen and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q, RestrictedError
from django.utils import timezone

from core.audit import audit
from institutions.models import Child, Guardianship

from .models import PersonalDataAccess

logger = logging.getLogger("portal")
ANONYMOUS = "Anonymiseret"


@dataclass
class RetentionReport:
    dry_run: bool
    children_deleted: list[int] = field(default_factory=list)
    children_anonymised: list[int] = field(default_factory=list)
    guardians_anonymised: list[int] = field(default_factory=list)
    lookups_deleted: int = 0

    def summary(self) -> str:
        verb = "would" if self.dry_run else "did"
        return (
            f"Retention {verb}: delete {len(self.children_deleted)} children, anonymise "
            f"{len(self.children_anonymised)} children and {len(self.guardians_anonymised)} "
            f"guardians, delete {self.lookups_deleted} log rows."
        )


def children_due(today: date):
    cutoff = today - timedelta(days=settings.CHILD_RETENTION_DAYS)
    return Child.objects.filter(left_on__lt=cutoff).exclude(first_name=ANONYMOUS)


def _guardians_left_without_children(guardian_ids: set[int]):
    from django.contrib.auth import get_user_model

    others = Guardianship.objects.filter(guardian=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(pk__in=guardian_ids, is_active=True)
        .exclude(Exists(others))
        .exclude(memberships__isnull=False)
        .exclude(municipal_roles__isnull=False)
    )


def _guardians_only_of(child_ids: set[int]):
    """Guardians whose every child is among `child_ids`: once those children are gone,
    they are anonymised. The dry run's answer to "which guardians would be"."""
    from django.contrib.auth import get_user_model

    others = Guardianship.objects.filter(guardian=OuterRef("pk")).exclude(child_id__in=child_ids)
    return (
        get_user_model()
        .objects.filter(guardianships__child_id__in=child_ids, is_active=True)
        .exclude(Exists(others))
        .exclude(memberships__isnull=False)
        .exclude(municipal_roles__isnull=False)
        .distinct()
        .order_by("pk")
    )


def _forget_sign_ups(child: Child) -> None:
    """The place-allocation sign-ups of the child keep its name, birth date and the
    parent's address in their own columns: they go with the child, letters and all."""
    if not apps.is_installed("admissions"):
        return
    signups = apps.get_model("admissions", "Signup").objects.filter(
        Q(child=child) | Q(current_child=child)
    )
    letters = apps.get_model("admissions", "Letter").objects.filter(signup__in=signups)
    for letter in letters.exclude(pdf=""):
        letter.pdf.delete(save=False)
    signups.delete()


def _anonymise_child(child: Child) -> None:
    child.first_name = ANONYMOUS
    child.last_name = ""
    child.birth_date = child.birth_date.replace(month=1, day=1)
    # The municipality's own id for the child would say who it was, too.
    child.external_key = None
    child.key_municipality = None
    child.save(
        update_fields=["first_name", "last_name", "birth_date", "external_key", "key_municipality"]
    )
    Guardianship.objects.filter(child=child).delete()


def _anonymise_guardian(user) -> None:
    user.name = ANONYMOUS
    user.email = f"slettet-{user.pk}@anonymiseret.invalid"
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def apply_retention(*, dry_run: bool = False, today: date | None = None) -> RetentionReport:
    today = today or timezone.localdate()
    report = RetentionReport(dry_run=dry_run)
    log_cutoff = timezone.now() - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    old_lookups = PersonalDataAccess.objects.filter(at__lt=log_cutoff)
    with transaction.atomic():
        for child in children_due(today).select_related("group__institution"):
            guardian_ids = set(child.guardianships.values_list("guardian_id", flat=True))
            institution = child.group.institution
            pk = child.pk
            deleted = True
            if not dry_run:
                _forget_sign_ups(child)
                try:
                    with transaction.atomic():
                        child.delete()
                except (ProtectedError, RestrictedError):
                    deleted = False
                    _anonymise_child(child)
                audit(
                    actor=None,
                    action="privacy.child_deleted" if deleted else "privacy.child_anonymised",
                    institution=institution,
                    summary=f"Retention: child {pk} left more than "
                    f"{settings.CHILD_RETENTION_DAYS} days ago",
                )
            (report.children_deleted if deleted else report.children_anonymised).append(pk)
            if dry_run:
                continue
            for guardian in _guardians_left_without_children(guardian_ids):
                report.guardians_anonymised.append(guardian.pk)
                _anonymise_guardian(guardian)
        if dry_run:
            due = set(report.children_deleted) | set(report.children_anonymised)
            report.guardians_anonymised = list(_guardians_only_of(due).values_list("pk", flat=True))
        report.lookups_deleted = old_lookups.count()
        if not dry_run:
            old_lookups.delete()
    logger.info(report.summary())
    return report
