"""The daycare's own digital budget lines."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from institutions.models import Institution

from ..models import DigitalBudgetLine
from .common import _kr


@transaction.atomic
def digital_budget_line_create(
    *,
    actor: User,
    institution: Institution,
    year: int,
    description: str,
    earmark: str,
    amount_ore: int,
) -> DigitalBudgetLine:
    if amount_ore <= 0:
        raise ValidationError(_("The amount must be more than 0 kr."))
    this_year = timezone.localdate().year
    if not this_year - 5 <= year <= this_year + 5:
        raise ValidationError(_("Choose a year within five years of this one."))
    line = DigitalBudgetLine.objects.create(
        institution=institution,
        year=year,
        description=description.strip(),
        earmark=earmark,
        amount_ore=amount_ore,
    )
    audit(
        actor=actor,
        action="grants.budget.line_added",
        obj=line,
        institution=institution,
        summary=f"{year}: {line.description}, {_kr(amount_ore)}",
    )
    return line


@transaction.atomic
def digital_budget_line_delete(*, actor: User, line: DigitalBudgetLine) -> None:
    line = DigitalBudgetLine.objects.select_for_update().get(pk=line.pk)
    line.delete()
    audit(
        actor=actor,
        action="grants.budget.line_removed",
        obj=line.institution,
        institution=line.institution,
        summary=f"{line.year}: {line.description}, {_kr(line.amount_ore)}",
    )
