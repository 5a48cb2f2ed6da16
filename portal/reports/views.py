"""Pages for the PDF status reports: ask for one, follow its progress, download it.

Every view fetches its object through the user's scope (`visible_to`: 404 outside it),
then checks the role (403), then calls one service.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.permissions import require
from core.views import crumbs
from institutions.access import institution_for, municipality_for
from portal.models import StatusReport

from . import permissions, services
from .services import danish_slug

PAGE = 20


def _report(request: HttpRequest, pk: int) -> StatusReport:
    report = get_object_or_404(
        StatusReport.objects.visible_to(request.user).select_related(
            "municipality", "institution", "requested_by"
        ),
        pk=pk,
    )
    require(permissions.can_view_report(request.user, report))
    return report


@login_required
@require_GET
def municipality_reports(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(
        request, municipality_id, check=permissions.can_request_municipality_report
    )
    reports = (
        municipality.status_reports.filter(kind=StatusReport.Kind.MUNICIPALITY)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")[:PAGE]
    )
    return render(
        request,
        "portal/reports/list.html",
        {
            "subject": municipality.name,
            "reports": reports,
            "request_url": reverse("reports:municipality_request", args=[municipality.pk]),
            "intro": _(
                "Every indicator, a table per daycare, the trends and the deadlines. A report "
                "is also made on the first of every month and sent to the administrators."
            ),
            "breadcrumbs": crumbs(
                (_("Indicators"), reverse("indicators:municipality", args=[municipality.pk])),
                (_("Status reports"), ""),
            ),
        },
    )


@login_required
@require_POST
def municipality_report_request(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(
        request, municipality_id, check=permissions.can_request_municipality_report
    )
    report = services.report_request(actor=request.user, municipality=municipality)
    return redirect("reports:detail", report.pk)


@login_required
@require_GET
def institution_reports(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_request_institution_report)
    reports = institution.status_reports.select_related("requested_by").order_by(
        "-requested_at", "-id"
    )[:PAGE]
    return render(
        request,
        "portal/reports/list.html",
        {
            "subject": institution.name,
            "reports": reports,
            "request_url": reverse("reports:institution_request", args=[institution.pk]),
            "intro": _(
                "Goals and action plans, discussions, competence, devices, grants and "
                "spending, messaging reach, and every indicator with its evidence."
            ),
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Indicators"), reverse("indicators:institution", args=[institution.pk])),
                (_("Status reports"), ""),
            ),
        },
    )


@login_required
@require_POST
def institution_report_request(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_request_institution_report)
    report = services.report_request(actor=request.user, institution=institution)
    return redirect("reports:detail", report.pk)


def _list_url(report: StatusReport) -> str:
    if report.institution_id:
        return reverse("reports:institution", args=[report.institution_id])
    return reverse("reports:municipality", args=[report.municipality_id])


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(
        request,
        "portal/reports/detail.html",
        {
            "report": report,
            "breadcrumbs": crumbs(
                (_("Status reports"), _list_url(report)),
                (str(report.get_kind_display()), ""),
            ),
        },
    )


@login_required
@require_GET
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status box alone, for htmx to poll until the report is ready or failed. Only
    reads: the report is made by its task, never by looking. While the state is the one
    the page shows (`shown`), the answer is empty and htmx leaves the box as it is."""
    report = _report(request, pk)
    if request.GET.get("shown") == report.state:
        return HttpResponse(status=204)
    return render(request, "portal/reports/partials/status.html", {"report": report})


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = _report(request, pk)
    if report.state != StatusReport.State.DONE or not report.file:
        raise Http404
    day = f"{report.requested_at:%Y-%m-%d}"
    name = f"{danish_slug(_('status report'))}-{danish_slug(report.subject)}-{day}.pdf"
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
