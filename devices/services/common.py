"""Helpers the devices services share: who is told, and which days are open."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from accounts.models import User
from core.audit import _plain
from core.closures import closed_periods

from ..models import SuitcaseClosure
from ..querysets import DEVICE_ROLES


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def device_people(institution_ids: Iterable[int]):
    """The leaders and digital ambassadors of these daycares: they are told."""
    return User.objects.filter(
        memberships__institution_id__in=list(institution_ids),
        memberships__role__in=DEVICE_ROLES,
        is_active=True,
    ).distinct()


def plain(value):
    """A value as history keeps it: related objects by name (as they were called then),
    so reading the history needs no further queries."""
    if isinstance(value, models.Model):
        return getattr(value, "title", None) or str(value)
    return _plain(value)


def changed(instance: models.Model, data: dict) -> dict[str, list]:
    """{field: [old, new]} for the fields in `data` whose values differ."""
    out: dict[str, list] = {}
    for name, new in data.items():
        old = getattr(instance, name)
        if old != new:
            out[name] = [plain(old), plain(new)]
    return out


def constraint_name(error: IntegrityError) -> str:
    diag = getattr(getattr(error, "__cause__", None), "diag", None)
    return getattr(diag, "constraint_name", "") or ""


class Calendar:
    """Which days suitcases can be handed over or returned: weekdays outside the
    municipality's closure days and, for one daycare, outside its own closures.
    Loaded once (two queries) for a period and then asked without queries."""

    def __init__(self, *, municipality_id: int, institution_ids: Iterable[int], start, end):
        self.closed_everywhere: set[date] = set()
        self.closed_at: dict[int, set[date]] = {}
        for closure in SuitcaseClosure.objects.filter(
            municipality_id=municipality_id, ends_on__gte=start, starts_on__lte=end
        ):
            self.closed_everywhere |= set(_days(closure.starts_on, closure.ends_on))
        # The daycares' own closures are kept by messaging, offered through core.closures.
        for institution_id, starts_on, ends_on in closed_periods(
            institution_ids=institution_ids, start=start, end=end
        ):
            self.closed_at.setdefault(institution_id, set()).update(_days(starts_on, ends_on))

    def is_open(self, day: date, institution_id: int | None = None) -> bool:
        if day.weekday() >= 5 or day in self.closed_everywhere:
            return False
        return institution_id is None or day not in self.closed_at.get(institution_id, set())

    def first_open(self, start: date, end: date, institution_id: int | None = None):
        day = start
        while day <= end:
            if self.is_open(day, institution_id):
                return day
            day += timedelta(days=1)
        return None

    def last_open(self, start: date, end: date, institution_id: int | None = None):
        day = end
        while day >= start:
            if self.is_open(day, institution_id):
                return day
            day -= timedelta(days=1)
        return None

    def closure_reason(self, day: date, institution_id: int | None = None) -> str:
        from django.utils.translation import gettext as _

        if day.weekday() >= 5:
            return _("it is a weekend day")
        if day in self.closed_everywhere:
            return _("suitcases are neither handed over nor returned that day")
        if institution_id is not None and day in self.closed_at.get(institution_id, set()):
            return _("the daycare is closed that day")
        return ""


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def refuse(message: str, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)
