"""Reminders that the children's environment assessment is due, to each daycare's
leaders: every second year for daycares (with the curriculum evaluation), every third
year for after-school care. Sent from DUE_SOON_DAYS before the due date, once per due
date (a key per daycare and date), so running the job twice tells nobody twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from core.dates import add_years
from core.models import Notification
from core.notify import notify
from institutions.models import Institution, Membership

DUE_SOON_DAYS = 60
AFTER_SCHOOL_YEARS = 3
DAYCARE_YEARS = 2


def interval_years(institution: Institution) -> int:
    return (
        AFTER_SCHOOL_YEARS if institution.kind == Institution.Kind.AFTER_SCHOOL else DAYCARE_YEARS
    )


@dataclass(frozen=True)
class Due:
    last: date | None
    due_on: date

    @property
    def key_part(self) -> str:
        return f"{self.due_on:%Y%m%d}" if self.last else "never"


def due_for(institution: Institution, last: date | None, today: date) -> Due:
    """When the next assessment is due: at once when none was ever completed."""
    if last is None:
        return Due(None, today)
    return Due(last, add_years(last, interval_years(institution)))


def assessed_institutions():
    kinds = [*Institution.DAYCARE_KINDS, Institution.Kind.AFTER_SCHOOL]
    return Institution.objects.filter(kind__in=kinds, is_active=True).annotate(
        last_assessed=Max(
            "environment_assessments__completed_on",
            filter=Q(environment_assessments__status="completed"),
        )
    )


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Tell the leaders of every daycare whose assessment is due within DUE_SOON_DAYS or
    overdue. A fixed number of queries to find them, then one notify() per daycare told."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    candidates = []
    for institution in assessed_institutions().order_by("pk"):
        due = due_for(institution, institution.last_assessed, today)
        if due.due_on <= soon:
            key = f"wellbeing.assessment_due:{institution.pk}:{due.key_part}"
            candidates.append((institution, due, key))
    told = set(
        Notification.objects.filter(key__in=[key for _i, _d, key in candidates]).values_list(
            "key", flat=True
        )
    )
    candidates = [c for c in candidates if c[2] not in told]
    leaders = Membership.objects.filter(
        role=Membership.Role.LEADER, user__is_active=True
    ).select_related("user")
    institutions = Institution.objects.filter(
        pk__in=[i.pk for i, _d, _k in candidates]
    ).prefetch_related(Prefetch("memberships", queryset=leaders, to_attr="leaders"))
    leaders_of = {i.pk: [m.user for m in i.leaders] for i in institutions}
    sent = 0
    for institution, due, key in candidates:
        sent += len(
            notify(
                recipients=leaders_of.get(institution.pk, []),
                kind="wellbeing.assessment_due",
                template="wellbeing/notifications/assessment_due",
                context={
                    "institution": institution,
                    "due": due,
                    "years": interval_years(institution),
                    "overdue": due.due_on < today,
                },
                url=reverse("wellbeing:assessment", args=[institution.pk]),
                key=key,
            )
        )
    return {"assessment_due": sent}
