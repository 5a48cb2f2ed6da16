"""After approval: the daycare's final report, closing the grant and reminders of reports
due."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.notify import notify
from institutions.selectors import administrators_of

from ..models import Application, EarmarkAllocation, Grant, Pool
from .common import (
    Outcome,
    State,
    _application_url,
    _grant_url,
    _kr,
    _lock_application,
    _move,
    leaders_of,
)


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
