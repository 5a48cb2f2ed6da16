"""What the admissions services share: the states, who to tell, the policy, locks in the
agreed order, releasing a place and a family's letter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from core.indicators import indicators_changed
from core.queue import enqueue
from institutions.models import Institution, Membership, Municipality, MunicipalRole

from .. import rules
from ..models import Capacity, Letter, Offer, Policy, Signup, Wish

State = Signup.State
OfferState = Offer.State


def leaders_of(institution: Institution | int) -> list[User]:
    pk = getattr(institution, "pk", institution)
    return [
        m.user
        for m in Membership.objects.filter(
            institution_id=pk, role=Membership.Role.LEADER, user__is_active=True
        ).select_related("user")
    ]


def municipal_staff_of(municipality: Municipality | int) -> list[User]:
    pk = getattr(municipality, "pk", municipality)
    return [
        r.user
        for r in MunicipalRole.objects.filter(municipality_id=pk, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]


def policy_for(municipality: Municipality) -> Policy:
    """The municipality's rules; the law's defaults when it has not set its own."""
    policy = Policy.objects.filter(municipality=municipality).first()
    return policy or Policy(municipality=municipality)


def _date_signup(signup: Signup, policy: Policy) -> None:
    signup.guarantee_date = rules.guarantee_date(
        policy.guarantee_rules,
        birth_date=signup.birth_date,
        signed_up_on=signup.signed_up_on,
        wished_start=signup.wished_start,
    )
    signup.seniority_date = rules.seniority_date(
        birth_date=signup.birth_date,
        signed_up_on=signup.signed_up_on,
        from_birth_months=policy.seniority_from_birth_months,
    )


def _lock_signup(signup: Signup) -> Signup:
    return Signup.objects.select_for_update().select_related("municipality").get(pk=signup.pk)


def _require_waiting(signup: Signup) -> None:
    if signup.state != State.WAITING:
        raise ValidationError(
            _("The sign-up is “%(state)s” and can no longer be changed.")
            % {"state": signup.get_state_display()}
        )


def _lock_capacity(pk: int) -> Capacity:
    return Capacity.objects.select_for_update().get(pk=pk)


def _release(capacity: Capacity, offer: Offer, state: str, *, actor, at) -> None:
    capacity.offered -= 1
    capacity.save(update_fields=["offered", "updated_at"])
    offer.state = state
    offer.answered_at = at
    offer.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    offer.save(update_fields=["state", "answered_at", "answered_by"])
    if state in (OfferState.DECLINED, OfferState.EXPIRED):
        Wish.objects.filter(signup_id=offer.signup_id, institution_id=offer.institution_id).update(
            declined_at=at
        )
        indicators_changed()  # update() sends no signals


def _letter(signup: Signup, kind: str, *, offer: Offer | None = None) -> Letter:
    letter = Letter.objects.create(signup=signup, kind=kind, offer=offer)
    enqueue("admissions.make_letter", letter.pk)
    return letter
