"""What the place-allocation pages share: fetching a sign-up or an offer through the user's
scope, the log of who looked, and the breadcrumbs."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.views import crumbs
from institutions.models import Institution, Municipality
from privacy import log

from .. import selectors
from ..models import Offer, Signup


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
