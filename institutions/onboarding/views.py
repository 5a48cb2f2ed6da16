"""Pages of the onboarding workbook, for the municipality's administrators: download the
template, upload, see the preview, import, follow the invitations going out."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.filenames import download_name
from core.permissions import require
from core.views import act, crumbs
from privacy import log, purposes

from .. import permissions
from ..access import municipality_for
from ..forms import WorkbookForm
from ..models import Child, Institution, Municipality, WorkbookImport
from . import services
from .check import Refused
from .template import template_workbook
from .write import Written

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _municipality(request: HttpRequest, municipality_id: int) -> Municipality:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    return municipality


def _workbook(municipality: Municipality, workbook_id: int) -> WorkbookImport:
    return get_object_or_404(
        municipality.workbook_imports.select_related("uploaded_by", "imported_by"),
        pk=workbook_id,
    )


def _crumbs(municipality: Municipality, *trail):
    """The trail to the workbook page, and on from it to `trail`."""
    url = reverse("institutions:workbook", args=[municipality.pk]) if trail else ""
    return crumbs((_("The municipality's workbook"), url), *trail)


def _count(text: str, number: int) -> str:
    """`text` (from ngettext) with the number written as the reader's language writes it."""
    return text % {"count": intcomma(number)}


def _totals(summary: dict) -> str:
    """ "37 daycares, 211 groups, …; 420 invitations will be sent", in the reader's
    language, as the municipality counts."""
    totals = summary["totals"]
    invitations = summary["invitations"]["total"]
    counts = ", ".join(
        (
            _count(
                ngettext("%(count)s daycare", "%(count)s daycares", totals["daycares"]),
                totals["daycares"],
            ),
            _count(
                ngettext("%(count)s group", "%(count)s groups", totals["groups"]), totals["groups"]
            ),
            _count(
                ngettext("%(count)s member of staff", "%(count)s staff", totals["staff"]),
                totals["staff"],
            ),
            _count(
                ngettext("%(count)s child", "%(count)s children", totals["children"]),
                totals["children"],
            ),
            _count(
                ngettext("%(count)s guardian", "%(count)s guardians", totals["guardians"]),
                totals["guardians"],
            ),
        )
    )
    return _("%(counts)s; %(invitations)s") % {
        "counts": counts,
        "invitations": _count(
            ngettext(
                "%(count)s invitation will be sent",
                "%(count)s invitations will be sent",
                invitations,
            ),
            invitations,
        ),
    }


def _changes(summary: dict) -> list[dict]:
    """The preview's table: per kind, how many in the workbook, new, changed, moved and
    leaving (None where it does not apply)."""
    totals, invitations = summary["totals"], summary["invitations"]
    daycares, groups, children = summary["daycares"], summary["groups"], summary["children"]
    staff, guardians = summary["staff"], summary["guardians"]
    return [
        {
            "label": _("Daycares"),
            "values": [
                totals["daycares"],
                daycares["new"],
                daycares["changed"],
                None,
                daycares["closed"],
            ],
        },
        {
            "label": _("Groups and childminder homes"),
            "values": [totals["groups"], groups["new"], groups["changed"], None, groups["closed"]],
        },
        {
            "label": _("Staff members"),
            "values": [
                totals["staff"],
                staff["added"] + invitations["staff"],
                None,
                None,
                staff["removed"],
            ],
        },
        {
            "label": _("Children"),
            "values": [
                totals["children"],
                children["new"],
                children["changed"],
                children["moved"] + children["transferred"],
                children["left"],
            ],
        },
        {
            "label": _("Guardians"),
            "values": [
                totals["guardians"],
                guardians["added"] + invitations["guardians"],
                None,
                None,
                guardians["removed"],
            ],
        },
    ]


def _notes(summary: dict) -> list[str]:
    invitations, children = summary["invitations"], summary["children"]
    notes = [
        _count(
            ngettext(
                "%(count)s invitation goes to a new member of staff.",
                "%(count)s invitations go to new staff.",
                invitations["staff"],
            ),
            invitations["staff"],
        ),
        _count(
            ngettext(
                "%(count)s invitation goes to a new guardian.",
                "%(count)s invitations go to new guardians.",
                invitations["guardians"],
            ),
            invitations["guardians"],
        ),
        _(
            "People the portal already knows get their new role at once: %(staff)s in "
            "staff roles, %(guardians)s as guardians."
        )
        % {
            "staff": intcomma(summary["staff"]["added"]),
            "guardians": intcomma(summary["guardians"]["added"]),
        },
    ]
    if children["transferred"]:
        notes.append(
            _count(
                ngettext(
                    "%(count)s child moves to another daycare: the old daycare keeps its record "
                    "as a child who has left.",
                    "%(count)s children move to another daycare: the old daycare keeps their "
                    "records as children who have left.",
                    children["transferred"],
                ),
                children["transferred"],
            )
        )
    if summary.get("withdrawn"):
        notes.append(
            _count(
                ngettext(
                    "%(count)s pending invitation is withdrawn.",
                    "%(count)s pending invitations are withdrawn.",
                    summary["withdrawn"],
                ),
                summary["withdrawn"],
            )
        )
    return notes


def _progress(workbook: WorkbookImport) -> dict:
    done, total = services.workbook_progress(workbook)
    return {"done": done, "total": total, "finished": done >= total}


@login_required
def workbook(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = _municipality(request, municipality_id)
    form = WorkbookForm(request.POST or None, request.FILES or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            checked = services.workbook_check(
                actor=request.user, municipality=municipality, upload=form.cleaned_data["file"]
            )
        except Refused as exc:
            refused = exc
        else:
            return redirect("institutions:workbook_import", municipality.pk, checked.pk)
    return render(
        request,
        "institutions/onboarding/workbook.html",
        {
            "municipality": municipality,
            "form": form,
            "refused": refused,
            "history": municipality.workbook_imports.select_related("uploaded_by")[:12],
            "breadcrumbs": _crumbs(municipality),
        },
        status=400 if refused or form.errors else 200,
    )


@login_required
@require_GET
def workbook_template(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = _municipality(request, municipality_id)
    response = HttpResponse(template_workbook(municipality), content_type=XLSX)
    name = download_name(_("workbook"), municipality.name, extension="xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def workbook_import(request: HttpRequest, municipality_id: int, workbook_id: int) -> HttpResponse:
    """The preview of a checked workbook, or how its import went."""
    municipality = _municipality(request, municipality_id)
    checked = _workbook(municipality, workbook_id)
    expired = checked.state == WorkbookImport.State.READY and checked.expires_at <= timezone.now()
    return render(
        request,
        "institutions/onboarding/import.html",
        {
            "municipality": municipality,
            "workbook": checked,
            "summary": checked.summary,
            "totals": _totals(checked.summary),
            "changes": _changes(checked.summary),
            "notes": _notes(checked.summary),
            "expired": expired,
            **_progress(checked),
            "breadcrumbs": _crumbs(municipality, (checked.file_name, "")),
        },
    )


def log_written(request: HttpRequest, municipality: Municipality, written: Written) -> None:
    """Log the children whose records the import wrote as changed by the administrator,
    daycare by daycare."""
    for institution_id, children in written.children.items():
        log.log_access(
            request,
            children=[Child(pk=pk) for pk in sorted(children)],
            institution=Institution(pk=institution_id, municipality=municipality),
            action=log.CHANGE,
            purpose=purposes.WORKBOOK_IMPORT,
        )


@login_required
@require_POST
def workbook_commit(request: HttpRequest, municipality_id: int, workbook_id: int) -> HttpResponse:
    municipality = _municipality(request, municipality_id)
    checked = _workbook(municipality, workbook_id)
    with transaction.atomic():  # the import and the log of the children it changed
        done = act(
            request,
            lambda: services.workbook_import(actor=request.user, workbook=checked),
            _("The workbook was imported."),
        )
        if done:
            log_written(request, municipality, done.value)
    return redirect("institutions:workbook_import", municipality.pk, checked.pk)


@login_required
@require_GET
def workbook_progress(request: HttpRequest, municipality_id: int, workbook_id: int) -> HttpResponse:
    """The invitations' progress alone, for htmx to poll until every one has gone."""
    municipality = _municipality(request, municipality_id)
    checked = _workbook(municipality, workbook_id)
    return render(
        request,
        "institutions/onboarding/partials/progress.html",
        {"municipality": municipality, "workbook": checked, **_progress(checked)},
    )
