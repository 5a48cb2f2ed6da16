"""Pages of place allocation: the family's sign-ups, the daycare's waiting list and
places, the municipality's rules and guarantee list.

Every view fetches its object through the user's scope (`visible_to`: 404 outside it),
then checks the role in permissions.py (403), then calls one service.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import act, apply, crumbs
from institutions.access import institution_for, municipality_for
from institutions.models import Child, Guardianship, Institution, Municipality
from privacy import log, purposes

from . import permissions, selectors, services
from .forms import (
    CapacityForm,
    OfferForm,
    PaperSignupForm,
    PolicyForm,
    SchoolMoveForm,
    SignupForm,
    WishesForm,
    next_school_start,
)
from .models import Letter, Offer, Signup

# Access helpers ------------------------------------------------------------------------


def _signup(request: HttpRequest, pk: int) -> Signup:
    try:
        return selectors.signup_detail(Signup.objects.visible_to(request.user), pk)
    except Signup.DoesNotExist as missing:
        raise Http404 from missing


def _offer(request: HttpRequest, pk: int) -> Offer:
    return get_object_or_404(
        Offer.objects.visible_to(request.user).select_related(
            "signup__municipality", "institution", "group"
        ),
        pk=pk,
    )


def _log_signups(
    request: HttpRequest, signups, purpose, institution=None, action: str = log.READ
) -> None:
    """Log a look at sign-ups, as the people they are about (selectors.people_in_signups)."""
    log.log_access(
        request,
        **selectors.people_in_signups(signups),
        institution=institution,
        purpose=purpose,
        action=action,
    )


def _changing(request: HttpRequest, signup: Signup, purpose, call, institution=None):
    """Return a callable that runs the service `call` and logs the change of the sign-up
    in the same transaction: no change without its log row, no row without the change."""

    def run():
        with transaction.atomic():
            result = call()
            changed = Signup.objects.get(pk=signup.pk)  # the service may register the child
            _log_signups(request, [changed], purpose, institution, action=log.CHANGE)
        return result

    return run


def _mine_crumbs(*trail):
    return crumbs((_("Place in daycare"), reverse("admissions:mine")), *trail)


def _institution_crumbs(institution: Institution, *trail):
    return crumbs((institution.name, reverse("institutions:detail", args=[institution.pk])), *trail)


def _municipal_crumbs(municipality: Municipality, *trail):
    return crumbs(
        (_("Place allocation"), reverse("admissions:municipality", args=[municipality.pk])),
        *trail,
    )


# Families -------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    signups = selectors.signups_of(request.user)
    places = selectors.positions_for([s for s in signups if s.is_waiting])
    return render(
        request,
        "admissions/mine.html",
        {
            "rows": [(s, places.get(s.pk, [])) for s in signups],
            "can_sign_up": selectors.open_municipalities().exists(),
            "breadcrumbs": crumbs((_("Place in daycare"), "")),
        },
    )


@login_required
def signup_start(request: HttpRequest) -> HttpResponse:
    """Where to sign up: straight to the form when one municipality takes sign-ups."""
    municipalities = list(selectors.open_municipalities())
    if len(municipalities) == 1:
        return redirect("admissions:signup_create", municipalities[0].pk)
    return render(
        request,
        "admissions/signup_start.html",
        {
            "municipalities": municipalities,
            "breadcrumbs": _mine_crumbs((_("Sign up"), "")),
        },
    )


def _current_children(user) -> list[Child]:
    """The parent's own children in a nursery or childminding: they may move on."""
    return list(
        Child.objects.current()
        .filter(
            guardians=user,
            group__institution__kind__in=[
                Institution.Kind.NURSERY,
                Institution.Kind.CHILDMINDING,
            ],
        )
        .order_by("first_name")
    )


@login_required
def signup_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    # Which municipalities take sign-ups is public: any logged-in parent may sign up.
    municipality = get_object_or_404(selectors.open_municipalities(), pk=municipality_id)
    policy = services.policy_for(municipality)
    form = SignupForm(
        request.POST or None,
        policy=policy,
        municipality=municipality,
        current_children=_current_children(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created: list[Signup] = []
        if apply(
            form,
            lambda: created.append(
                services.signup_create(
                    actor=request.user,
                    municipality=municipality,
                    parent=request.user,
                    wishes=form.wishes(),
                    current_child=data.get("current_child"),
                    **{k: data[k] for k in services.CHILD_FIELDS},
                )
            ),
        ):
            messages.success(
                request,
                _("%(child)s is signed up. A confirmation letter is on its way.")
                % {"child": created[0].child_first_name},
            )
            return redirect("admissions:signup", created[0].pk)
    return render(
        request,
        "admissions/signup_form.html",
        {
            "form": form,
            "municipality": municipality,
            "policy": policy,
            "title": _("Sign up for a place in daycare"),
            "breadcrumbs": _mine_crumbs((_("Sign up"), "")),
        },
        status=400 if form.errors else 200,
    )


@login_required
def signup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signup = _signup(request, pk)
    user = request.user
    places = selectors.positions_for([signup])[signup.pk] if signup.is_waiting else []
    can_change = permissions.can_change_signup(user, signup)
    if signup.parent_id == user.pk:
        trail = _mine_crumbs((signup.child_name, ""))
    elif permissions.can_view_admissions(user, signup.municipality):
        trail = _municipal_crumbs(signup.municipality, (signup.child_name, ""))
    else:
        trail = crumbs((signup.child_name, ""))
    _log_signups(request, [signup], purposes.SIGNUP)
    return render(
        request,
        "admissions/signup_detail.html",
        {
            "signup": signup,
            "places": places,
            "offers": list(signup.offers.all()),
            "letters": list(signup.letters.all())
            if permissions.can_read_letters(user, signup)
            else [],
            "can": {
                "change": can_change and signup.is_waiting,
                "answer": bool(can_change),
                "assess": permissions.can_assess_needs(user, signup) and signup.is_waiting,
            },
            "today": timezone.localdate(),
            "breadcrumbs": trail,
        },
    )


@login_required
def signup_wishes(request: HttpRequest, pk: int) -> HttpResponse:
    signup = _signup(request, pk)
    require(permissions.can_change_signup(request.user, signup))
    if not signup.is_waiting:
        messages.error(request, _("The sign-up can no longer be changed."))
        return redirect("admissions:signup", signup.pk)
    policy = services.policy_for(signup.municipality)
    initial = {f"wish_{w.rank}": w.institution_id for w in signup.wishes.all()}
    form = WishesForm(
        request.POST or None, initial=initial, policy=policy, municipality=signup.municipality
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply(
            form,
            _changing(
                request,
                signup,
                purposes.SIGNUP_CHANGE,
                lambda: services.signup_change_wishes(
                    actor=request.user, signup=signup, wishes=form.wishes()
                ),
            ),
        )
    ):
        messages.success(request, _("The wishes are saved. A letter confirms them."))
        return redirect("admissions:signup", signup.pk)
    return render(
        request,
        "admissions/wishes_form.html",
        {
            "form": form,
            "signup": signup,
            "title": _("Change wishes for %(child)s") % {"child": signup.child_name},
            "breadcrumbs": _mine_crumbs(
                (signup.child_name, reverse("admissions:signup", args=[signup.pk])),
                (_("Change wishes"), ""),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def signup_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    signup = _signup(request, pk)
    require(permissions.can_change_signup(request.user, signup))
    if request.method == "POST":
        act(
            request,
            _changing(
                request,
                signup,
                purposes.SIGNUP_CHANGE,
                lambda: services.signup_withdraw(actor=request.user, signup=signup),
            ),
            _("%(child)s is taken off the waiting lists. A letter confirms it.")
            % {"child": signup.child_first_name},
        )
        return redirect("admissions:signup", signup.pk)
    return render(
        request,
        "admissions/withdraw.html",
        {
            "signup": signup,
            "breadcrumbs": _mine_crumbs(
                (signup.child_name, reverse("admissions:signup", args=[signup.pk])),
                (_("Withdraw the child"), ""),
            ),
        },
    )


@login_required
@require_POST
def signup_needs(request: HttpRequest, pk: int) -> HttpResponse:
    signup = _signup(request, pk)
    require(permissions.can_assess_needs(request.user, signup))
    priority = request.POST.get("priority") == "1"
    act(
        request,
        _changing(
            request,
            signup,
            purposes.NEEDS_ASSESSMENT,
            lambda: services.signup_set_needs_priority(
                actor=request.user, signup=signup, priority=priority
            ),
        ),
        _("The child has priority for special needs.")
        if priority
        else _("The child has no priority for special needs."),
    )
    return redirect("admissions:signup", signup.pk)


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    require(permissions.can_answer_offer(request.user, offer))
    act(
        request,
        _changing(
            request,
            offer.signup,
            purposes.SIGNUP_CHANGE,
            lambda: services.offer_accept(actor=request.user, offer=offer),
            offer.institution,
        ),
        _("You accepted the place in %(name)s. Welcome! A letter confirms it.")
        % {"name": offer.institution.name},
    )
    return redirect("admissions:signup", offer.signup_id)


@login_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    require(permissions.can_answer_offer(request.user, offer))
    act(
        request,
        _changing(
            request,
            offer.signup,
            purposes.SIGNUP_CHANGE,
            lambda: services.offer_decline(actor=request.user, offer=offer),
            offer.institution,
        ),
        _("You declined the place. The child stays on the waiting lists of its other wishes."),
    )
    return redirect("admissions:signup", offer.signup_id)


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Letter.objects.visible_to(request.user).select_related("signup"), pk=pk
    )
    require(permissions.can_read_letters(request.user, found.signup))
    if not found.pdf:
        raise Http404
    _log_signups(request, [found.signup], purposes.LETTER)
    return FileResponse(
        found.pdf.open("rb"),
        as_attachment=True,
        filename=found.filename,
        content_type="application/pdf",
    )


# The municipality -----------------------------------------------------------------------


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


# A daycare -------------------------------------------------------------------------------


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
