"""A daycare's plans, local goals, action plans, steps and evidence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.uploads import DOCUMENT, IMAGE, check_upload
from institutions.models import Institution, Membership
from institutions.querysets import STAFF_ROLES

from ..models import (
    ActionPlan,
    ActionStep,
    CurriculumTheme,
    Evidence,
    LocalGoal,
    LocalPlan,
    StrategyItem,
)

GOAL_FIELDS = (
    "title",
    "children_activity",
    "didactic_considerations",
    "inclusion",
    "plan",
    "status",
    "review_on",
)
STEP_FIELDS = ("title", "description", "owner", "due_on")


def _pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {name: data[name] for name in fields if name in data}


def is_member(institution: Institution | int, user: User | None) -> bool:
    """Whether `user` works in the institution (may own a step)."""
    if user is None:
        return False
    return Membership.objects.filter(
        institution=institution, user=user, role__in=STAFF_ROLES
    ).exists()


# Plans --------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: User,
    institution: Institution,
    kind: str,
    year: int | None = None,
    adopted_on: date | None = None,
    title: str = "",
) -> LocalPlan:
    """Record a business plan (one per year) or a curriculum revision (one per date)."""
    Institution.objects.select_for_update().get(pk=institution.pk)
    if kind == LocalPlan.Kind.BUSINESS_PLAN:
        if year is None:
            raise ValidationError(_("Give the year of the business plan."))
        if institution.goal_plans.filter(kind=kind, year=year).exists():
            raise ValidationError(
                _("The daycare already has a business plan for %(year)s.") % {"year": year}
            )
        adopted_on = None
    elif kind == LocalPlan.Kind.CURRICULUM_REVISION:
        if adopted_on is None:
            raise ValidationError(_("Give the date the curriculum was revised."))
        if adopted_on > timezone.localdate():
            raise ValidationError(_("A revision cannot be dated in the future."))
        if institution.goal_plans.filter(kind=kind, adopted_on=adopted_on).exists():
            raise ValidationError(_("The daycare already has a curriculum revision on that date."))
        year = adopted_on.year
    else:
        raise ValidationError(_("Choose the kind of plan."))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Give the year as four digits, e.g. 2026."))
    plan = LocalPlan.objects.create(
        institution=institution, kind=kind, year=year, adopted_on=adopted_on, title=title.strip()
    )
    audit(
        actor=actor,
        action="goals.plan.created",
        obj=plan,
        institution=institution,
        summary=str(plan),
    )
    return plan


# Local goals --------------------------------------------------------------------------


def _check_goal(institution: Institution, values: dict, municipal_goals) -> None:
    if "title" in values and not values["title"].strip():
        raise ValidationError(_("Give the goal a title."))
    if "didactic_considerations" in values and not values["didactic_considerations"].strip():
        raise ValidationError(_("Describe the didactic considerations behind the goal."))
    plan = values.get("plan")
    if plan is not None and plan.institution_id != institution.pk:
        raise ValidationError(_("Choose one of the daycare's own plans."))
    if values.get("status", LocalGoal.Status.DRAFT) not in LocalGoal.Status.values:
        raise ValidationError(_("Choose a status."))
    for item in municipal_goals or ():
        if (
            item.kind != StrategyItem.Kind.MUNICIPAL_GOAL
            or item.focus_area.period.municipality_id != institution.municipality_id
        ):
            raise ValidationError(_("Choose among the municipality's own municipal goals."))


def _names(objects: Iterable) -> list[str]:
    return sorted(str(o) for o in objects)


@transaction.atomic
def goal_create(
    *,
    actor: User,
    institution: Institution,
    title: str,
    didactic_considerations: str,
    children_activity: str = "",
    inclusion: str = "",
    themes: Iterable[CurriculumTheme] = (),
    municipal_goals: Iterable[StrategyItem] = (),
    plan: LocalPlan | None = None,
    status: str = LocalGoal.Status.DRAFT,
    review_on: date | None = None,
) -> LocalGoal:
    """Create a local goal. Didactic considerations are required (also in the database)."""
    themes, municipal_goals = list(themes), list(municipal_goals)
    values = {
        "title": title.strip(),
        "children_activity": children_activity,
        "didactic_considerations": didactic_considerations,
        "inclusion": inclusion,
        "plan": plan,
        "status": status,
        "review_on": review_on,
    }
    _check_goal(institution, values, municipal_goals)
    goal = LocalGoal.objects.create(institution=institution, created_by=actor, **values)
    goal.themes.set(themes)
    goal.municipal_goals.set(municipal_goals)
    audit(
        actor=actor,
        action="goals.goal.created",
        obj=goal,
        institution=institution,
        summary=goal.title,
        changes={
            "status": [None, status],
            "themes": [[], _names(themes)],
            "plan": [None, str(plan) if plan else None],
        },
    )
    return goal


@transaction.atomic
def goal_update(*, actor: User, goal: LocalGoal, **data) -> LocalGoal:
    """Change a goal; what changed, by whom and when is kept in the audit trail (the
    goal's history). Themes and municipal goals are kept as names."""
    goal = LocalGoal.objects.select_for_update(of=("self",)).select_related("plan").get(pk=goal.pk)
    values = _pick(data, GOAL_FIELDS)
    if "title" in values:
        values["title"] = values["title"].strip()
    themes = list(data["themes"]) if "themes" in data else None
    municipal_goals = list(data["municipal_goals"]) if "municipal_goals" in data else None
    _check_goal(goal.institution, values, municipal_goals)
    changes = diff(goal, values)
    if "plan" in changes:
        changes["plan"] = [str(goal.plan) if goal.plan else None, str(values["plan"] or "") or None]
    if themes is not None:
        before = _names(goal.themes.all())
        if before != _names(themes):
            changes["themes"] = [before, _names(themes)]
        goal.themes.set(themes)
    if municipal_goals is not None:
        before = _names(goal.municipal_goals.all())
        if before != _names(municipal_goals):
            changes["municipal_goals"] = [before, _names(municipal_goals)]
        goal.municipal_goals.set(municipal_goals)
    for field, value in values.items():
        setattr(goal, field, value)
    goal.save()
    if changes:
        audit(
            actor=actor,
            action="goals.goal.updated",
            obj=goal,
            institution=goal.institution,
            summary=goal.title,
            changes=changes,
        )
    return goal


# Action plans and steps ---------------------------------------------------------------


@transaction.atomic
def action_plan_create(
    *, actor: User, goal: LocalGoal, title: str, description: str = ""
) -> ActionPlan:
    if not title.strip():
        raise ValidationError(_("Give the action plan a title."))
    plan = ActionPlan.objects.create(goal=goal, title=title.strip(), description=description)
    audit(
        actor=actor,
        action="goals.action_plan.created",
        obj=plan,
        institution=goal.institution,
        summary=plan.title,
        changes={"goal": goal.pk},
    )
    return plan


@transaction.atomic
def action_plan_update(
    *, actor: User, plan: ActionPlan, title: str, description: str = ""
) -> ActionPlan:
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if not title.strip():
        raise ValidationError(_("Give the action plan a title."))
    changes = diff(plan, {"title": title.strip(), "description": description})
    plan.title, plan.description = title.strip(), description
    plan.save()
    if changes:
        audit(
            actor=actor,
            action="goals.action_plan.updated",
            obj=plan,
            institution=plan.goal.institution,
            summary=plan.title,
            changes=changes,
        )
    return plan


def _check_owner(institution_id: int, owner: User | None) -> None:
    if not is_member(institution_id, owner):
        raise ValidationError(_("The owner must be a member of the daycare's staff."))


@transaction.atomic
def step_create(
    *,
    actor: User,
    plan: ActionPlan,
    title: str,
    owner: User,
    due_on: date,
    description: str = "",
    source_decision=None,
) -> ActionStep:
    """Add a step at the end of the plan. The owner must work in the daycare."""
    # Lock the plan so two steps added at once get different positions.
    plan = (
        ActionPlan.objects.select_for_update().select_related("goal__institution").get(pk=plan.pk)
    )
    institution = plan.goal.institution
    if not title.strip():
        raise ValidationError(_("Give the step a title."))
    _check_owner(institution.pk, owner)
    last = plan.steps.aggregate(last=Max("position"))["last"] or 0
    step = ActionStep.objects.create(
        plan=plan,
        title=title.strip(),
        description=description,
        owner=owner,
        due_on=due_on,
        position=last + 1,
        source_decision=source_decision,
    )
    audit(
        actor=actor,
        action="goals.step.created",
        obj=step,
        institution=institution,
        summary=step.title,
        changes={
            "owner": [None, owner.name],
            "due_on": [None, due_on.isoformat()],
            "decision": source_decision.pk if source_decision else None,
        },
    )
    return step


def _locked_step(step: ActionStep) -> ActionStep:
    return (
        ActionStep.objects.select_for_update(of=("self",))
        .select_related("plan__goal__institution", "owner")
        .get(pk=step.pk)
    )


@transaction.atomic
def step_update(*, actor: User, step: ActionStep, **data) -> ActionStep:
    step = _locked_step(step)
    institution = step.plan.goal.institution
    values = _pick(data, STEP_FIELDS)
    if "title" in values:
        values["title"] = values["title"].strip()
        if not values["title"]:
            raise ValidationError(_("Give the step a title."))
    if "owner" in values and values["owner"] != step.owner:
        _check_owner(institution.pk, values["owner"])
    changes = diff(step, values)
    if "owner" in changes:
        changes["owner"] = [
            step.owner.name if step.owner else None,
            values["owner"].name if values["owner"] else None,
        ]
    for field, value in values.items():
        setattr(step, field, value)
    step.save()
    if changes:
        audit(
            actor=actor,
            action="goals.step.updated",
            obj=step,
            institution=institution,
            summary=step.title,
            changes=changes,
        )
    return step


@transaction.atomic
def step_set_status(*, actor: User, step: ActionStep, status: str) -> ActionStep:
    """Set the status; a step marked done records when, and loses it when reopened."""
    if status not in ActionStep.Status.values:
        raise ValidationError(_("Choose a status."))
    step = _locked_step(step)
    if step.status == status:
        return step
    before = step.status
    step.status = status
    step.completed_at = timezone.now() if status == ActionStep.Status.DONE else None
    step.save(update_fields=["status", "completed_at", "updated_at"])
    audit(
        actor=actor,
        action="goals.step.status_changed",
        obj=step,
        institution=step.plan.goal.institution,
        summary=step.title,
        changes={"status": [before, status]},
    )
    return step


@transaction.atomic
def step_move(*, actor: User, step: ActionStep, direction: str) -> bool:
    """Swap the step with its neighbour above ("up") or below ("down"). False when it is
    already first or last. The plan's steps are locked while they swap places."""
    if direction not in ("up", "down"):
        raise ValidationError(_("A step moves up or down."))
    steps = list(
        ActionStep.objects.select_for_update()
        .filter(plan_id=step.plan_id)
        .order_by("position", "pk")
    )
    index = next((i for i, s in enumerate(steps) if s.pk == step.pk), None)
    if index is None:
        raise ValidationError(_("The step no longer exists."))
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(steps):
        return False
    current, other = steps[index], steps[other_index]
    current.position, other.position = other.position, current.position
    # The unique (plan, position) constraint is deferred to the commit, so the swap holds.
    ActionStep.objects.bulk_update([current, other], ["position"])
    audit(
        actor=actor,
        action="goals.step.moved",
        obj=current,
        institution=step.plan.goal.institution,
        summary=current.title,
        changes={"position": [other.position, current.position]},
    )
    step.position = current.position
    return True


# Evidence -----------------------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    step: ActionStep,
    kind: str,
    text: str = "",
    url: str = "",
    upload=None,
) -> Evidence:
    """Add evidence to a step: a text, a link (http or https), a document or a photo.
    Files are checked by content; photos are stored without their metadata."""
    step = _locked_step(step)
    institution = step.plan.goal.institution
    text = text.strip()
    evidence = Evidence(step=step, kind=kind, text=text, added_by=actor)
    if kind == Evidence.Kind.TEXT:
        if not text:
            raise ValidationError(_("Describe what was done."))
    elif kind == Evidence.Kind.LINK:
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError(_("A link starts with https:// or http://."))
        evidence.url = url
    elif kind in (Evidence.Kind.FILE, Evidence.Kind.PHOTO):
        if upload is None:
            raise ValidationError(_("Choose a file."))
        kinds = (IMAGE,) if kind == Evidence.Kind.PHOTO else (DOCUMENT,)
        checked = check_upload(upload, accept=kinds)
        evidence.file_name = checked.name
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        evidence.file.save(checked.name, checked.content, save=False)
    else:
        raise ValidationError(_("Choose what kind of evidence it is."))
    try:
        evidence.save()
    except Exception:
        if evidence.file:
            evidence.file.storage.delete(evidence.file.name)
        raise
    audit(
        actor=actor,
        action="goals.evidence.added",
        obj=evidence,
        institution=institution,
        summary=step.title,
        changes={"step": step.pk, "kind": kind, "file": evidence.file_name or None},
    )
    return evidence


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    """Remove evidence; its file leaves the storage once the removal is committed."""
    evidence = (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("step__plan__goal__institution")
        .get(pk=evidence.pk)
    )
    name, storage = evidence.file.name, evidence.file.storage
    audit(
        actor=actor,
        action="goals.evidence.deleted",
        obj=evidence,
        institution=evidence.step.plan.goal.institution,
        summary=evidence.step.title,
        changes={
            "step": evidence.step_id,
            "kind": evidence.kind,
            "file": evidence.file_name or None,
        },
    )
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
