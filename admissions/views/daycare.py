"""The daycare's pages: the waiting list, offers, places per month and children moving on
to school."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from core.views import apply
from institutions.access import institution_for
from institutions.models import Guardianship, Institution
from privacy import log, purposes

from .. import permissions, selectors, services
from ..forms import (
    CapacityForm,
    OfferForm,
    SchoolMoveForm,
    next_school_start,
)
from ..models import Offer, Signup
from .common import _changing, _institution_crumbs, _log_signups

MONTHS_SHOWN = 6


def _places_set_by(request: HttpRequest, institution: Institution) -> dict:
    """Who sets the places and where the reader can act on them, for the pages of a
    daycare's places: the administrators to write to, and whether the reader sets them."""
    return {
        "administrators": services.administrators_of(institution.municipality_id),
        "can_set_places": permissions.can_manage_capacity(request.user, institution),
    }


@login_required
def waiting_list(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_waiting_list(request.user, institution))
    policy = services.policy_for(institution.municipality)
    months = selectors.months_from(timezone.localdate(), MONTHS_SHOWN)
    rows = selectors.waiting_list(institution, policy)
    offers = list(
        Offer.objects.filter(institution=institution)
        .select_related("signup", "group")
        .order_by("-made_at", "-id")[:30]
    )
    _log_signups(
        request,
        [*(row.signup for row in rows), *(o.signup for o in offers)],
        purposes.WAITING_LIST,
        institution=institution,
    )
    return render(
        request,
        "admissions/waiting_list.html",
        {
            "institution": institution,
            "policy": policy,
            "rows": rows,
            "months": months,
            "capacity": selectors.capacity_table(institution, months),
            "offers": offers,
            "can_offer": permissions.can_make_offer(request.user, institution),
            "today": timezone.localdate(),
            "breadcrumbs": _institution_crumbs(institution, (_("Waiting list"), "")),
            **_places_set_by(request, institution),
        },
    )


@login_required
def offer_create(request: HttpRequest, pk: int, signup_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_make_offer(request.user, institution))
    signup = get_object_or_404(
        Signup.objects.visible_to(request.user).filter(wishes__institution=institution),
        pk=signup_id,
    )
    policy = services.policy_for(institution.municipality)
    today = timezone.localdate()
    free = selectors.free_places(institution, selectors.months_from(today, 12))
    start = max(signup.wished_start, today + timedelta(days=1))
    initial = {
        "start_date": start,
        "deadline": min(today + timedelta(days=policy.offer_response_days), start),
        "group": free[0].group_id if free else None,
    }
    form = OfferForm(request.POST or None, initial=initial, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            _changing(
                request,
                signup,
                purposes.OFFER,
                lambda: services.offer_make(
                    actor=request.user,
                    institution=institution,
                    signup=signup,
                    group=data["group"],
                    start_date=data["start_date"],
                    deadline=data["deadline"],
                ),
                institution,
            ),
        ):
            messages.success(
                request,
                _("%(child)s is offered a place. The parents are told and have a letter.")
                % {"child": signup.child_first_name},
            )
            return redirect("admissions:waiting_list", institution.pk)
    _log_signups(request, [signup], purposes.OFFER, institution=institution)
    return render(
        request,
        "admissions/offer_form.html",
        {
            "form": form,
            "institution": institution,
            "signup": signup,
            "free": free,
            **_places_set_by(request, institution),
            "title": _("Offer %(child)s a place") % {"child": signup.child_name},
            "breadcrumbs": _institution_crumbs(
                institution,
                (_("Waiting list"), reverse("admissions:waiting_list", args=[institution.pk])),
                (_("Offer a place"), ""),
            ),
        },
        status=400 if form.errors else 200,
    )


CAPACITY_MONTHS = 12


@login_required
def capacity(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_waiting_list(request.user, institution))
    can_manage = permissions.can_manage_capacity(request.user, institution)
    form = None
    if can_manage:
        form = CapacityForm(request.POST or None, institution=institution)
    elif request.method == "POST":
        require(can_manage)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.capacity_set(
                actor=request.user,
                group=data["group"],
                first_month=data["first_month"],
                last_month=data["last_month"],
                places=data["places"],
            ),
        ):
            messages.success(request, _("The places are saved."))
            return redirect("admissions:capacity", institution.pk)
    months = selectors.months_from(timezone.localdate(), CAPACITY_MONTHS)
    return render(
        request,
        "admissions/capacity.html",
        {
            "institution": institution,
            "form": form,
            "months": months,
            "rows": selectors.capacity_table(institution, months),
            "breadcrumbs": _institution_crumbs(institution, (_("Places"), "")),
            **_places_set_by(request, institution),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _move_to_school(request: HttpRequest, institution: Institution, data: dict) -> None:
    with transaction.atomic():
        services.child_move_to_school(
            actor=request.user,
            child=data["child"],
            school_group=data["school_group"],
            after_school_group=data["after_school_group"],
            on=data["on"],
        )
        log.log_access(
            request,
            children=[data["child"]],
            institution=institution,
            action=log.CHANGE,
            purpose=purposes.MOVING_ON,
        )


@login_required
def moving_on(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_move_children_on(request.user, institution))
    today = timezone.localdate()
    starters = selectors.school_starters(institution, today=today)
    schools, after_school = selectors.school_groups(institution.municipality)
    form = SchoolMoveForm(
        request.POST or None,
        initial={"on": next_school_start(today)},
        children=starters,
        schools=schools,
        after_school=after_school,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: _move_to_school(request, institution, data),
        ):
            messages.success(
                request,
                _("%(child)s moves on to school. The family's messages follow.")
                % {"child": data["child"].first_name},
            )
            return redirect("admissions:moving_on", institution.pk)
    guardians = set(
        Guardianship.objects.filter(child__in=starters).values_list("child_id", flat=True)
    )
    movers = selectors.kindergarten_movers(institution, today=today)
    on = form["on"].value()  # a date, or the text just posted
    log.log_access(
        request, children=[*starters, *movers], institution=institution, purpose=purposes.MOVING_ON
    )
    return render(
        request,
        "admissions/moving_on.html",
        {
            "institution": institution,
            "starters": [(c, c.pk in guardians) for c in starters],
            "movers": movers,
            "form": form,
            # The choices once for the page: every child's form shows the same schools.
            "school_choices": list(form.fields["school_group"].choices),
            "after_school_choices": list(form.fields["after_school_group"].choices),
            "on": on.isoformat() if hasattr(on, "isoformat") else on,
            "has_schools": bool(schools),
            "breadcrumbs": _institution_crumbs(institution, (_("Moving on"), "")),
        },
        status=400 if form.errors else 200,
    )
