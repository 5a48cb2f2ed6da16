"""Sign-ups: creating them, changing wishes and priority, withdrawing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.indicators import indicators_changed
from institutions.models import Child, Guardianship, Institution, Municipality

from .. import rules
from ..models import Letter, Offer, Policy, Signup, Wish
from .common import (
    OfferState,
    State,
    _date_signup,
    _letter,
    _lock_capacity,
    _lock_signup,
    _release,
    _require_waiting,
    check_age,
    policy_for,
)

CHILD_FIELDS = ("child_first_name", "child_last_name", "birth_date", "wished_start", "needs")


def _check_child(*, birth_date: date, wished_start: date, today: date) -> None:
    if birth_date > today:
        raise ValidationError(_("The birth date cannot be in the future."))
    if birth_date <= today - timedelta(days=7 * 365):
        raise ValidationError(_("A child of school age cannot be signed up for daycare."))
    if wished_start < today:
        raise ValidationError(_("The wished start date cannot be in the past."))
    if wished_start >= rules.school_start(birth_date):
        raise ValidationError(_("The wished start date is after the child starts school."))


def _check_wishes(
    policy: Policy, municipality: Municipality, wishes: Sequence[Institution]
) -> None:
    if not wishes:
        raise ValidationError(_("Choose at least one daycare."))
    if len(wishes) > policy.max_wishes:
        raise ValidationError(
            _("The municipality allows at most %(n)d wishes.") % {"n": policy.max_wishes}
        )
    if len({w.pk for w in wishes}) != len(wishes):
        raise ValidationError(_("Each daycare can be wished once only."))
    for institution in wishes:
        if institution.municipality_id != municipality.pk or not (
            institution.is_daycare and institution.is_active
        ):
            raise ValidationError(
                _("%(name)s does not take sign-ups here.") % {"name": institution.name}
            )


def _check_ages(
    wishes: Sequence[Institution], *, child: str, birth_date: date, start: date
) -> None:
    """Each wished daycare takes children of the child's age on the day it would start."""
    for institution in wishes:
        check_age(institution, child=child, birth_date=birth_date, on=start)


def _check_current_child(parent: User | None, child: Child | None) -> None:
    if child is None:
        return
    if (
        parent is None
        or child.left_on is not None
        or not Guardianship.objects.filter(child=child, guardian=parent).exists()
    ):
        raise ValidationError(_("Choose one of your own children in daycare."))


@transaction.atomic
def signup_create(
    *,
    actor: User,
    municipality: Municipality,
    wishes: Sequence[Institution],
    child_first_name: str,
    child_last_name: str,
    birth_date: date,
    wished_start: date,
    needs: str = "",
    parent: User | None = None,
    parent_name: str = "",
    parent_address: str = "",
    channel: str = Signup.Channel.DIGITAL,
    current_child: Child | None = None,
) -> Signup:
    """Sign a child up with ranked wishes (the first is the most wanted).

    A digital sign-up is the parent's own; a paper form is entered by the municipality
    for a parent without an account. The guarantee and seniority dates follow the
    municipality's rules; the confirmation letter is made and sent after commit.
    """
    policy = policy_for(municipality)
    today = timezone.localdate()
    if channel == Signup.Channel.DIGITAL:
        if parent is None:
            raise ValidationError(_("A digital sign-up needs the parent's login."))
        if not policy.is_open:
            raise ValidationError(_("The municipality takes no sign-ups in the portal just now."))
        parent_name = parent_name or parent.name
    elif not parent_name.strip():
        raise ValidationError(_("Give the parent's name."))
    _check_child(birth_date=birth_date, wished_start=wished_start, today=today)
    _check_wishes(policy, municipality, wishes)
    _check_current_child(parent, current_child)
    if not child_first_name.strip():
        raise ValidationError(_("Give the child's first name."))
    _check_ages(wishes, child=child_first_name.strip(), birth_date=birth_date, start=wished_start)
    signup = Signup(
        municipality=municipality,
        parent=parent,
        parent_name=parent_name.strip(),
        parent_address=parent_address.strip(),
        child_first_name=child_first_name.strip(),
        child_last_name=child_last_name.strip(),
        birth_date=birth_date,
        wished_start=wished_start,
        needs=needs.strip(),
        channel=channel,
        signed_up_on=today,
        current_child=current_child,
        created_by=actor,
    )
    _date_signup(signup, policy)
    signup.save()
    Wish.objects.bulk_create(
        Wish(signup=signup, institution=institution, rank=rank)
        for rank, institution in enumerate(wishes, start=1)
    )
    indicators_changed()  # bulk_create sends no signals
    audit(
        actor=actor,
        action="admissions.signed_up",
        obj=signup,
        municipality=municipality,
        summary=signup.child_first_name,
        changes={"wishes": [None, [w.pk for w in wishes]], "channel": [None, channel]},
    )
    _letter(signup, Letter.Kind.SIGNED_UP)
    return signup


@transaction.atomic
def signup_change_wishes(*, actor: User, signup: Signup, wishes: Sequence[Institution]) -> Signup:
    """Replace the ranked wishes. A daycare whose offer is awaiting an answer stays: answer
    the offer first. Seniority is the child's and is kept."""
    signup = _lock_signup(signup)
    _require_waiting(signup)
    policy = policy_for(signup.municipality)
    _check_wishes(policy, signup.municipality, wishes)
    pending = Offer.objects.filter(signup=signup, state=OfferState.PENDING).first()
    if pending and pending.institution_id not in {w.pk for w in wishes}:
        raise ValidationError(
            _("Answer the offer from %(name)s before you remove it from your wishes.")
            % {"name": pending.institution.name}
        )
    old = {w.institution_id: w for w in signup.wishes.all()}
    before = [w.institution_id for w in sorted(old.values(), key=lambda w: w.rank)]
    after = [w.pk for w in wishes]
    if before == after:
        return signup
    # A new wish takes the child's age when it could start there: the wished start, or
    # today when that has passed. Wishes already made stay, though the child has grown.
    _check_ages(
        [w for w in wishes if w.pk not in old],
        child=signup.child_first_name,
        birth_date=signup.birth_date,
        start=max(signup.wished_start, timezone.localdate()),
    )
    signup.wishes.all().delete()
    Wish.objects.bulk_create(
        Wish(
            signup=signup,
            institution=institution,
            rank=rank,
            # A declined daycare stays declined when wished again in a new order.
            declined_at=old[institution.pk].declined_at if institution.pk in old else None,
        )
        for rank, institution in enumerate(wishes, start=1)
    )
    indicators_changed()  # bulk_create sends no signals
    audit(
        actor=actor,
        action="admissions.wishes_changed",
        obj=signup,
        municipality=signup.municipality,
        summary=signup.child_first_name,
        changes={"wishes": [before, after]},
    )
    _letter(signup, Letter.Kind.WISHES_CHANGED)
    return signup


@transaction.atomic
def signup_set_needs_priority(*, actor: User, signup: Signup, priority: bool) -> Signup:
    """The municipality's assessment of the child's needs: priority on every list."""
    signup = _lock_signup(signup)
    _require_waiting(signup)
    if signup.needs_priority != priority:
        signup.needs_priority = priority
        signup.save(update_fields=["needs_priority"])
        audit(
            actor=actor,
            action="admissions.needs_priority",
            obj=signup,
            municipality=signup.municipality,
            summary=signup.child_first_name,
            changes={"needs_priority": [not priority, priority]},
        )
    return signup


@transaction.atomic
def signup_withdraw(*, actor: User, signup: Signup) -> Signup:
    """Take the child off every waiting list; an open offer is cancelled and its place
    goes back to the group."""
    pending = Offer.objects.filter(signup=signup, state=OfferState.PENDING).first()
    capacity = _lock_capacity(pending.capacity_id) if pending else None
    signup = _lock_signup(signup)
    _require_waiting(signup)
    now = timezone.now()
    if pending:
        offer = Offer.objects.select_for_update().get(pk=pending.pk)
        if offer.state == OfferState.PENDING:
            _release(capacity, offer, OfferState.CANCELLED, actor=actor, at=now)
    signup.state = State.WITHDRAWN
    signup.withdrawn_at = now
    signup.save(update_fields=["state", "withdrawn_at"])
    audit(
        actor=actor,
        action="admissions.withdrawn",
        obj=signup,
        municipality=signup.municipality,
        summary=signup.child_first_name,
    )
    _letter(signup, Letter.Kind.WITHDRAWN)
    return signup
