"""The municipality's competence pages: the overview, the digital ambassadors and the
year's competence plans across its daycares."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from institutions.access import municipality_for

from .. import permissions, selectors
from .common import _crumbs


@login_required
def overview(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    user = request.user
    now = timezone.now()
    return render(
        request,
        "competence/overview.html",
        {
            "municipality": municipality,
            "events": municipality.events.filter(ends_at__gte=now).order_by("starts_at")[:3],
            "networks": selectors.networks_of(municipality)[:5],
            "posts": selectors.posts_for(municipality=municipality, user=user)[:3],
            "plan_institutions": permissions.staff_institutions(user, municipality),
            "can": {
                "events": permissions.can_manage_events(user, municipality),
                "networks": permissions.can_create_network(user, municipality),
                "share": permissions.can_share_experience(user, municipality),
                "plans": permissions.is_municipal(user, municipality),
            },
            "year": timezone.localdate().year,
            "breadcrumbs": _crumbs(None, (_("Competence development"), "")),
        },
    )


@login_required
def ambassadors(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    rows = selectors.ambassador_directory(municipality)
    return render(
        request,
        "competence/ambassadors.html",
        {
            "municipality": municipality,
            "rows": rows,
            "named": sum(1 for r in rows if r.ambassadors),
            "breadcrumbs": _crumbs(municipality, (_("Digital ambassadors"), "")),
        },
    )


@login_required
def plans(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    require(permissions.can_view_plans_overview(request.user, municipality))
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("aar", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= 2100:
        year = this_year
    rows = selectors.municipal_plans(municipality, year)
    return render(
        request,
        "competence/plans.html",
        {
            "municipality": municipality,
            "rows": rows,
            "year": year,
            "years": range(this_year + 1, this_year - 4, -1),
            "breadcrumbs": _crumbs(municipality, (_("Competence plans"), "")),
        },
    )
