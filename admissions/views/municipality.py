"""The municipality's pages: the overview, the rules, the guarantee list and paper sign-ups."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.permissions import require
from core.views import apply, crumbs
from institutions.access import municipality_for
from institutions.models import Institution
from privacy import log, purposes

from .. import permissions, selectors, services
from ..forms import (
    PaperSignupForm,
    PolicyForm,
)
from ..models import Signup
from .common import _log_signups, _municipal_crumbs


@login_required
def municipality_overview(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_admissions(request.user, municipality))
    policy = services.policy_for(municipality)
    state = request.GET.get("tilstand", Signup.State.WAITING)
    if state not in Signup.State.values:
        state = Signup.State.WAITING
    signups = list(selectors.municipality_signups(municipality, state)[:200])
    _log_signups(request, signups, purposes.SIGNUPS_LIST)
    return render(
        request,
        "admissions/municipality.html",
        {
            "municipality": municipality,
            "policy": policy,
            "summary": selectors.municipality_summary(municipality),
            "near": len(selectors.near_guarantee(municipality, policy=policy)),
            "signups": signups,
            "state": state,
            "states": Signup.State.choices,
            "daycares": list(Institution.objects.filter(municipality=municipality).daycares()),
            "can_manage": permissions.can_manage_policy(request.user, municipality),
            "breadcrumbs": crumbs((_("Place allocation"), "")),
        },
    )


@login_required
def policy(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_manage_policy(request.user, municipality))
    current = services.policy_for(municipality)
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.policy_update(
                actor=request.user,
                municipality=municipality,
                **{k: data[k] for k in services.POLICY_FIELDS},
            ),
        ):
            messages.success(
                request, _("The rules are saved. The guarantee dates on the list follow them.")
            )
            return redirect("admissions:municipality", municipality.pk)
    return render(
        request,
        "admissions/policy_form.html",
        {
            "form": form,
            "municipality": municipality,
            "title": _("Rules for place allocation"),
            "breadcrumbs": _municipal_crumbs(municipality, (_("Rules"), "")),
        },
        status=400 if form.errors else 200,
    )


@login_required
def guarantee(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_admissions(request.user, municipality))
    policy = services.policy_for(municipality)
    rows = selectors.near_guarantee(municipality, policy=policy)
    _log_signups(request, rows, purposes.NEAR_GUARANTEE)
    return render(
        request,
        "admissions/guarantee.html",
        {
            "municipality": municipality,
            "policy": policy,
            "rows": rows,
            "breadcrumbs": _municipal_crumbs(municipality, (_("Near the guarantee date"), "")),
        },
    )


@login_required
def paper_signup(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_register_paper_signup(request.user, municipality))
    policy = services.policy_for(municipality)
    form = PaperSignupForm(request.POST or None, policy=policy, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created: list[Signup] = []

        def register():
            with transaction.atomic():
                signup = services.signup_create(
                    actor=request.user,
                    municipality=municipality,
                    channel=Signup.Channel.PAPER,
                    parent_name=data["parent_name"],
                    parent_address=data["parent_address"],
                    wishes=form.wishes(),
                    **{k: data[k] for k in services.CHILD_FIELDS},
                )
                _log_signups(request, [signup], purposes.PAPER_SIGNUP, action=log.CHANGE)
            created.append(signup)

        if apply(form, register):
            messages.success(
                request, _("The paper sign-up is registered. Print and post the letter.")
            )
            return redirect("admissions:signup", created[0].pk)
    return render(
        request,
        "admissions/signup_form.html",
        {
            "form": form,
            "municipality": municipality,
            "policy": policy,
            "paper": True,
            "title": _("Register a paper sign-up"),
            "breadcrumbs": _municipal_crumbs(municipality, (_("Paper sign-up"), "")),
        },
        status=400 if form.errors else 200,
    )
