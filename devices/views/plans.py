"""Rotation plans and central purchase programmes: the municipality's pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import act, apply, crumbs
from institutions.access import municipality_for

from .. import permissions, selectors, services
from ..forms import PlanForm, ProgrammeForm, ProgrammeLineForm, SlotForm
from .common import plan_for, programme_for


def _plans_crumbs(municipality_id: int, *trail):
    return crumbs((_("Rotation plans"), reverse("devices:plans", args=[municipality_id])), *trail)


@login_required
def plans(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_municipality(request.user, municipality))
    return render(
        request,
        "devices/plans.html",
        {
            "municipality": municipality,
            "plans": list(municipality.rotation_plans.all()),
            "can_manage": permissions.can_manage_municipality(request.user, municipality),
            "breadcrumbs": crumbs((_("Rotation plans"), "")),
        },
    )


@login_required
def plan_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_manage_municipality(request.user, municipality))
    form = PlanForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():

        def create():
            plan = services.plan_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
            services.plan_generate(actor=request.user, plan=plan)
            return plan

        done = apply(form, create)
        if done:
            messages.success(request, _("The plan was generated. Adjust it, then publish it."))
            return redirect("devices:plan", done.value.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("New rotation plan"),
            "intro": _(
                "The plan gives every chosen daycare each chosen suitcase for the weeks of a "
                "turn, as far as the season allows, spreading the turns evenly. Closure days "
                "and existing bookings are respected."
            ),
            "submit_label": _("Generate the plan"),
            "cancel_url": reverse("devices:plans", args=[municipality.pk]),
            "breadcrumbs": _plans_crumbs(municipality.pk, (_("New rotation plan"), "")),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(permissions.can_view_municipality(request.user, plan.municipality))
    suitcases, rows, counts = selectors.plan_grid(plan)
    participants = list(plan.participants.order_by("name"))
    can_manage = permissions.can_manage_municipality(request.user, plan.municipality)
    return render(
        request,
        "devices/plan.html",
        {
            "plan": plan,
            "suitcases": suitcases,
            "rows": rows,
            "participants": [(p, counts.get(p.pk, 0)) for p in participants],
            "can_manage": can_manage and not plan.is_published,
            "breadcrumbs": _plans_crumbs(plan.municipality_id, (plan.name, "")),
        },
    )


@login_required
@require_POST
def plan_generate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(permissions.can_manage_municipality(request.user, plan.municipality))
    act(
        request,
        lambda: services.plan_generate(actor=request.user, plan=plan),
        _("The plan was generated again."),
    )
    return redirect("devices:plan", plan.pk)


@login_required
def plan_slot(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(permissions.can_manage_municipality(request.user, plan.municipality))
    slot = get_object_or_404(plan.slots.select_related("suitcase", "institution"), pk=slot_id)
    form = SlotForm(request.POST or None, plan=plan, initial={"institution": slot.institution})
    if request.method == "POST" and form.is_valid():
        call = lambda: services.plan_slot_change(  # noqa: E731
            actor=request.user, plan=plan, slot=slot, institution=form.cleaned_data["institution"]
        )
        if apply(form, call):
            messages.success(request, _("The turn was changed."))
            return redirect("devices:plan", plan.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("Turn %(turn)d: %(suitcase)s")
            % {"turn": slot.turn + 1, "suitcase": slot.suitcase.name},
            "intro": _("%(start)s to %(end)s. Give the turn to another daycare, or remove it.")
            % {
                "start": slot.starts_on.strftime("%d.%m.%Y"),
                "end": slot.ends_on.strftime("%d.%m.%Y"),
            },
            "cancel_url": reverse("devices:plan", args=[plan.pk]),
            "breadcrumbs": _plans_crumbs(
                plan.municipality_id,
                (plan.name, reverse("devices:plan", args=[plan.pk])),
                (_("Change a turn"), ""),
            ),
        },
    )


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request, pk)
    require(permissions.can_manage_municipality(request.user, plan.municipality))
    done = act(
        request,
        lambda: services.plan_publish(actor=request.user, plan=plan),
        _("The plan was published."),
    )
    if done:
        messages.info(
            request,
            ngettext(
                "%(n)d booking was made; the daycares have been told.",
                "%(n)d bookings were made; the daycares have been told.",
                done.value,
            )
            % {"n": done.value},
        )
    return redirect("devices:plan", plan.pk)


# Purchase programmes ------------------------------------------------------------------


def _programme_crumbs(municipality_id: int, *trail):
    return crumbs(
        (_("Purchase programmes"), reverse("devices:programmes", args=[municipality_id])), *trail
    )


@login_required
def programmes(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_municipality(request.user, municipality))
    return render(
        request,
        "devices/programmes.html",
        {
            "municipality": municipality,
            "programmes": list(selectors.programmes_of(municipality)),
            "can_manage": permissions.can_manage_municipality(request.user, municipality),
            "breadcrumbs": crumbs((_("Purchase programmes"), "")),
        },
    )


@login_required
def programme_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_manage_municipality(request.user, municipality))
    form = ProgrammeForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.programme_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, _("The programme was created."))
            return redirect("devices:programme", done.value.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("New purchase programme"),
            "cancel_url": reverse("devices:programmes", args=[municipality.pk]),
            "breadcrumbs": _programme_crumbs(municipality.pk, (_("New purchase programme"), "")),
        },
    )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk)
    require(permissions.can_view_municipality(request.user, programme.municipality))
    can_manage = permissions.can_manage_municipality(request.user, programme.municipality)
    form = (
        ProgrammeLineForm(request.POST or None, municipality=programme.municipality)
        if can_manage
        else None
    )
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            call = lambda: services.programme_line_add(  # noqa: E731
                actor=request.user, programme=programme, **form.cleaned_data
            )
            if apply(form, call):
                messages.success(request, _("The units were planned."))
                return redirect("devices:programme", programme.pk)
    selectors.with_pool_names([programme])
    lines = selectors.programme_lines(programme)
    planned = sum(line.planned for line in lines)
    distributed = sum(line.distributed for line in lines)
    return render(
        request,
        "devices/programme.html",
        {
            "programme": programme,
            "lines": lines,
            "planned": planned,
            "distributed": distributed,
            "spent_ore": distributed * programme.unit_price_ore,
            "form": form,
            "can_manage": can_manage,
            "breadcrumbs": _programme_crumbs(programme.municipality_id, (programme.name, "")),
        },
    )


@login_required
@require_POST
def programme_distribute(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    programme = programme_for(request, pk)
    require(permissions.can_manage_municipality(request.user, programme.municipality))
    line = get_object_or_404(programme.lines, pk=line_id)
    act(
        request,
        lambda: services.programme_distribute(actor=request.user, line=line),
        _("The units were distributed and registered as devices."),
    )
    return redirect("devices:programme", programme.pk)
