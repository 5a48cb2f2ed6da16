"""Expenses booked against a grant, with their receipts."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import purchases
from core.audit import audit
from core.uploads import check_upload

from ..models import RECEIPT_TYPES, Earmark, EarmarkAllocation, Expense, Grant, receipt_path
from .common import State, _kr


def _check_spending_open(grant: Grant) -> None:
    if grant.closed_at is not None:
        raise ValidationError(_("The grant is closed."))
    if grant.application_id and grant.application.state != State.DECIDED:
        raise ValidationError(_("Expenses cannot change after the final report is submitted."))


@transaction.atomic
def expense_create(
    *,
    actor: User,
    grant: Grant,
    earmark: str,
    spent_on: date,
    description: str,
    amount_ore: int,
    receipt,
    device_id: int | None = None,
) -> Expense:
    """Book an expense against one of the grant's earmarks, within what is left there;
    `device_id` names the daycare's device bought with it, if the expense is one."""
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("application", "pool", "institution")
        .get(pk=grant.pk)
    )
    _check_spending_open(grant)
    allocation = (
        EarmarkAllocation.objects.select_for_update().filter(grant=grant, earmark=earmark).first()
    )
    if allocation is None:
        raise ValidationError(
            _("This grant has no money for “%(earmark)s”.") % {"earmark": Earmark(earmark).label}
        )
    if device_id is not None:
        device = purchases.devices(ids=[device_id]).get(device_id)
        if device is None or device.owner_id != grant.institution_id:
            raise ValidationError(_("Choose one of the daycare's own devices."))
    if amount_ore <= 0:
        raise ValidationError(_("The amount must be more than 0 kr."))
    if spent_on > timezone.localdate():
        raise ValidationError(_("The date of an expense cannot be in the future."))
    if spent_on < grant.pool.period_start:
        raise ValidationError(
            _("The expense is dated before the pool's period (from %(start)s).")
            % {"start": grant.pool.period_start.strftime("%d.%m.%Y")}
        )
    if amount_ore > allocation.left_ore:
        raise ValidationError(
            _("Only %(left)s is left for “%(earmark)s”.")
            % {"left": _kr(allocation.left_ore), "earmark": allocation.get_earmark_display()}
        )
    # Every check passed: store the receipt, then the rows. Should the rows fail, the file
    # does not stay behind.
    checked = check_upload(receipt, accept=RECEIPT_TYPES)
    name = default_storage.save(receipt_path(None, checked.name), checked.content)
    try:
        with transaction.atomic():
            expense = Expense.objects.create(
                allocation=allocation,
                spent_on=spent_on,
                description=description.strip(),
                amount_ore=amount_ore,
                receipt=name,
                receipt_name=checked.name,
                device_id=device_id,
                created_by=actor,
            )
            allocation.spent_ore += amount_ore
            allocation.save(update_fields=["spent_ore"])
    except Exception:
        default_storage.delete(name)
        raise
    audit(
        actor=actor,
        action="grants.expense.booked",
        obj=expense,
        institution=grant.institution,
        summary=f"{expense.description}: {_kr(amount_ore)} ({allocation.get_earmark_display()})",
    )
    return expense


@transaction.atomic
def expense_delete(*, actor: User, expense: Expense) -> None:
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("application", "institution")
        .get(pk=expense.allocation.grant_id)
    )
    _check_spending_open(grant)
    allocation = EarmarkAllocation.objects.select_for_update().get(pk=expense.allocation_id)
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    allocation.spent_ore -= expense.amount_ore
    allocation.save(update_fields=["spent_ore"])
    name = expense.receipt.name
    expense.delete()
    transaction.on_commit(lambda: default_storage.delete(name))
    audit(
        actor=actor,
        action="grants.expense.deleted",
        obj=grant,
        institution=grant.institution,
        summary=f"{expense.description}: {_kr(expense.amount_ore)}",
    )
