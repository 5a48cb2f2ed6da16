"""A daycare's competence plan for a year and its activities."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from institutions.models import Institution, Membership
from institutions.querysets import STAFF_ROLES

from ..models import CompetencePlan, PlanActivity
from .common import _pick


@transaction.atomic
def plan_save(
    *,
    actor: User,
    institution: Institution,
    year: int,
    budget_ore: int,
    hours: Decimal,
    notes: str = "",
) -> CompetencePlan:
    """Set what `institution` sets aside for competence development in `year`."""
    if budget_ore < 0 or hours < 0:
        raise ValidationError(_("Money and hours cannot be negative."))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Choose a year between 2000 and 2100."))
    # The institution row serialises the first save of a year's plan.
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    plan = (
        CompetencePlan.objects.select_for_update()
        .filter(institution=institution, year=year)
        .first()
    )
    values = {"budget_ore": budget_ore, "hours": hours, "notes": notes}
    if plan is None:
        plan = CompetencePlan.objects.create(institution=institution, year=year, **values)
        changes = {name: [None, str(value)] for name, value in values.items()}
    else:
        changes = diff(plan, values)
        for name, value in values.items():
            setattr(plan, name, value)
        plan.save()
    if changes:
        audit(
            actor=actor,
            action="competence_plan.saved",
            obj=plan,
            institution=institution,
            summary=str(year),
            changes=changes,
        )
    return plan


@transaction.atomic
def plan_for_year(*, institution: Institution, year: int) -> CompetencePlan:
    """The year's plan, created empty if the daycare has none yet (for adding activities)."""
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    plan, _created = CompetencePlan.objects.get_or_create(institution=institution, year=year)
    return plan


ACTIVITY_FIELDS = (
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "planned_cost_ore",
    "spent_cost_ore",
    "planned_hours",
    "spent_hours",
)


def _check_activity(plan: CompetencePlan, values: dict, participants: list[User]) -> None:
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and starts_on.year != plan.year:
        raise ValidationError(
            _("The activity must start in %(year)d, the plan's year.") % {"year": plan.year}
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The activity cannot end before it starts."))
    for name in ("planned_cost_ore", "spent_cost_ore", "planned_hours", "spent_hours"):
        value = values.get(name)
        if value is not None and value < 0:
            raise ValidationError(_("Money and hours cannot be negative."))
    allowed = set(
        Membership.objects.filter(
            institution_id=plan.institution_id, role__in=STAFF_ROLES
        ).values_list("user_id", flat=True)
    )
    outsiders = [p.name for p in participants if p.pk not in allowed]
    if outsiders:
        raise ValidationError(
            _("Only the daycare's staff can take part: %(names)s.")
            % {"names": ", ".join(outsiders)}
        )


@transaction.atomic
def activity_create(
    *, actor: User, plan: CompetencePlan, participants: Iterable[User] = (), **data
) -> PlanActivity:
    values = _pick(data, ACTIVITY_FIELDS)
    participants = list(participants)
    _check_activity(plan, values, participants)
    activity = PlanActivity.objects.create(plan=plan, **values)
    activity.participants.set(participants)
    audit(
        actor=actor,
        action="competence_activity.created",
        obj=activity,
        institution=plan.institution,
        summary=f"{plan.year}: {activity.title}",
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor: User, activity: PlanActivity, participants: Iterable[User] | None = None, **data
) -> PlanActivity:
    activity = PlanActivity.objects.select_for_update().select_related("plan").get(pk=activity.pk)
    values = _pick(data, ACTIVITY_FIELDS)
    merged = {name: values.get(name, getattr(activity, name)) for name in ACTIVITY_FIELDS}
    people = list(participants) if participants is not None else list(activity.participants.all())
    _check_activity(activity.plan, merged, people)
    changes = diff(activity, values)
    for name, value in values.items():
        setattr(activity, name, value)
    activity.save()
    if participants is not None:
        before = sorted(activity.participants.values_list("pk", flat=True))
        after = sorted(p.pk for p in people)
        if before != after:
            changes["participants"] = [before, after]
        activity.participants.set(people)
    if changes:
        audit(
            actor=actor,
            action="competence_activity.updated",
            obj=activity,
            institution=activity.plan.institution,
            summary=activity.title,
            changes=changes,
        )
    return activity


@transaction.atomic
def activity_delete(*, actor: User, activity: PlanActivity) -> None:
    activity = PlanActivity.objects.select_for_update().select_related("plan").get(pk=activity.pk)
    plan = activity.plan
    title = activity.title
    activity.delete()
    audit(
        actor=actor,
        action="competence_activity.deleted",
        obj=plan,
        institution=plan.institution,
        summary=f"{plan.year}: {title}",
    )
