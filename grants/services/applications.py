"""Applications while the daycare drafts them: creating, changing, submitting and
withdrawing."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.notify import notify
from institutions.models import Institution
from institutions.selectors import administrators_of

from ..models import Application, BudgetLine, Earmark, Pool
from .common import (
    State,
    _application_url,
    _kr,
    _lock_application,
    _log,
    _move,
    _pick,
)

APPLICATION_FIELDS = (
    "project",
    "purpose",
    "local_goal",
    "goal_text",
    "amount_asked_ore",
    "partial_funding_helps",
)


def _check_lines(pool: Pool, lines: Iterable[dict]) -> list[dict]:
    cleaned = []
    for line in lines:
        if not line:
            continue
        if line["earmark"] not in pool.earmarks:
            raise ValidationError(
                _("The pool does not fund “%(earmark)s”. It funds: %(allowed)s.")
                % {
                    "earmark": Earmark(line["earmark"]).label,
                    "allowed": ", ".join(pool.earmark_labels()),
                }
            )
        if line["amount_ore"] <= 0:
            raise ValidationError(_("Each budget line needs an amount above 0 kr."))
        cleaned.append(
            {
                "description": line["description"].strip(),
                "earmark": line["earmark"],
                "amount_ore": line["amount_ore"],
            }
        )
    return cleaned


def _check_amount(pool: Pool, amount_asked_ore: int, lines: list[dict]) -> None:
    if amount_asked_ore <= 0:
        raise ValidationError(_("The amount asked must be more than 0 kr."))
    largest = pool.max_per_application_ore
    if largest is not None and amount_asked_ore > largest:
        raise ValidationError(
            _("The pool gives at most %(largest)s per application.") % {"largest": _kr(largest)}
        )
    budget = sum(line["amount_ore"] for line in lines)
    if lines and amount_asked_ore > budget:
        raise ValidationError(
            _("The amount asked (%(asked)s) is more than the budget (%(budget)s).")
            % {"asked": _kr(amount_asked_ore), "budget": _kr(budget)}
        )


def _check_goal(institution: Institution, local_goal) -> None:
    if local_goal is not None and local_goal.institution_id != institution.pk:
        raise ValidationError(_("Choose one of the daycare's own goals."))


@transaction.atomic
def application_create(
    *,
    actor: User,
    pool: Pool,
    institution: Institution,
    project: str,
    purpose: str,
    amount_asked_ore: int,
    budget_lines: Iterable[dict],
    goal_text: str = "",
    local_goal=None,
    partial_funding_helps: bool = True,
) -> Application:
    """Draft an application from `institution` to `pool` (open, and open to this daycare)."""
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    if not pool.accepts(institution) or institution.municipality_id != pool.municipality_id:
        raise ValidationError(_("This pool is not open to applications from this daycare."))
    if not pool.is_open_for_applications():
        raise ValidationError(_("The pool is not open for applications."))
    lines = _check_lines(pool, budget_lines)
    _check_amount(pool, amount_asked_ore, lines)
    _check_goal(institution, local_goal)
    application = Application.objects.create(
        pool=pool,
        institution=institution,
        project=project.strip(),
        purpose=purpose.strip(),
        local_goal=local_goal,
        goal_text=goal_text.strip(),
        amount_asked_ore=amount_asked_ore,
        partial_funding_helps=partial_funding_helps,
        created_by=actor,
    )
    BudgetLine.objects.bulk_create(BudgetLine(application=application, **line) for line in lines)
    _log(application, actor=actor, from_state="", to_state=State.DRAFT)
    return application


@transaction.atomic
def application_update(
    *, actor: User, application: Application, budget_lines: Iterable[dict], **data
) -> Application:
    """Change a draft, or an application the municipality asked to change."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_editable:
        raise ValidationError(
            _("The application cannot be changed while it is “%(state)s”.")
            % {"state": application.get_state_display()}
        )
    values = _pick(data, APPLICATION_FIELDS)
    if "local_goal" in values:
        _check_goal(application.institution, values["local_goal"])
    lines = _check_lines(application.pool, budget_lines)
    _check_amount(
        application.pool, values.get("amount_asked_ore", application.amount_asked_ore), lines
    )
    changes = diff(application, values)
    for name, value in values.items():
        setattr(application, name, value.strip() if isinstance(value, str) else value)
    application.save()
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(BudgetLine(application=application, **line) for line in lines)
    audit(
        actor=actor,
        action="grants.application.updated",
        obj=application,
        institution=application.institution,
        summary=application.project,
        changes={**changes, "budget_lines": len(lines)},
    )
    return application


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Send the application to the municipality, before the deadline (an application the
    municipality asked to change may be sent back after it)."""
    application = _lock_application(application)
    pool = application.pool
    if application.state == State.DRAFT:
        today = timezone.localdate()
        if pool.closes_on is None or today > pool.closes_on:
            raise ValidationError(
                _("The deadline (%(deadline)s) has passed.")
                % {"deadline": pool.closes_on.strftime("%d.%m.%Y") if pool.closes_on else "–"}
            )
    lines = list(application.budget_lines.values("description", "earmark", "amount_ore"))
    if not lines:
        raise ValidationError(_("Add at least one budget line before you submit."))
    _check_amount(pool, application.amount_asked_ore, lines)
    event = _move(application, State.SUBMITTED, actor=actor)
    application.submitted_at = timezone.now()
    application.save(update_fields=["submitted_at"])
    notify(
        recipients=administrators_of(application.institution.municipality_id),
        kind="grants.application_submitted",
        template="grants/notifications/application_submitted",
        context={
            "application": application,
            "institution": application.institution.name,
            "amount": _kr(application.amount_asked_ore),
        },
        url=_application_url(application),
        key=f"grants-submitted-{application.pk}-{event.pk}",
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, note: str = "") -> Application:
    """Withdraw the application; possible until the municipality has decided."""
    application = _lock_application(application)
    _move(application, State.WITHDRAWN, actor=actor, note=note.strip())
    return application
