"""A daycare's money: its grants and applications, and its own digital budget."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import act, apply, crumbs
from institutions.access import institution_for

from .. import permissions, selectors, services
from ..forms import DigitalBudgetLineForm
from ..models import DigitalBudgetLine
from .common import State, _institution_crumbs


@login_required
def institution_grants(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_grants(request.user, institution))
    grants = selectors.institution_grants(institution)
    applications = selectors.institution_applications(institution)
    if not permissions.can_apply(request.user, institution):
        applications = [a for a in applications if a.state != State.DRAFT]
    return render(
        request,
        "grants/institution.html",
        {
            "institution": institution,
            "balances": selectors.balances(grants),
            "grants": grants,
            "applications": applications,
            "open_pools": selectors.open_pools_for(institution)
            if permissions.can_apply(request.user, institution)
            else [],
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Grants"), ""),
            ),
        },
    )


@login_required
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_grants(request.user, institution))
    can_manage = permissions.can_manage_budget(request.user, institution)
    form = DigitalBudgetLineForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            data = form.cleaned_data
            if apply(
                form,
                lambda: services.digital_budget_line_create(
                    actor=request.user, institution=institution, **data
                ),
            ):
                messages.success(request, _("The budget line was added."))
                return redirect(
                    reverse("grants:budget", args=[institution.pk]) + f"?aar={data['year']}"
                )
    years = selectors.budget_years(institution)
    try:
        year = int(request.GET.get("aar", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    lines, result = selectors.budget_by_year(institution, year)
    return render(
        request,
        "grants/budget.html",
        {
            "institution": institution,
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "lines": lines,
            "result": result,
            "form": form,
            "can_manage": can_manage,
            "breadcrumbs": _institution_crumbs(institution, (_("Budget"), "")),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def budget_line_delete(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_budget(request.user, institution))
    line = get_object_or_404(DigitalBudgetLine.objects.filter(institution=institution), pk=line_id)
    act(
        request,
        lambda: services.digital_budget_line_delete(actor=request.user, line=line),
        _("The budget line was removed."),
    )
    return redirect(reverse("grants:budget", args=[institution.pk]) + f"?aar={line.year}")
