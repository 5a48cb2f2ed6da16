"""Writes of place allocation: rules, sign-ups, wishes, capacity, offers, moving on.

Every service is keyword-only, atomic, audited, and raises ValidationError with a
Danish-translatable message when the input breaks a rule. Views call exactly one.
Each step a family takes (or that happens to its sign-up) gets a Letter: a task made
after commit prints the PDF and tells the parent, with the letter attached.

Locking order, so two services never wait on each other in a circle: the capacity row
first, then the sign-up, then the offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.indicators import indicators_changed
from core.notify import notify
from core.queue import enqueue
from core.views import absolute_url
from institutions.models import (
    Child,
    Group,
    Guardianship,
    Institution,
    Membership,
    Municipality,
    MunicipalRole,
)

from . import rules
from .models import Capacity, Letter, Offer, Policy, Signup, Wish

State = Signup.State
OfferState = Offer.State

POLICY_FIELDS = (
    "is_open",
    "guarantee_age_weeks",
    "guarantee_months_after_signup",
    "seniority_from_birth_months",
    "priority_order",
    "max_wishes",
    "offer_response_days",
    "guarantee_warning_days",
)
CHILD_FIELDS = ("child_first_name", "child_last_name", "birth_date", "wished_start", "needs")


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


# Rules --------------------------------------------------------------------------------


def policy_for(municipality: Municipality) -> Policy:
    """The municipality's rules; the law's defaults when it has not set its own."""
    policy = Policy.objects.filter(municipality=municipality).first()
    return policy or Policy(municipality=municipality)


def _check_policy(values: dict) -> None:
    if values["guarantee_age_weeks"] > rules.LEGAL_AGE_WEEKS:
        raise ValidationError(_("The place cannot be guaranteed later than at 26 weeks of age."))
    if values["guarantee_months_after_signup"] > rules.LEGAL_MONTHS_AFTER_SIGNUP:
        raise ValidationError(
            _("The place must be guaranteed at the latest three months after sign-up.")
        )
    order = list(values["priority_order"])
    if len(set(order)) != len(order) or not set(order) <= set(rules.RULES):
        raise ValidationError(_("Each priority rule can appear once only."))
    if not 1 <= values["max_wishes"] <= 10:
        raise ValidationError(_("Allow between 1 and 10 wishes."))


@transaction.atomic
def policy_update(*, actor: User, municipality: Municipality, **data) -> Policy:
    """Save the municipality's rules; the guarantee and seniority dates of every child on
    the waiting list follow the new rules at once."""
    policy = Policy.objects.select_for_update().filter(municipality=municipality).first()
    if policy is None:
        policy = Policy(municipality=municipality)
    values = {name: data.get(name, getattr(policy, name)) for name in POLICY_FIELDS}
    _check_policy(values)
    changes = diff(policy, values) if policy.pk else {k: [None, str(v)] for k, v in values.items()}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    waiting = list(Signup.objects.select_for_update().filter(municipality=municipality).waiting())
    for signup in waiting:
        _date_signup(signup, policy)
    Signup.objects.bulk_update(waiting, ["guarantee_date", "seniority_date"], batch_size=500)
    indicators_changed()  # bulk_update sends no signals
    audit(
        actor=actor,
        action="admissions.policy_updated",
        obj=policy,
        municipality=municipality,
        summary=str(municipality),
        changes=changes,
    )
    return policy


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


# Sign-ups -----------------------------------------------------------------------------


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


def _lock_signup(signup: Signup) -> Signup:
    return Signup.objects.select_for_update().select_related("municipality").get(pk=signup.pk)


def _require_waiting(signup: Signup) -> None:
    if signup.state != State.WAITING:
        raise ValidationError(
            _("The sign-up is “%(state)s” and can no longer be changed.")
            % {"state": signup.get_state_display()}
        )


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


# Capacity -----------------------------------------------------------------------------


def _lock_capacity(pk: int) -> Capacity:
    return Capacity.objects.select_for_update().get(pk=pk)


def _months(first: date, last: date) -> list[date]:
    months, month = [], rules.first_of_month(first)
    while month <= last:
        months.append(month)
        month = rules.add_months(month, 1)
    return months


@transaction.atomic
def capacity_set(
    *, actor: User, group: Group, first_month: date, last_month: date | None, places: int
) -> list[Capacity]:
    """Set the places for new children in `group` for each month from `first_month` to
    `last_month`. Places already offered cannot be taken away."""
    if places < 0:
        raise ValidationError(_("The number of places cannot be negative."))
    if not group.institution.is_daycare:
        raise ValidationError(_("Places are allocated in daycares only."))
    last_month = last_month or first_month
    if last_month < first_month:
        raise ValidationError(_("The last month must come after the first."))
    months = _months(first_month, last_month)
    if len(months) > 36:
        raise ValidationError(_("Set at most three years at a time."))
    existing = {
        c.month: c
        for c in Capacity.objects.select_for_update().filter(group=group, month__in=months)
    }
    saved = []
    for month in months:
        row = existing.get(month)
        if row is None:
            row = Capacity(group=group, month=month, places=places)
        elif row.offered > places:
            raise ValidationError(
                _("%(month)s: %(n)d places are already offered; set at least that many.")
                % {"month": capfirst(date_format(month, "YEAR_MONTH_FORMAT")), "n": row.offered}
            )
        row.places = places
        row.save()
        saved.append(row)
    audit(
        actor=actor,
        action="admissions.capacity_set",
        obj=group,
        institution=group.institution,
        summary=f"{group.name}: {places}",
        changes={"months": [None, [m.isoformat() for m in months]], "places": [None, places]},
    )
    return saved


# Offers -------------------------------------------------------------------------------


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


def _tell_leader_place_free(offer: Offer, *, why: str) -> None:
    from .selectors import suggested_next

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
    from .selectors import near_guarantee

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


# Moving on ----------------------------------------------------------------------------


@transaction.atomic
def child_move_to_school(
    *, actor: User, child: Child, school_group: Group, after_school_group: Group | None, on: date
) -> list[Child]:
    """At school start the child leaves the daycare and starts in school and after-school
    care, with the same guardians, so the family's messaging follows it (its feed keeps
    what it received; its inbox reaches the new institutions' staff)."""
    child = Child.objects.select_for_update().select_related("group__institution").get(pk=child.pk)
    daycare = child.group.institution
    if child.left_on is not None:
        raise ValidationError(_("The child has already left the daycare."))
    if school_group.institution.kind != Institution.Kind.SCHOOL:
        raise ValidationError(_("Choose a class in a school."))
    if (
        after_school_group is not None
        and after_school_group.institution.kind != Institution.Kind.AFTER_SCHOOL
    ):
        raise ValidationError(_("Choose a group in after-school care."))
    for group in (school_group, after_school_group):
        if group is not None and group.institution.municipality_id != daycare.municipality_id:
            raise ValidationError(_("Choose a school in the same municipality."))
    if child.started_on and on <= child.started_on:
        raise ValidationError(_("The child cannot move on before it started."))
    guardians = list(child.guardianships.values_list("guardian_id", flat=True))
    child.left_on = on - timedelta(days=1)
    if child.started_on and child.left_on < child.started_on:
        child.left_on = child.started_on
    child.save(update_fields=["left_on"])
    new = []
    for group in (school_group, after_school_group):
        if group is None:
            continue
        moved = Child.objects.create(
            group=group,
            first_name=child.first_name,
            last_name=child.last_name,
            birth_date=child.birth_date,
            started_on=on,
        )
        Guardianship.objects.bulk_create(
            Guardianship(child=moved, guardian_id=g) for g in guardians
        )
        indicators_changed()  # bulk_create sends no signals
        new.append(moved)
    audit(
        actor=actor,
        action="admissions.moved_to_school",
        obj=child,
        institution=daycare,
        summary=child.first_name,
        changes={
            "to": [None, [g.institution.name for g in (school_group, after_school_group) if g]]
        },
    )
    notify(
        recipients=list(User.objects.filter(pk__in=guardians)),
        kind="admissions.moved_on",
        template="admissions/notifications/moved_on",
        context={"child": child, "daycare": daycare, "groups": [c.group for c in new], "on": on},
        url=absolute_url(reverse("messaging:inbox")),
        key=f"admissions:moved:{child.pk}",
    )
    return new


# Letters ------------------------------------------------------------------------------


def _letter(signup: Signup, kind: str, *, offer: Offer | None = None) -> Letter:
    letter = Letter.objects.create(signup=signup, kind=kind, offer=offer)
    enqueue("admissions.make_letter", letter.pk)
    return letter


def letter_make(*, letter_id: int) -> bool:
    """Print the letter (PDF), store it, and send it to the parent with the e-mail.

    Idempotent: a stored letter is kept, and the notification has one key per letter, so
    a retried task tells nobody twice. A paper sign-up's letters are printed and posted
    by the municipality (its page lists them). Returns True if a PDF was made.
    """
    from .letters import render_letter

    letter = (
        Letter.objects.select_related(
            "signup__municipality", "signup__parent", "offer__institution", "offer__group"
        )
        .filter(pk=letter_id)
        .first()
    )
    if letter is None:
        return False
    made = False
    if not letter.pdf:
        pdf = render_letter(letter)
        letter.pdf.save(letter.filename, ContentFile(pdf), save=False)
        updated = Letter.objects.filter(pk=letter.pk, pdf="").update(
            pdf=letter.pdf.name, made_at=timezone.now()
        )
        if updated:
            made = True
        else:  # another worker stored one a moment ago: keep that one
            letter.pdf.storage.delete(letter.pdf.name)
            letter.refresh_from_db(fields=["pdf", "made_at"])
    signup = letter.signup
    if signup.parent_id:
        notify(
            recipients=[signup.parent],
            kind=f"admissions.{letter.kind}",
            template="admissions/notifications/letter",
            context={"letter": letter, "signup": signup, "offer": letter.offer},
            url=absolute_url(reverse("admissions:signup", args=[signup.pk])),
            key=f"admissions:letter:{letter.pk}",
            object_id=letter.pk,
        )
    return made
