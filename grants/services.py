"""Writes to pools, applications, share runs, grants, expenses and budgets.

Every service is keyword-only, atomic, audited, and raises ValidationError with a
Danish-translatable message when the input breaks a rule. Views call exactly one.

Locking order, so two services never wait on each other in a circle: the pool row first,
then the application, then the grant, then an earmark allocation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.indicators import indicators_changed
from core.money import ORE_PER_KRONE, format_kroner, largest_remainder
from core.notify import notify
from core.queue import enqueue
from core.uploads import check_upload, random_name
from core.views import absolute_url
from institutions.models import ChildrenCount, Institution, Membership, Municipality, MunicipalRole

from .models import (
    RECEIPT_TYPES,
    Application,
    ApplicationEvent,
    BudgetLine,
    DigitalBudgetLine,
    Earmark,
    EarmarkAllocation,
    Expense,
    Grant,
    Pool,
    ReviewComment,
    Share,
    ShareRun,
    receipt_path,
)

State = Application.State
Outcome = Application.Outcome

POOL_FIELDS = (
    "name",
    "description",
    "kind",
    "total_ore",
    "period_start",
    "period_end",
    "opens_on",
    "closes_on",
    "max_per_application_ore",
    "partial_funding_allowed",
    "earmarks",
    "eligible_kinds",
)
APPLICATION_FIELDS = (
    "project",
    "purpose",
    "local_goal",
    "goal_text",
    "amount_asked_ore",
    "partial_funding_helps",
)


def _pick(data: dict, fields: Sequence[str]) -> dict:
    return {name: data[name] for name in fields if name in data}


def _kr(ore: int) -> str:
    return format_kroner(ore)


def leaders_of(institution: Institution | int) -> list[User]:
    pk = getattr(institution, "pk", institution)
    return list(
        User.objects.filter(
            memberships__institution_id=pk, memberships__role=Membership.Role.LEADER
        ).distinct()
    )


def administrators_of(municipality: Municipality | int) -> list[User]:
    pk = getattr(municipality, "pk", municipality)
    return list(
        User.objects.filter(
            municipal_roles__municipality_id=pk,
            municipal_roles__role=MunicipalRole.Role.ADMINISTRATOR,
        ).distinct()
    )


# Pools --------------------------------------------------------------------------------


def _check_pool(values: dict) -> None:
    kind = values["kind"]
    if not values.get("earmarks"):
        raise ValidationError(_("Choose at least one earmark the money may be spent on."))
    if values["period_end"] < values["period_start"]:
        raise ValidationError(_("The period must end after it starts."))
    if values.get("total_ore", 0) <= 0:
        raise ValidationError(_("The total amount must be more than 0 kr."))
    if kind == Pool.Kind.FORMULA:
        if values["total_ore"] % ORE_PER_KRONE:
            raise ValidationError(_("A pool shared by formula is shared in whole kroner."))
        if values.get("opens_on") or values.get("closes_on"):
            raise ValidationError(_("A pool shared by formula has no application deadline."))
        if values.get("max_per_application_ore"):
            raise ValidationError(
                _("A pool shared by formula has no largest amount per application.")
            )
    else:
        if not values.get("closes_on"):
            raise ValidationError(_("A pool that daycares apply to needs a deadline."))
        opens = values.get("opens_on")
        if opens and values["closes_on"] < opens:
            raise ValidationError(_("The deadline must come after the pool opens."))
        largest = values.get("max_per_application_ore")
        if largest is not None and largest > values["total_ore"]:
            raise ValidationError(
                _("The largest amount per application cannot exceed the pool's total.")
            )


@transaction.atomic
def pool_create(*, actor: User, municipality: Municipality, **data) -> Pool:
    """Create a pool in `municipality`. It is seen by daycares once published."""
    values = _pick(data, POOL_FIELDS)
    values.setdefault("eligible_kinds", [])
    if values["kind"] == Pool.Kind.FORMULA:
        values["opens_on"] = values["closes_on"] = values["max_per_application_ore"] = None
    _check_pool(values)
    if Pool.objects.filter(municipality=municipality, name__iexact=values["name"]).exists():
        raise ValidationError(_("The municipality already has a pool with that name."))
    pool = Pool.objects.create(municipality=municipality, **values)
    audit(
        actor=actor,
        action="grants.pool.created",
        obj=pool,
        municipality=municipality,
        summary=f"{pool.name}: {_kr(pool.total_ore)}",
    )
    return pool


@transaction.atomic
def pool_update(*, actor: User, pool: Pool, **data) -> Pool:
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    values = _pick(data, POOL_FIELDS)
    values.pop("kind", None)  # a pool keeps its kind: its money already moved that way
    merged = {name: values.get(name, getattr(pool, name)) for name in POOL_FIELDS}
    if pool.is_formula:
        merged["opens_on"] = merged["closes_on"] = merged["max_per_application_ore"] = None
        values.update(opens_on=None, closes_on=None, max_per_application_ore=None)
    _check_pool(merged)
    if merged["total_ore"] < pool.committed_ore:
        raise ValidationError(
            _("The total cannot be less than what is already committed (%(committed)s).")
            % {"committed": _kr(pool.committed_ore)}
        )
    run = ShareRun.objects.filter(pool=pool).first()
    if run is not None and run.is_published and merged["total_ore"] != pool.total_ore:
        raise ValidationError(_("The total cannot change after the shares are published."))
    clash = Pool.objects.filter(
        municipality_id=pool.municipality_id, name__iexact=merged["name"]
    ).exclude(pk=pool.pk)
    if clash.exists():
        raise ValidationError(_("The municipality already has a pool with that name."))
    changes = diff(pool, values)
    for name, value in values.items():
        setattr(pool, name, value)
    pool.save()
    if changes:
        audit(
            actor=actor,
            action="grants.pool.updated",
            obj=pool,
            municipality=pool.municipality,
            summary=pool.name,
            changes=changes,
        )
    return pool


@transaction.atomic
def pool_publish(*, actor: User, pool: Pool) -> Pool:
    """Open an applied-for pool to the daycares (formula pools publish their shares)."""
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    if pool.is_formula:
        raise ValidationError(_("A pool shared by formula is published with its shares."))
    if pool.published_at is not None:
        raise ValidationError(_("The pool is already published."))
    if pool.closes_on < timezone.localdate():
        raise ValidationError(_("The deadline has passed. Move it before publishing."))
    pool.published_at = timezone.now()
    pool.save(update_fields=["published_at"])
    audit(
        actor=actor,
        action="grants.pool.published",
        obj=pool,
        municipality=pool.municipality,
        summary=pool.name,
    )
    enqueue("grants.notify_pool_published", pool.pk)
    return pool


def pool_published_notify(*, pool_id: int) -> int:
    """Tell the leaders of every daycare that may apply. Idempotent (one key per pool)."""
    pool = Pool.objects.select_related("municipality").filter(pk=pool_id).first()
    if pool is None or pool.published_at is None or pool.is_formula:
        return 0
    daycares = pool.municipality.institutions.daycares()
    if pool.eligible_kinds:
        daycares = daycares.filter(kind__in=pool.eligible_kinds)
    recipients = User.objects.filter(
        memberships__institution__in=daycares, memberships__role=Membership.Role.LEADER
    ).distinct()
    return len(
        notify(
            recipients=recipients,
            kind="grants.pool_published",
            template="grants/notifications/pool_published",
            context={"pool": pool, "total": _kr(pool.total_ore)},
            url=_pool_url(pool),
            key=f"grants-pool-published-{pool.pk}",
        )
    )


def _pool_url(pool: Pool) -> str:
    from django.urls import reverse

    return reverse("grants:pool", args=[pool.pk])


def _application_url(application: Application) -> str:
    from django.urls import reverse

    return reverse("grants:application", args=[application.pk])


def _grant_url(grant: Grant) -> str:
    from django.urls import reverse

    return reverse("grants:grant", args=[grant.pk])


# Applications: drafting ---------------------------------------------------------------


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


def _log(application: Application, *, actor, from_state: str, to_state: str, note: str = ""):
    event = ApplicationEvent.objects.create(
        application=application, from_state=from_state, to_state=to_state, actor=actor, note=note
    )
    audit(
        actor=actor,
        action=f"grants.application.{to_state}",
        obj=application,
        institution=application.institution,
        summary=f"{application.project}: {from_state or '–'} → {to_state}",
        changes={"state": [from_state, to_state], **({"note": note} if note else {})},
    )
    return event


def _move(application: Application, to_state: str, *, actor, note: str = "") -> ApplicationEvent:
    """Move a locked application along one of its legal transitions, and log it."""
    if not application.can_move_to(to_state):
        raise ValidationError(
            _("This cannot be done while the application is “%(state)s”.")
            % {"state": application.get_state_display()}
        )
    from_state = application.state
    application.state = to_state
    application.save(update_fields=["state"])
    return _log(application, actor=actor, from_state=from_state, to_state=to_state, note=note)


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


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("pool", "institution")
        .get(pk=application.pk)
    )


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


# Applications: review and decision ----------------------------------------------------


@transaction.atomic
def application_start_review(*, actor: User, application: Application) -> Application:
    application = _lock_application(application)
    _move(application, State.IN_REVIEW, actor=actor)
    return application


def _comment(application: Application, *, actor, body: str) -> ReviewComment:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment."))
    comment = ReviewComment.objects.create(application=application, author=actor, body=body)
    audit(
        actor=actor,
        action="grants.application.commented",
        obj=application,
        institution=application.institution,
        summary=f"{application.project}: {body[:200]}",
    )
    return comment


def _tell_about_comment(
    application: Application, comment: ReviewComment, *, kind: str, recipients: list[User]
) -> None:
    notify(
        recipients=[u for u in recipients if u.pk != comment.author_id],
        kind=f"grants.{kind}",
        template=f"grants/notifications/{kind}",
        context={"application": application, "comment": comment.body},
        url=_application_url(application),
        key=f"grants-comment-{comment.pk}",
    )


@transaction.atomic
def application_comment(*, actor: User, application: Application, body: str) -> ReviewComment:
    """A comment in the dialogue between the municipality and the daycare."""
    application = _lock_application(application)
    if application.state in (State.DRAFT, State.WITHDRAWN, State.CLOSED):
        raise ValidationError(
            _("Comments cannot be written while the application is “%(state)s”.")
            % {"state": application.get_state_display()}
        )
    comment = _comment(application, actor=actor, body=body)
    leaders = leaders_of(application.institution_id)
    # The other side of the dialogue is told: the daycare's leaders, or the administrators.
    if actor.pk in {u.pk for u in leaders}:
        recipients = administrators_of(application.institution.municipality_id)
    else:
        recipients = leaders
    _tell_about_comment(application, comment, kind="comment_added", recipients=recipients)
    return comment


@transaction.atomic
def application_request_changes(
    *, actor: User, application: Application, comment: str
) -> Application:
    """Send the application back to the daycare with what to change."""
    application = _lock_application(application)
    if not comment.strip():
        raise ValidationError(_("Say what the daycare should change."))
    _move(application, State.CHANGES_REQUESTED, actor=actor, note=comment.strip())
    written = _comment(application, actor=actor, body=comment)
    _tell_about_comment(
        application,
        written,
        kind="changes_requested",
        recipients=leaders_of(application.institution_id),
    )
    return application


def _split_by_earmark(amount_ore: int, lines: Sequence[BudgetLine]) -> dict[str, int]:
    """The granted amount split over the budget's earmarks in proportion to the budget."""
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.earmark] = totals.get(line.earmark, 0) + line.amount_ore
    earmarks = sorted(totals)
    parts = largest_remainder(amount_ore, [totals[e] for e in earmarks])
    return {earmark: part for earmark, part in zip(earmarks, parts, strict=True) if part}


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application: Application,
    outcome: str,
    reason: str = "",
    approved_ore: int | None = None,
    report_due_on: date | None = None,
) -> Application:
    """Decide an application in review: approved in full, in part (an amount), or rejected.

    An approval commits money: the pool row is locked first and the decision refused if
    the pool has too little left; the database's check on the pool backs this. The
    decision letter is made and sent to the daycare by a task after commit.
    """
    pool = Pool.objects.select_for_update().get(pk=application.pool_id)
    application = _lock_application(application)
    reason = reason.strip()
    today = timezone.localdate()
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose a decision."))
    if not application.can_move_to(State.DECIDED):
        raise ValidationError(
            _("Only an application in review can be decided; this one is “%(state)s”.")
            % {"state": application.get_state_display()}
        )
    if outcome == Outcome.REJECTED:
        if not reason:
            raise ValidationError(_("Give the reason for the rejection."))
        approved_ore = None
        report_due_on = None
    else:
        if outcome == Outcome.APPROVED:
            approved_ore = application.amount_asked_ore
        else:
            if not pool.partial_funding_allowed:
                raise ValidationError(_("The pool's rules do not allow partial funding."))
            if not application.partial_funding_helps:
                raise ValidationError(
                    _("The daycare said partial funding does not help; approve or reject.")
                )
            if approved_ore is None or approved_ore <= 0:
                raise ValidationError(_("Give the amount granted."))
            if approved_ore >= application.amount_asked_ore:
                raise ValidationError(
                    _("Approved in part means less than the %(asked)s asked.")
                    % {"asked": _kr(application.amount_asked_ore)}
                )
            if not reason:
                raise ValidationError(_("Give the reason for granting less than asked."))
        if report_due_on is None:
            raise ValidationError(_("Give the date the final report is due."))
        if report_due_on < today:
            raise ValidationError(_("The final report cannot be due in the past."))
        if approved_ore > pool.available_ore:
            raise ValidationError(
                _("The pool has only %(left)s left to grant.") % {"left": _kr(pool.available_ore)}
            )
    application.outcome = outcome
    application.approved_ore = approved_ore
    application.decision_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.report_due_on = report_due_on
    application.decision_letter = ""
    from_state = application.state
    application.state = State.DECIDED
    application.save()
    note = {
        Outcome.APPROVED: _("Approved in full: %(amount)s"),
        Outcome.PARTLY_APPROVED: _("Approved in part: %(amount)s"),
        Outcome.REJECTED: _("Rejected"),
    }[outcome] % {"amount": _kr(approved_ore or 0)}
    _log(
        application,
        actor=actor,
        from_state=from_state,
        to_state=State.DECIDED,
        note=f"{note}\n{reason}" if reason else note,
    )
    if approved_ore:
        pool.committed_ore += approved_ore
        pool.save(update_fields=["committed_ore"])
        grant = Grant.objects.create(
            pool=pool,
            institution=application.institution,
            application=application,
            amount_ore=approved_ore,
        )
        split = _split_by_earmark(approved_ore, list(application.budget_lines.all()))
        EarmarkAllocation.objects.bulk_create(
            EarmarkAllocation(grant=grant, earmark=earmark, amount_ore=amount)
            for earmark, amount in split.items()
        )
        indicators_changed()  # bulk_create sends no signals
    enqueue("grants.make_decision_letter", application.pk)
    return application


def decision_letter_make(*, application_id: int) -> bool:
    """Make the decision letter (PDF), store it, and send the decision to the daycare.

    Idempotent: a letter already stored is kept, and the notification has one key per
    decision, so a retried task tells nobody twice. Returns True if a letter was made.
    """
    from .letters import render_decision_letter

    application = (
        Application.objects.select_related("pool__municipality", "institution", "decided_by")
        .filter(pk=application_id, decided_at__isnull=False)
        .first()
    )
    if application is None:
        return False
    made = False
    if not application.decision_letter:
        pdf = render_decision_letter(application)
        from django.core.files.base import ContentFile

        name = default_storage.save(
            random_name("grants/letters", "afgoerelse.pdf"), ContentFile(pdf)
        )
        updated = Application.objects.filter(pk=application.pk, decision_letter="").update(
            decision_letter=name
        )
        if updated:
            application.decision_letter = name
            made = True
        else:  # another worker stored one a moment ago: keep that one
            default_storage.delete(name)
            application.refresh_from_db(fields=["decision_letter"])
    from django.urls import reverse

    recipients = leaders_of(application.institution_id)
    if application.created_by_id and application.created_by.is_active:
        recipients.append(application.created_by)
    notify(
        recipients=recipients,
        kind="grants.decision",
        template="grants/notifications/decision",
        context={
            "application": application,
            "outcome": application.get_outcome_display(),
            "approved": _kr(application.approved_ore) if application.approved_ore else "",
            "asked": _kr(application.amount_asked_ore),
            "reason": application.decision_reason,
            "report_due_on": application.report_due_on,
            "letter_url": absolute_url(reverse("grants:decision_letter", args=[application.pk])),
        },
        url=_application_url(application),
        key=f"grants-decision-{application.pk}",
        object_id=application.pk,
    )
    return made


# After approval: report and close ------------------------------------------------------


@transaction.atomic
def application_report(
    *, actor: User, application: Application, report_text: str, report_evaluation: str
) -> Application:
    """The final report with its evaluation; after it the municipality closes the grant."""
    application = _lock_application(application)
    if not application.is_approved:
        raise ValidationError(_("Only an approved application has a final report."))
    if not report_text.strip() or not report_evaluation.strip():
        raise ValidationError(_("Describe what was done and evaluate it."))
    _move(application, State.REPORTING, actor=actor)
    application.report_text = report_text.strip()
    application.report_evaluation = report_evaluation.strip()
    application.reported_at = timezone.now()
    application.save(update_fields=["report_text", "report_evaluation", "reported_at"])
    notify(
        recipients=administrators_of(application.institution.municipality_id),
        kind="grants.report_submitted",
        template="grants/notifications/report_submitted",
        context={"application": application, "institution": application.institution.name},
        url=_application_url(application),
        key=f"grants-report-{application.pk}",
    )
    return application


@transaction.atomic
def grant_close(*, actor: User, grant: Grant) -> Grant:
    """Close a grant: what was not spent goes back to the pool (its committed amount falls
    by as much). An applied-for grant closes after its final report."""
    pool = Pool.objects.select_for_update().get(pk=grant.pool_id)
    grant = (
        Grant.objects.select_for_update(of=("self",)).select_related("institution").get(pk=grant.pk)
    )
    if grant.closed_at is not None:
        raise ValidationError(_("The grant is already closed."))
    if grant.application_id:
        application = _lock_application(grant.application)
        if application.state != State.REPORTING:
            raise ValidationError(_("The grant can be closed when the final report is in."))
        _move(application, State.CLOSED, actor=actor)
    allocations = list(EarmarkAllocation.objects.select_for_update().filter(grant=grant))
    spent = sum(a.spent_ore for a in allocations)
    unspent = grant.amount_ore - spent
    grant.returned_ore = unspent
    grant.closed_at = timezone.now()
    grant.save(update_fields=["returned_ore", "closed_at"])
    pool.committed_ore -= unspent
    pool.save(update_fields=["committed_ore"])
    audit(
        actor=actor,
        action="grants.grant.closed",
        obj=grant,
        institution=grant.institution,
        summary=f"{pool.name}: {_kr(spent)} spent, {_kr(unspent)} back to the pool",
        changes={"spent_ore": spent, "returned_ore": unspent},
    )
    notify(
        recipients=leaders_of(grant.institution_id),
        kind="grants.grant_closed",
        template="grants/notifications/grant_closed",
        context={"pool": pool.name, "spent": _kr(spent), "returned": _kr(unspent)},
        url=_grant_url(grant),
        key=f"grants-closed-{grant.pk}",
    )
    return grant


def report_reminders_send(*, today: date | None = None, days_before: int = 14) -> int:
    """Remind leaders of a final report due within `days_before` days, and once more when
    it is overdue. Each reminder is sent once per application and due date."""
    from datetime import timedelta

    today = today or timezone.localdate()
    due = Application.objects.filter(
        state=State.DECIDED,
        outcome__in=[Outcome.APPROVED, Outcome.PARTLY_APPROVED],
        report_due_on__isnull=False,
        report_due_on__lte=today + timedelta(days=days_before),
    ).select_related("institution")
    sent = 0
    for application in due:
        overdue = application.report_due_on < today
        kind = "report_overdue" if overdue else "report_due"
        sent += len(
            notify(
                recipients=leaders_of(application.institution_id),
                kind=f"grants.{kind}",
                template=f"grants/notifications/{kind}",
                context={"application": application, "due": application.report_due_on},
                url=_application_url(application),
                key=f"grants-{kind}-{application.pk}-{application.report_due_on:%Y%m%d}",
            )
        )
    return sent


# Expenses ------------------------------------------------------------------------------


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
    device=None,
) -> Expense:
    """Book an expense against one of the grant's earmarks, within what is left there;
    `device` is the daycare's device bought with it, if the expense is one."""
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
    if device is not None and device.institution_id != grant.institution_id:
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
                device=device,
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


# Shares by formula ----------------------------------------------------------------------


def share_inputs(pool: Pool, reference_date: date) -> list[tuple[Institution, date | None, int]]:
    """Each active daycare of the pool's municipality with its latest children count on or
    before `reference_date` (two queries in all)."""
    latest = ChildrenCount.objects.filter(
        institution=OuterRef("pk"), counted_on__lte=reference_date
    ).order_by("-counted_on")
    daycares = (
        pool.municipality.institutions.daycares()
        .annotate(
            counted_on=Subquery(latest.values("counted_on")[:1]),
            c02=Subquery(latest.values("aged_0_2")[:1]),
            c35=Subquery(latest.values("aged_3_5")[:1]),
            c6=Subquery(latest.values("aged_6_plus")[:1]),
        )
        .order_by("name", "pk")
    )
    return [(i, i.counted_on, (i.c02 or 0) + (i.c35 or 0) + (i.c6 or 0)) for i in daycares]


def compute_shares(
    *, total_ore: int, children: Sequence[int], has_wifi: Sequence[bool], wifi_reserve_ore: int
) -> list[tuple[int, int]]:
    """(amount, of which for Wi-Fi) per daycare, in whole kroner, adding up to the total."""
    kroner = largest_remainder(total_ore // ORE_PER_KRONE, list(children))
    result = []
    for amount_kr, wifi in zip(kroner, has_wifi, strict=True):
        amount = amount_kr * ORE_PER_KRONE
        result.append((amount, 0 if wifi else min(wifi_reserve_ore, amount)))
    return result


@transaction.atomic
def share_run_calculate(
    *,
    actor: User,
    pool: Pool,
    reference_date: date,
    wifi_reserve_ore: int,
    rest_earmark: str,
    without_wifi: Iterable[int] = (),
) -> ShareRun:
    """Calculate (or calculate again) the shares of a formula pool, as a preview.

    Stores the inputs (reference date, each daycare's count and Wi-Fi status), the method
    and the result. Refused once the shares are published.
    """
    pool = Pool.objects.select_for_update().select_related("municipality").get(pk=pool.pk)
    if not pool.is_formula:
        raise ValidationError(_("Only a pool shared by formula has shares."))
    run = ShareRun.objects.select_for_update().filter(pool=pool).first()
    if run is not None and run.is_published:
        raise ValidationError(_("The shares are published and can no longer be calculated again."))
    if rest_earmark not in pool.earmarks or rest_earmark == Earmark.WIFI:
        raise ValidationError(
            _("Choose one of the pool's earmarks (other than Wi-Fi) for the rest.")
        )
    if wifi_reserve_ore < 0:
        raise ValidationError(_("The amount cannot be negative."))
    if wifi_reserve_ore and Earmark.WIFI not in pool.earmarks:
        raise ValidationError(_("The pool is not earmarked for Wi-Fi."))
    if wifi_reserve_ore % ORE_PER_KRONE:
        raise ValidationError(_("Shares are in whole kroner."))
    if reference_date > timezone.localdate():
        raise ValidationError(_("The reference date cannot be in the future."))
    inputs = share_inputs(pool, reference_date)
    if not any(children for _i, _d, children in inputs):
        raise ValidationError(
            _("No daycare has a children count on or before %(date)s.")
            % {"date": reference_date.strftime("%d.%m.%Y")}
        )
    without = {int(pk) for pk in without_wifi}
    wifi_flags = [i.pk not in without for i, _d, _c in inputs]
    results = compute_shares(
        total_ore=pool.total_ore,
        children=[c for _i, _d, c in inputs],
        has_wifi=wifi_flags,
        wifi_reserve_ore=wifi_reserve_ore,
    )
    if run is None:
        run = ShareRun(pool=pool)
    run.reference_date = reference_date
    run.wifi_reserve_ore = wifi_reserve_ore
    run.rest_earmark = rest_earmark
    run.calculated_at = timezone.now()
    run.calculated_by = actor
    run.save()
    run.shares.all().delete()
    Share.objects.bulk_create(
        Share(
            run=run,
            institution=institution,
            counted_on=counted_on,
            children=children,
            has_wifi=wifi,
            amount_ore=amount,
            wifi_ore=wifi_amount,
        )
        for (institution, counted_on, children), wifi, (amount, wifi_amount) in zip(
            inputs, wifi_flags, results, strict=True
        )
    )
    audit(
        actor=actor,
        action="grants.shares.calculated",
        obj=run,
        municipality=pool.municipality,
        summary=f"{pool.name}: {reference_date:%Y-%m-%d}, {len(inputs)}",
        changes={
            "reference_date": reference_date.isoformat(),
            "wifi_reserve_ore": wifi_reserve_ore,
            "rest_earmark": rest_earmark,
            "without_wifi": sorted(without),
        },
    )
    return run


@transaction.atomic
def share_run_publish(*, actor: User, pool: Pool) -> ShareRun:
    """Publish the previewed shares: each daycare gets its grant with its earmarks, and
    the whole pool is committed."""
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    run = ShareRun.objects.select_for_update().filter(pool=pool).first()
    if run is None:
        raise ValidationError(_("Calculate the shares before publishing them."))
    if run.is_published:
        raise ValidationError(_("The shares are already published."))
    shares = list(run.shares.select_related("institution").filter(amount_ore__gt=0))
    total = sum(s.amount_ore for s in shares)
    if total != pool.total_ore:  # the preview is stale: the total changed since
        raise ValidationError(_("The pool's total has changed. Calculate the shares again."))
    now = timezone.now()
    grants = Grant.objects.bulk_create(
        Grant(
            pool=pool,
            institution=share.institution,
            share=share,
            amount_ore=share.amount_ore,
            created_at=now,
        )
        for share in shares
    )
    allocations = []
    for share, grant in zip(shares, grants, strict=True):
        if share.wifi_ore:
            allocations.append(
                EarmarkAllocation(grant=grant, earmark=Earmark.WIFI, amount_ore=share.wifi_ore)
            )
        if share.rest_ore:
            allocations.append(
                EarmarkAllocation(grant=grant, earmark=run.rest_earmark, amount_ore=share.rest_ore)
            )
    EarmarkAllocation.objects.bulk_create(allocations)
    indicators_changed()  # bulk_create sends no signals
    pool.committed_ore += total
    if pool.published_at is None:
        pool.published_at = now
    pool.save(update_fields=["committed_ore", "published_at"])
    run.status = ShareRun.Status.PUBLISHED
    run.published_at = now
    run.published_by = actor
    run.save(update_fields=["status", "published_at", "published_by"])
    audit(
        actor=actor,
        action="grants.shares.published",
        obj=run,
        municipality=pool.municipality,
        summary=f"{pool.name}: {_kr(total)} to {len(shares)}",
    )
    enqueue("grants.notify_shares_published", run.pk)
    return run


def shares_published_notify(*, run_id: int) -> int:
    """Tell each daycare's leaders their share and earmarks. Idempotent (a key per grant)."""
    grants = (
        Grant.objects.filter(share__run_id=run_id)
        .select_related("pool", "share")
        .prefetch_related("allocations")
    )
    leaders: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        institution__in=[g.institution_id for g in grants], role=Membership.Role.LEADER
    ).select_related("user"):
        leaders.setdefault(membership.institution_id, []).append(membership.user)
    sent = 0
    for grant in grants:
        earmarks = ", ".join(
            f"{a.get_earmark_display()}: {_kr(a.amount_ore)}" for a in grant.allocations.all()
        )
        sent += len(
            notify(
                recipients=leaders.get(grant.institution_id, []),
                kind="grants.share_published",
                template="grants/notifications/share_published",
                context={
                    "pool": grant.pool.name,
                    "amount": _kr(grant.amount_ore),
                    "earmarks": earmarks,
                    "period_end": grant.pool.period_end,
                },
                url=_grant_url(grant),
                key=f"grants-share-{grant.pk}",
            )
        )
    return sent


# The daycare's own budget -------------------------------------------------------------


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
