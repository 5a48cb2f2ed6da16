"""Offers of a place: making, accepting and declining them, letting them expire, and
warning when the place guarantee is close."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.indicators import indicators_changed
from core.notify import notify
from core.views import absolute_url
from institutions.models import Child, Group, Guardianship, Institution

from .. import rules
from ..models import Capacity, Letter, Offer, Policy, Signup
from .common import (
    OfferState,
    State,
    _letter,
    _lock_capacity,
    _lock_signup,
    _release,
    _require_waiting,
    check_age,
    leaders_of,
    municipal_staff_of,
    places_set_by,
    policy_for,
)


@transaction.atomic
def offer_make(
    *,
    actor: User,
    institution: Institution,
    signup: Signup,
    group: Group,
    start_date: date,
    deadline: date | None = None,
) -> Offer:
    """Offer the child a place in `group` from `start_date`.

    The group's capacity row for the start month is locked first and the offer refused
    when no place is free; the database's check on the row backs this, so two leaders
    offering the last place at once cannot both succeed.
    """
    today = timezone.localdate()
    if group.institution_id != institution.pk:
        raise ValidationError(_("Choose one of the daycare's own groups."))
    if start_date < today:
        raise ValidationError(_("The start date cannot be in the past."))
    month = rules.first_of_month(start_date)
    row = Capacity.objects.filter(group=group, month=month).values_list("pk", flat=True).first()
    if row is None:
        raise ValidationError(
            _("%(group)s has no places for new children in %(month)s.")
            % {"group": group.name, "month": date_format(month, "YEAR_MONTH_FORMAT")}
            + " "
            + places_set_by(institution.municipality_id)
        )
    capacity = _lock_capacity(row)
    signup = _lock_signup(signup)
    _require_waiting(signup)
    policy = policy_for(signup.municipality)
    deadline = deadline or min(today + timedelta(days=policy.offer_response_days), start_date)
    if deadline < today:
        raise ValidationError(_("The deadline cannot be in the past."))
    if deadline > start_date:
        raise ValidationError(_("The parents must answer before the start date."))
    if start_date >= rules.school_start(signup.birth_date):
        raise ValidationError(_("The child starts school before this date."))
    check_age(
        institution, child=signup.child_first_name, birth_date=signup.birth_date, on=start_date
    )
    wish = signup.wishes.filter(institution=institution).first()
    if wish is None:
        raise ValidationError(_("The child has not wished this daycare."))
    if wish.declined_at is not None:
        raise ValidationError(_("The parents have declined an offer from this daycare."))
    if Offer.objects.filter(signup=signup, state=OfferState.PENDING).exists():
        raise ValidationError(_("The child already has an offer awaiting an answer."))
    if capacity.free <= 0:
        raise ValidationError(
            _("%(group)s has no free place in %(month)s.")
            % {"group": group.name, "month": date_format(month, "YEAR_MONTH_FORMAT")}
            + " "
            + places_set_by(institution.municipality_id)
        )
    capacity.offered += 1
    capacity.save(update_fields=["offered", "updated_at"])
    offer = Offer.objects.create(
        signup=signup,
        institution=institution,
        group=group,
        capacity=capacity,
        start_date=start_date,
        deadline=deadline,
        made_by=actor,
    )
    audit(
        actor=actor,
        action="admissions.offer_made",
        obj=offer,
        institution=institution,
        summary=f"{signup.child_first_name}: {group.name} {start_date:%Y-%m-%d}",
    )
    _letter(signup, Letter.Kind.OFFER, offer=offer)
    return offer


def _lock_offer(offer: Offer) -> tuple[Signup, Offer]:
    signup = _lock_signup(offer.signup)
    offer = (
        Offer.objects.select_for_update().select_related("group", "institution").get(pk=offer.pk)
    )
    return signup, offer


def _require_pending(offer: Offer, today: date) -> None:
    if offer.state != OfferState.PENDING:
        raise ValidationError(
            _("The offer is “%(state)s” and can no longer be answered.")
            % {"state": offer.get_state_display()}
        )
    if today > offer.deadline:
        raise ValidationError(_("The deadline for answering the offer has passed."))


@transaction.atomic
def offer_accept(*, actor: User, offer: Offer) -> Offer:
    """Accept: in one transaction the child is enrolled in the group (registered in the
    children register with its parent as guardian), the sign-up is placed, and the place
    stays taken. A child already in daycare moves instead of being registered twice."""
    signup, offer = _lock_offer(offer)
    now = timezone.now()
    _require_pending(offer, timezone.localdate())
    # An offer made before the ages were checked, or for a wrong birth date, stops here.
    check_age(
        offer.institution,
        child=signup.child_first_name,
        birth_date=signup.birth_date,
        on=offer.start_date,
    )
    child = _enrol(signup, offer)
    offer.state = OfferState.ACCEPTED
    offer.answered_at = now
    offer.answered_by = actor
    offer.save(update_fields=["state", "answered_at", "answered_by"])
    signup.state = State.PLACED
    signup.placed_at = now
    signup.child = child
    signup.save(update_fields=["state", "placed_at", "child"])
    audit(
        actor=actor,
        action="admissions.offer_accepted",
        obj=offer,
        institution=offer.institution,
        summary=f"{signup.child_first_name}: {offer.group.name}",
    )
    audit(
        actor=actor,
        action="child.created",
        obj=child,
        institution=offer.institution,
        summary=child.first_name,
    )
    _letter(signup, Letter.Kind.ACCEPTED, offer=offer)
    notify(
        recipients=leaders_of(offer.institution_id),
        kind="admissions.offer_accepted_leader",
        template="admissions/notifications/accepted_leader",
        context={"offer": offer, "signup": signup, "group": offer.group},
        url=absolute_url(reverse("institutions:children", args=[offer.institution_id])),
        key=f"admissions:offer:{offer.pk}:accepted-leader",
    )
    return offer


def _enrol(signup: Signup, offer: Offer) -> Child:
    moving = signup.current_child
    child = Child.objects.create(
        group=offer.group,
        first_name=signup.child_first_name,
        last_name=signup.child_last_name,
        birth_date=signup.birth_date,
        started_on=offer.start_date,
    )
    guardians = set()
    if moving is not None and moving.left_on is None:
        guardians |= set(moving.guardianships.values_list("guardian_id", flat=True))
        moving.left_on = max(offer.start_date - timedelta(days=1), moving.started_on or date.min)
        moving.save(update_fields=["left_on"])
    if signup.parent_id:
        guardians.add(signup.parent_id)
    Guardianship.objects.bulk_create(Guardianship(child=child, guardian_id=g) for g in guardians)
    indicators_changed()  # bulk_create sends no signals
    return child


@transaction.atomic
def offer_decline(*, actor: User, offer: Offer) -> Offer:
    """Decline: the place goes back to the group and the next child is suggested to the
    leader; the child stays on the waiting lists of its other wishes."""
    capacity = _lock_capacity(offer.capacity_id)
    signup, offer = _lock_offer(offer)
    _require_pending(offer, timezone.localdate())
    _release(capacity, offer, OfferState.DECLINED, actor=actor, at=timezone.now())
    audit(
        actor=actor,
        action="admissions.offer_declined",
        obj=offer,
        institution=offer.institution,
        summary=signup.child_first_name,
    )
    _letter(signup, Letter.Kind.DECLINED, offer=offer)
    _tell_leader_place_free(offer, why="declined")
    return offer


def _tell_leader_place_free(offer: Offer, *, why: str) -> None:
    from ..selectors import suggested_next

    nxt = suggested_next(offer.institution)
    notify(
        recipients=leaders_of(offer.institution_id),
        kind=f"admissions.offer_{why}_leader",
        template="admissions/notifications/place_free_leader",
        context={"offer": offer, "why": why, "next": nxt, "group": offer.group},
        url=absolute_url(reverse("admissions:waiting_list", args=[offer.institution_id])),
        key=f"admissions:offer:{offer.pk}:{why}-leader",
    )


def offers_expire(*, today: date | None = None) -> int:
    """Daily: offers not answered by their deadline run out; the place goes back and the
    leader is told who is next. Each offer in its own transaction; idempotent."""
    today = today or timezone.localdate()
    due = list(
        Offer.objects.filter(state=OfferState.PENDING, deadline__lt=today).values_list(
            "pk", flat=True
        )
    )
    expired = 0
    for pk in due:
        with transaction.atomic():
            offer = Offer.objects.get(pk=pk)
            capacity = _lock_capacity(offer.capacity_id)
            signup, offer = _lock_offer(offer)
            if offer.state != OfferState.PENDING or offer.deadline >= today:
                continue
            _release(capacity, offer, OfferState.EXPIRED, actor=None, at=timezone.now())
            audit(
                actor=None,
                action="admissions.offer_expired",
                obj=offer,
                institution=offer.institution,
                summary=signup.child_first_name,
            )
            _letter(signup, Letter.Kind.EXPIRED, offer=offer)
            _tell_leader_place_free(offer, why="expired")
            expired += 1
    return expired


def guarantee_alerts_send(*, today: date | None = None) -> int:
    """Daily: tell the municipality's administrators and consultants of children whose
    guarantee date is near (or passed) without an offer; once per child and date."""
    from ..selectors import near_guarantee

    today = today or timezone.localdate()
    told = 0
    for policy in Policy.objects.select_related("municipality"):
        rows = near_guarantee(policy.municipality, today=today, policy=policy)
        if not rows:
            continue
        notify(
            recipients=municipal_staff_of(policy.municipality_id),
            kind="admissions.guarantee_near",
            template="admissions/notifications/guarantee_near",
            context={"rows": rows, "municipality": policy.municipality, "today": today},
            url=absolute_url(reverse("admissions:guarantee", args=[policy.municipality_id])),
            key=f"admissions:guarantee:{policy.municipality_id}:{today:%Y%m%d}",
        )
        told += 1
    return told
