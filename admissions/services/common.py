"""What the admissions services share: the states, who to tell, the policy, locks in the
agreed order, releasing a place and a family's letter."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.indicators import indicators_changed
from core.queue import enqueue
from institutions.models import Institution, Membership, Municipality, MunicipalRole
from institutions.selectors import administrators_of

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


def places_set_by(municipality: Municipality | int) -> str:
    """A sentence saying that the municipality sets the places, and whom to ask."""
    people = [
        f"{u.name} ({u.email})" if u.email else u.name for u in administrators_of(municipality)
    ]
    if not people:
        return _(
            "The municipality sets the number of places per group and month: ask the "
            "municipality's administration."
        )
    if len(people) > 1:
        people = [", ".join(people[:-1]) + " " + _("or") + " " + people[-1]]
    return _("The municipality sets the number of places per group and month: ask %(people)s.") % {
        "people": people[0]
    }


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


def age_text(months: int) -> str:
    """A child's age as people say it: "7 months", "2 years and 10 months", "3 years"."""
    years, rest = divmod(max(months, 0), 12)
    in_months = ngettext("%(count)d month", "%(count)d months", rest) % {"count": rest}
    if not years:
        return in_months
    in_years = ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    if not rest:
        return in_years
    return _("%(years)s and %(months)s") % {"years": in_years, "months": in_months}


def ages_taken(institution: Institution) -> str:
    """Which children `institution` takes, as a sentence naming it."""
    texts = {
        Institution.Kind.NURSERY: _("%(place)s is a nursery for children aged 0–2 years."),
        Institution.Kind.CHILDMINDING: _("%(place)s is childminding for children aged 0–2 years."),
        Institution.Kind.KINDERGARTEN: _(
            "%(place)s is a kindergarten for children from 3 years to school start."
        ),
        Institution.Kind.INTEGRATED: _("%(place)s takes children from birth to school start."),
    }
    text = texts.get(institution.kind, _("%(place)s is for children who have started school."))
    return text % {"place": institution.name}


def check_age(institution: Institution, *, child: str, birth_date: date, on: date) -> None:
    """Refuse a place in `institution` for a child who is not of the age it takes on the
    day the place would start."""
    if rules.age_fits(institution.kind, birth_date=birth_date, on=on):
        return
    age = _("%(child)s is %(age)s on %(date)s.") % {
        "child": child,
        "age": age_text(rules.age_in_months(birth_date, on)),
        "date": date_format(on, "DATE_FORMAT"),
    }
    raise ValidationError(f"{age} {ages_taken(institution)}")
