"""The daycares' free places month by month."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.dates import add_months
from institutions.models import Group

from .. import rules
from ..models import Capacity


def _months(first: date, last: date) -> list[date]:
    months, month = [], rules.first_of_month(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


@transaction.atomic
def capacity_set(
    *, actor: User, group: Group, first_month: date, last_month: date | None, places: int
) -> list[Capacity]:
    """Set the places for new children in `group` for each month from `first_month` to
    `last_month`. Places already offered cannot be taken away."""
    if places < 0:
        raise ValidationError(_("The number of places cannot be negative."))
    if not group.institution.is_daycare:
        raise ValidationError(_("Places are allocated in daycares only."))
    last_month = last_month or first_month
    if last_month < first_month:
        raise ValidationError(_("The last month must come after the first."))
    months = _months(first_month, last_month)
    if len(months) > 36:
        raise ValidationError(_("Set at most three years at a time."))
    existing = {
        c.month: c
        for c in Capacity.objects.select_for_update().filter(group=group, month__in=months)
    }
    saved = []
    for month in months:
        row = existing.get(month)
        if row is None:
            row = Capacity(group=group, month=month, places=places)
        elif row.offered > places:
            raise ValidationError(
                _("%(month)s: %(n)d places are already offered; set at least that many.")
                % {"month": capfirst(date_format(month, "YEAR_MONTH_FORMAT")), "n": row.offered}
            )
        row.places = places
        row.save()
        saved.append(row)
    audit(
        actor=actor,
        action="admissions.capacity_set",
        obj=group,
        institution=group.institution,
        summary=f"{group.name}: {places}",
        changes={"months": [None, [m.isoformat() for m in months]], "places": [None, places]},
    )
    return saved
