"""The compliance dashboard's pages: the matrix, one indicator, one daycare, exports.

Every view fetches its object through the user's scope (`visible_to`: 404 outside it),
then checks the role (403).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.indicators import all_indicators, get_indicator
from core.views import crumbs
from institutions.access import institution_for, municipality_for
from institutions.models import Municipality
from institutions.permissions import can_view_institution_indicators, can_work_on_indicators

from . import exports, selectors, trends
from .charts import area_chart, institution_chart, status_chart
from .forms import DashboardFilterForm
from .permissions import can_view_dashboard


def _filter_form(request: HttpRequest, municipality: Municipality) -> DashboardFilterForm:
    return DashboardFilterForm(request.GET or None, districts=selectors.districts(municipality))


def _sort_link(filters: selectors.Filters, key: str) -> dict[str, str]:
    """Sorting by `key`; on the column already sorted by, the other way round."""
    current = filters.sort == key
    descending = current and not filters.descending
    query = filters.as_query(sort="" if key == "name" else key, order="desc" if descending else "")
    state = ""
    if current:
        state = "descending" if filters.descending else "ascending"
    return {"url": "?" + urlencode(query), "aria_sort": state}


@login_required
@require_GET
def municipality_indicators(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=can_view_dashboard)
    form = _filter_form(request, municipality)
    filters = form.filters()
    today = timezone.localdate()
    # Evaluated only when the page's body is not cached for this version of the data.
    dashboard = SimpleLazyObject(
        lambda: selectors.municipality_dashboard(municipality, filters, today=today)
    )
    return render(
        request,
        "portal/dashboard/municipality.html",
        {
            "municipality": municipality,
            "dashboard": dashboard,
            "page_key": selectors.page_key(municipality, filters, today),
            "form": form,
            "filters": filters,
            "chart": SimpleLazyObject(
                lambda: area_chart(trends.municipality_trend(municipality, filters, today=today))
            ),
            "query": urlencode(filters.as_query()),
            "sorts": {key: _sort_link(filters, key) for key in ("name", "district", "met")},
            "columns": [{"indicator": i, **_sort_link(filters, i.code)} for i in all_indicators()],
            "breadcrumbs": crumbs((_("Indicators"), "")),
        },
    )


@login_required
@require_GET
def indicator(request: HttpRequest, municipality_id: int, code: str) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=can_view_dashboard)
    found = get_indicator(code)
    if found is None:
        raise Http404
    form = _filter_form(request, municipality)
    filters = form.filters()
    detail = selectors.indicator_detail(municipality, found, filters)
    trend = trends.municipality_trend(municipality, filters, indicator=found.code)
    # Where a daycare acts on it is linked only for those that page lets in.
    fixable = {
        institution.pk
        for institution, result in detail.rows
        if result.fix_url and found.may_fix(request.user, institution, result)
    }
    return render(
        request,
        "portal/dashboard/indicator.html",
        {
            "municipality": municipality,
            "detail": detail,
            "fixable": fixable,
            "indicator": found,
            "form": form,
            "today": timezone.localdate(),
            "chart": status_chart(trend, found),
            "breadcrumbs": crumbs(
                (_("Indicators"), reverse("indicators:municipality", args=[municipality.pk])),
                (str(found.title), ""),
            ),
        },
    )


@login_required
@require_GET
def institution_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk, check=can_view_institution_indicators)
    dashboard = selectors.institution_dashboard(institution)
    own = trends.institution_trend(institution, today=dashboard.today)
    everyone = trends.municipality_trend(institution.municipality, today=dashboard.today)
    municipal = can_view_dashboard(request.user, institution.municipality)
    trail = [(institution.name, reverse("institutions:detail", args=[institution.pk]))]
    if municipal:
        trail.insert(
            0,
            (
                _("Indicators"),
                reverse("indicators:municipality", args=[institution.municipality_id]),
            ),
        )
    return render(
        request,
        "portal/dashboard/institution.html",
        {
            "institution": institution,
            "dashboard": dashboard,
            "municipal": bool(municipal),
            "can_fix": can_work_on_indicators(request.user, institution),
            "chart": institution_chart(own, everyone, institution.name),
            "breadcrumbs": crumbs(*trail, (_("Indicators"), "")),
        },
    )


@login_required
@require_GET
def export_csv(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=can_view_dashboard)
    dashboard = selectors.municipality_dashboard(
        municipality, _filter_form(request, municipality).filters()
    )
    response = HttpResponse(exports.matrix_csv(dashboard), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(dashboard, "csv")}"'
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=can_view_dashboard)
    dashboard = selectors.municipality_dashboard(
        municipality, _filter_form(request, municipality).filters()
    )
    response = HttpResponse(
        exports.matrix_workbook(dashboard),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(dashboard, "xlsx")}"'
    )
    return response
