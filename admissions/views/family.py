"""The family's pages: sign-ups, wishes, needs, offers and letters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import act, apply, crumbs
from institutions.models import Child, Institution
from privacy import purposes

from .. import permissions, selectors, services
from ..forms import (
    SignupForm,
    WishesForm,
)
from ..models import Letter, Signup
from .common import _changing, _log_signups, _mine_crumbs, _municipal_crumbs, _offer, _signup


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
