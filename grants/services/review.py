"""Applications in review: comments, requests for changes, the decision and its letter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.indicators import indicators_changed
from core.money import largest_remainder
from core.notify import notify
from core.queue import enqueue
from core.uploads import random_name
from core.views import absolute_url
from institutions.selectors import administrators_of

from ..models import Application, BudgetLine, EarmarkAllocation, Grant, Pool, ReviewComment
from .common import (
    Outcome,
    State,
    _application_url,
    _kr,
    _lock_application,
    _log,
    _move,
    leaders_of,
)


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
    from ..letters import render_decision_letter

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
