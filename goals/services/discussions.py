"""Forum discussions and their decisions, and curriculum evaluations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.indicators import indicators_changed
from core.uploads import DOCUMENT, check_upload
from institutions.models import Institution

from ..models import ActionPlan, ActionStep, CurriculumEvaluation, ForumDecision, ForumDiscussion
from .local import is_member, step_create

DISCUSSION_FIELDS = (
    "forum",
    "forum_other",
    "held_on",
    "topic",
    "participants",
    "reflection",
    "ethics",
    "ownership",
)
# A decision turned into a step without a date of its own is due in a month.
DEFAULT_STEP_DAYS = 30


def _pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {name: data[name] for name in fields if name in data}


def _check_discussion(values: dict) -> None:
    if values.get("forum") not in ForumDiscussion.Forum.values:
        raise ValidationError(_("Choose the forum."))
    if values["forum"] == ForumDiscussion.Forum.OTHER and not values.get("forum_other", "").strip():
        raise ValidationError(_("Name the forum."))
    if values["forum"] != ForumDiscussion.Forum.OTHER:
        values["forum_other"] = ""
    if not values.get("topic", "").strip():
        raise ValidationError(_("Give the topic of the discussion."))
    if values["held_on"] > timezone.localdate():
        raise ValidationError(_("Record a discussion once it has taken place."))


@transaction.atomic
def discussion_create(
    *,
    actor: User,
    institution: Institution,
    forum: str,
    held_on: date,
    topic: str,
    forum_other: str = "",
    participants: str = "",
    reflection: str = "",
    ethics: str = "",
    ownership: str = "",
    decisions: Iterable[str] = (),
) -> ForumDiscussion:
    """Record a discussion of digitalisation in one of the daycare's forums, with its
    decisions (one text each; blank ones are left out)."""
    values = {
        "forum": forum,
        "forum_other": forum_other.strip(),
        "held_on": held_on,
        "topic": topic.strip(),
        "participants": participants,
        "reflection": reflection,
        "ethics": ethics,
        "ownership": ownership,
    }
    _check_discussion(values)
    discussion = ForumDiscussion.objects.create(
        institution=institution, recorded_by=actor, **values
    )
    texts = [text.strip() for text in decisions if text.strip()]
    ForumDecision.objects.bulk_create(
        [
            ForumDecision(discussion=discussion, text=text, position=position)
            for position, text in enumerate(texts, start=1)
        ]
    )
    indicators_changed()  # bulk_create sends no signals
    audit(
        actor=actor,
        action="goals.discussion.created",
        obj=discussion,
        institution=institution,
        summary=str(discussion),
        changes={"decisions": len(texts)},
    )
    return discussion


@transaction.atomic
def discussion_update(*, actor: User, discussion: ForumDiscussion, **data) -> ForumDiscussion:
    discussion = ForumDiscussion.objects.select_for_update().get(pk=discussion.pk)
    values = {
        **{f: getattr(discussion, f) for f in DISCUSSION_FIELDS},
        **_pick(data, DISCUSSION_FIELDS),
    }
    values["topic"] = values["topic"].strip()
    values["forum_other"] = values["forum_other"].strip()
    _check_discussion(values)
    changes = diff(discussion, values)
    for field, value in values.items():
        setattr(discussion, field, value)
    discussion.save()
    if changes:
        audit(
            actor=actor,
            action="goals.discussion.updated",
            obj=discussion,
            institution=discussion.institution,
            summary=str(discussion),
            changes=changes,
        )
    return discussion


@transaction.atomic
def decision_add(
    *,
    actor: User,
    discussion: ForumDiscussion,
    text: str,
    responsible: User | None = None,
    due_on: date | None = None,
) -> ForumDecision:
    ForumDiscussion.objects.select_for_update().get(pk=discussion.pk)
    if not text.strip():
        raise ValidationError(_("Write the decision."))
    if responsible is not None and not is_member(discussion.institution_id, responsible):
        raise ValidationError(_("The person responsible must be a member of the daycare's staff."))
    last = discussion.decisions.aggregate(last=Max("position"))["last"] or 0
    decision = ForumDecision.objects.create(
        discussion=discussion,
        text=text.strip(),
        responsible=responsible,
        due_on=due_on,
        position=last + 1,
    )
    audit(
        actor=actor,
        action="goals.decision.added",
        obj=decision,
        institution=discussion.institution,
        summary=decision.text[:200],
        changes={"discussion": discussion.pk},
    )
    return decision


def _title(text: str) -> str:
    first_line = text.strip().splitlines()[0].strip()
    return first_line if len(first_line) <= 200 else first_line[:199] + "…"


@transaction.atomic
def decision_to_step(
    *, actor: User, decision: ForumDecision, plan: ActionPlan, today: date | None = None
) -> tuple[ActionStep, bool]:
    """Turn a decision into a step at the end of `plan` (one of the daycare's action
    plans). Returns (step, created); a decision becomes a step once only, so a second
    click (or a second person clicking at the same time) gets the same step.

    The step is owned by the decision's responsible person when they still work in the
    daycare, otherwise by whoever turns it into a step; it is due on the decision's
    date, or in 30 days."""
    decision = (
        ForumDecision.objects.select_for_update(of=("self",))
        .select_related("discussion__institution", "responsible")
        .get(pk=decision.pk)
    )
    existing = ActionStep.objects.filter(source_decision=decision).first()
    if existing is not None:
        return existing, False
    institution = decision.discussion.institution
    if plan.goal.institution_id != institution.pk:
        raise ValidationError(_("Choose one of the daycare's own action plans."))
    owner = decision.responsible if is_member(institution.pk, decision.responsible) else actor
    today = today or timezone.localdate()
    due_on = decision.due_on or today + timedelta(days=DEFAULT_STEP_DAYS)
    text = decision.text.strip()
    title = _title(text)
    step = step_create(
        actor=actor,
        plan=plan,
        title=title,
        owner=owner,
        due_on=due_on,
        description=text if text != title else "",
        source_decision=decision,
    )
    return step, True


@transaction.atomic
def evaluation_create(
    *,
    actor: User,
    institution: Institution,
    evaluated_on: date,
    summary: str,
    children_perspective: bool = False,
    document=None,
) -> CurriculumEvaluation:
    """Record an evaluation of the pedagogical curriculum, perhaps with its document."""
    if evaluated_on > timezone.localdate():
        raise ValidationError(_("An evaluation cannot be dated in the future."))
    if not summary.strip():
        raise ValidationError(_("Write a summary of the evaluation."))
    evaluation = CurriculumEvaluation(
        institution=institution,
        evaluated_on=evaluated_on,
        summary=summary.strip(),
        children_perspective=children_perspective,
        recorded_by=actor,
    )
    if document is not None:
        checked = check_upload(document, accept=(DOCUMENT,))
        evaluation.document_name = checked.name
        evaluation.document.save(checked.name, checked.content, save=False)
    try:
        evaluation.save()
    except Exception:
        if evaluation.document:
            evaluation.document.storage.delete(evaluation.document.name)
        raise
    audit(
        actor=actor,
        action="goals.evaluation.created",
        obj=evaluation,
        institution=institution,
        summary=f"{evaluated_on:%Y-%m-%d}",
        changes={"children_perspective": children_perspective},
    )
    return evaluation
