"""Status reports: asked for, made by a task, kept, and sent monthly.

report_request → (after commit) task portal.make_status_report → report_make
beat: portal.make_monthly_reports → monthly_reports_request → report_make → notify
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from core.audit import audit
from core.notify import notify
from core.pdf import html_to_pdf
from core.queue import enqueue
from core.uploads import random_name
from core.views import absolute_url
from institutions.models import Institution, Municipality
from institutions.selectors import administrators_of
from portal.models import StatusReport

from .documents import institution_report_html, municipality_report_html

logger = logging.getLogger(__name__)
State = StatusReport.State
# A report still "being made" after this long lost its worker: it may be made again.
STALE_AFTER = timedelta(minutes=10)


def _queue(report: StatusReport) -> None:
    enqueue("portal.make_status_report", report.pk)


def report_request(
    *, actor, municipality: Municipality | None = None, institution: Institution | None = None
) -> StatusReport:
    """Ask for a report of a daycare (`institution`) or of a whole municipality.

    The same person asking again for the same report while one is still waiting gets
    that one back rather than a second in the queue.
    """
    if institution is not None:
        municipality = institution.municipality
    kind = StatusReport.Kind.INSTITUTION if institution else StatusReport.Kind.MUNICIPALITY
    with transaction.atomic():
        waiting = (
            StatusReport.objects.select_for_update()
            .filter(
                kind=kind,
                municipality=municipality,
                institution=institution,
                requested_by=actor,
                state__in=[State.QUEUED, State.RUNNING],
            )
            .first()
        )
        if waiting is not None:
            return waiting
        report = StatusReport.objects.create(
            kind=kind,
            municipality=municipality,
            institution=institution,
            requested_by=actor,
            language=getattr(actor, "language", "") or settings.LANGUAGE_CODE,
        )
        audit(
            actor=actor,
            action="status_report.requested",
            obj=report,
            municipality=municipality,
            institution=institution,
            summary=f"{report.get_kind_display()}: {report.subject}",
        )
        _queue(report)
    return report


def _claim(report_id: int) -> bool:
    """Mark the report as being made, unless it is done or another worker is on it."""
    now = timezone.now()
    return bool(
        StatusReport.objects.filter(pk=report_id)
        .filter(
            Q(state__in=[State.QUEUED, State.FAILED])
            | Q(state=State.RUNNING, started_at__lt=now - STALE_AFTER)
        )
        .update(state=State.RUNNING, started_at=now, error="")
    )


def render_report(report: StatusReport, *, today: date | None = None):
    today = today or timezone.localdate()
    asked_by = report.requested_by.name if report.requested_by_id else ""
    with translation.override(report.language):
        if report.institution_id:
            html = institution_report_html(report.institution, today=today, requested_by=asked_by)
        else:
            html = municipality_report_html(report.municipality, today=today, requested_by=asked_by)
    return html_to_pdf(html)


def report_make(*, report_id: int, today: date | None = None) -> bool:
    """Make the PDF of a report and store it. Idempotent: a report done (or being made by
    another worker) is left alone. Returns True when this call made it.

    A failure is recorded on the report (the page then says so) and raised again, so the
    task's retries and logs see it.
    """
    if not _claim(report_id):
        return False
    report = StatusReport.objects.select_related(
        "municipality", "institution__municipality", "requested_by"
    ).get(pk=report_id)
    try:
        pdf = render_report(report, today=today)
    except Exception as error:
        StatusReport.objects.filter(pk=report.pk).update(
            state=State.FAILED, finished_at=timezone.now(), error=str(error)[:300]
        )
        logger.exception("Status report %s failed", report.pk)
        raise
    day = timezone.localdate()
    # A random stored name: the download gets a readable one (views.report_download).
    name = random_name(f"reports/{day:%Y/%m}", "statusrapport.pdf")
    stored = report.file.storage.save(name, ContentFile(pdf.content))
    StatusReport.objects.filter(pk=report.pk).update(
        state=State.DONE, file=stored, pages=pdf.pages, finished_at=timezone.now()
    )
    report.refresh_from_db()
    if report.month is not None:
        _send_monthly(report)
    return True


def danish_slug(text: str) -> str:
    """A file name part that keeps Danish letters readable: Køge → koege."""
    return slugify(text.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})))


def _send_monthly(report: StatusReport) -> None:
    notify(
        recipients=administrators_of(report.municipality),
        kind="portal.monthly_report",
        template="portal/notifications/monthly_report",
        context={
            "report": report,
            "municipality": report.municipality,
            "month": report.month,
            "download_url": absolute_url(reverse("reports:download", args=[report.pk])),
        },
        url=reverse("reports:detail", args=[report.pk]),
        key=f"portal-monthly-report-{report.pk}",
    )


def monthly_reports_request(*, today: date | None = None) -> int:
    """Ask for this month's report of every municipality with daycares, once per month
    however often it runs. Returns how many were asked for now."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    made = 0
    municipalities = Municipality.objects.filter(
        institutions__kind__in=Institution.DAYCARE_KINDS, institutions__is_active=True
    ).distinct()
    for municipality in municipalities:
        with transaction.atomic():
            report, created = StatusReport.objects.get_or_create(
                municipality=municipality,
                month=month,
                defaults={"kind": StatusReport.Kind.MUNICIPALITY},
            )
            if created or report.state == State.FAILED:
                _queue(report)
                made += created
    return made
