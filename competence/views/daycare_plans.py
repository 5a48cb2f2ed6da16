"""A daycare's competence plan for a year and its activities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import apply
from institutions.access import institution_for
from institutions.models import Institution

from .. import permissions, selectors, services
from ..forms import ActivityForm, PlanForm
from .common import _form_page


@login_required
def plan_current(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    return redirect("competence:plan", institution.pk, timezone.localdate().year)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404


def _plan_crumbs(institution: Institution, year: int, *trail):
    return [
        (_("Home"), reverse("home")),
        (institution.name, reverse("institutions:detail", args=[institution.pk])),
        (
            _("Competence plan %(year)d") % {"year": year},
            reverse("competence:plan", args=[institution.pk, year]) if trail else "",
        ),
        *trail,
    ]


@login_required
def plan(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    _check_year(year)
    plan, totals = selectors.plan_with_totals(institution, year)
    return render(
        request,
        "competence/plan.html",
        {
            "institution": institution,
            "year": year,
            "plan": plan,
            "totals": totals,
            "activities": selectors.plan_activities(plan),
            "can": {
                "edit": permissions.can_edit_plan(request.user, institution),
                "activities": permissions.can_manage_activities(request.user, institution),
            },
            "breadcrumbs": _plan_crumbs(institution, year),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    _check_year(year)
    require(permissions.can_edit_plan(request.user, institution))
    current = institution.competence_plans.filter(year=year).first()
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.plan_save(
                actor=request.user,
                institution=institution,
                year=year,
                budget_ore=data["budget_ore"],
                hours=data["hours"],
                notes=data["notes"],
            ),
        ):
            messages.success(request, _("The competence plan was saved."))
            return redirect("competence:plan", institution.pk, year)
    return _form_page(
        request,
        form,
        title=_("Money and hours for %(year)d") % {"year": year},
        intro=_("What %(name)s sets aside for competence development in digitalisation.")
        % {"name": institution.name},
        cancel_url=reverse("competence:plan", args=[institution.pk, year]),
        crumbs=_plan_crumbs(institution, year, (_("Money and hours"), "")),
    )


def _activity_values(data: dict) -> dict:
    return {
        name: data[name]
        for name in (
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "planned_cost_ore",
            "spent_cost_ore",
            "planned_hours",
            "spent_hours",
            "participants",
        )
    }


@login_required
def activity_create(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    _check_year(year)
    require(permissions.can_manage_activities(request.user, institution))
    form = ActivityForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        values = _activity_values(form.cleaned_data)

        def create():
            plan = services.plan_for_year(institution=institution, year=year)
            services.activity_create(actor=request.user, plan=plan, **values)

        if apply(form, create):
            messages.success(request, _("The activity was added."))
            return redirect("competence:plan", institution.pk, year)
    return _form_page(
        request,
        form,
        title=_("New activity"),
        cancel_url=reverse("competence:plan", args=[institution.pk, year]),
        crumbs=_plan_crumbs(institution, year, (_("New activity"), "")),
    )


def _activity(institution: Institution, year: int, activity_id: int):
    from ..models import PlanActivity

    return get_object_or_404(
        PlanActivity.objects.filter(plan__institution=institution, plan__year=year),
        pk=activity_id,
    )


@login_required
def activity_edit(request: HttpRequest, pk: int, year: int, activity_id: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    require(permissions.can_manage_activities(request.user, institution))
    activity = _activity(institution, year, activity_id)
    form = ActivityForm(
        request.POST or None,
        institution=institution,
        initial=ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        values = _activity_values(form.cleaned_data)
        if apply(
            form,
            lambda: services.activity_update(actor=request.user, activity=activity, **values),
        ):
            messages.success(request, _("The activity was saved."))
            return redirect("competence:plan", institution.pk, year)
    return _form_page(
        request,
        form,
        title=activity.title,
        cancel_url=reverse("competence:plan", args=[institution.pk, year]),
        crumbs=_plan_crumbs(institution, year, (activity.title, "")),
    )


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int, year: int, activity_id: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    require(permissions.can_manage_activities(request.user, institution))
    activity = _activity(institution, year, activity_id)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("The activity was deleted."))
    return redirect("competence:plan", institution.pk, year)
