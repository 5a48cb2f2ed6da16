"""The first indicator page: every indicator for every institution of a municipality.
The full dashboard (filters, trends, exports) grows from here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from institutions.models import Municipality
from institutions.permissions import can_view_municipality

from .indicators import Area, Status, evaluate
from .permissions import require


@login_required
def municipality_indicators(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.visible_to(request.user), pk=municipality_id
    )
    require(can_view_municipality(request.user, municipality))
    institutions = list(municipality.institutions.daycares().order_by("name"))
    matrix = evaluate(municipality=municipality, institutions=institutions)
    areas = []
    for area in Area:
        indicators = [i for i in matrix.indicators if i.area == area]
        if indicators:
            areas.append((area.label, len(indicators)))
    summaries = [
        {
            "indicator": indicator,
            "met": matrix.count(indicator, Status.MET),
            "at_risk": matrix.count(indicator, Status.AT_RISK),
            "not_met": matrix.count(indicator, Status.NOT_MET),
            "applicable": matrix.applicable(indicator),
        }
        for indicator in matrix.indicators
    ]
    return render(
        request,
        "portal/indicators.html",
        {
            "municipality": municipality,
            "matrix": matrix,
            "areas": areas,
            "summaries": summaries,
            "breadcrumbs": [(_("Home"), reverse("home")), (_("Indicators"), "")],
        },
    )
