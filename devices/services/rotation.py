"""Rotation plans: a season in which every participating daycare gets each suitcase for
N weeks, fairly; the administrator adjusts the draft and publishes it as bookings.

Fair means: in each turn a suitcase goes to one daycare and a daycare has one suitcase;
no daycare gets the same suitcase twice in a season; and when the season is too short for
everyone to get everything, the turns are spread so that no daycare has more than one
turn more than another. Days closed for the municipality or the daycare are respected:
a turn's hand-over and return move to open days, and a daycare closed for a whole turn
gets no suitcase in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.notify import notify
from core.queue import enqueue
from institutions.models import Institution, Municipality

from ..models import Booking, RotationPlan, RotationSlot, Suitcase
from .common import Calendar, device_people, refuse
from .suitcases import _conflicts, _insert, overlap_message


@dataclass(frozen=True)
class Turn:
    index: int
    starts_on: date
    ends_on: date  # the turn's last day (the hand-over days fall inside it)


def turns_of(starts_on: date, ends_on: date, weeks: int) -> list[Turn]:
    """Turns of `weeks` weeks from the first Monday on or after `starts_on`."""
    first = starts_on + timedelta(days=(7 - starts_on.weekday()) % 7)
    turns = []
    index = 0
    while True:
        start = first + timedelta(weeks=weeks * index)
        end = start + timedelta(weeks=weeks) - timedelta(days=1)
        if end > ends_on:
            return turns
        turns.append(Turn(index, start, end))
        index += 1


def fair_assignment(
    turns: int,
    suitcases: Sequence[int],
    daycares: Sequence[int],
    blocked: Callable[[int, int, int], bool] = lambda t, s, d: False,
) -> list[tuple[int, int, int]]:
    """(turn, suitcase, daycare) triples.

    A Latin square of M = max(suitcases, daycares) rounds: in round r suitcase i goes to
    daycare (i + r) mod M, so within a round nobody holds two suitcases and no suitcase
    is in two places, and over the M rounds every daycare gets every suitcase once. When
    the season has fewer turns than rounds, the turns take rounds spread evenly over the
    square (round floor(k·M/T) for turn k), so every daycare gets the same number of
    turns give or take one. A pair that falls on blocked days (closed, already booked)
    is moved to another turn where both are free, the daycares with fewest turns first.
    """
    size = max(len(suitcases), len(daycares))
    if not turns or not size:
        return []
    rounds = [k * size // turns for k in range(turns)] if turns < size else list(range(size))
    taken_s: set[tuple[int, int]] = set()
    taken_d: set[tuple[int, int]] = set()
    result: list[tuple[int, int, int]] = []
    missed: list[tuple[int, int]] = []

    def place(t: int, s: int, d: int) -> None:
        taken_s.add((t, s))
        taken_d.add((t, d))
        result.append((t, s, d))

    for t, r in enumerate(rounds):
        for i, s in enumerate(suitcases):
            j = (i + r) % size
            if j >= len(daycares):
                continue
            d = daycares[j]
            if blocked(t, s, d):
                missed.append((s, d))
            else:
                place(t, s, d)
    count = dict.fromkeys(daycares, 0)
    for _t, _s, d in result:
        count[d] += 1
    for s, d in sorted(missed, key=lambda pair: count[pair[1]]):
        for t in range(turns):
            if (t, s) not in taken_s and (t, d) not in taken_d and not blocked(t, s, d):
                place(t, s, d)
                count[d] += 1
                break
    return sorted(result)


@transaction.atomic
def plan_create(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    starts_on: date,
    ends_on: date,
    weeks_per_turn: int,
    participants: Sequence[Institution],
    suitcases: Sequence[Suitcase],
) -> RotationPlan:
    if ends_on <= starts_on:
        raise refuse(_("The season must end after it starts."))
    if not turns_of(starts_on, ends_on, weeks_per_turn):
        raise refuse(_("The season is shorter than one turn."))
    if any(i.municipality_id != municipality.pk for i in participants) or any(
        s.municipality_id != municipality.pk for s in suitcases
    ):
        raise refuse(_("Daycares and suitcases must belong to the municipality."))
    if RotationPlan.objects.filter(municipality=municipality, name__iexact=name).exists():
        raise refuse(_("There is already a plan called %(name)s.") % {"name": name})
    plan = RotationPlan.objects.create(
        municipality=municipality,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        weeks_per_turn=weeks_per_turn,
        created_by=actor,
    )
    plan.participants.set(participants)
    plan.suitcases.set(suitcases)
    audit(actor=actor, action="devices.plan.created", obj=plan, municipality=municipality)
    return plan


def _slot_days(
    calendar: Calendar, turn: Turn, suitcase: Suitcase, institution_id: int
) -> tuple[date, date] | None:
    last_day = turn.ends_on - timedelta(days=suitcase.handover_days)
    start = calendar.first_open(turn.starts_on, last_day, institution_id)
    end = calendar.last_open(turn.starts_on, last_day, institution_id)
    if start is None or end is None or end < start:
        return None
    return start, end


@transaction.atomic
def plan_generate(*, actor: User, plan: RotationPlan) -> int:
    """(Re)generate a draft plan's slots. Returns how many turns were assigned."""
    plan = RotationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        raise refuse(_("A published plan cannot be generated again."))
    suitcases = list(plan.suitcases.filter(status=Suitcase.Status.ACTIVE).order_by("name"))
    daycares = list(plan.participants.order_by("name"))
    if not suitcases or not daycares:
        raise refuse(_("Choose at least one suitcase and one daycare."))
    turns = turns_of(plan.starts_on, plan.ends_on, plan.weeks_per_turn)
    calendar = Calendar(
        municipality_id=plan.municipality_id,
        institution_ids=[d.pk for d in daycares],
        start=plan.starts_on,
        end=plan.ends_on,
    )
    by_id = {s.pk: s for s in suitcases}
    # Days already held by other bookings (extra bookings made before the plan).
    held = {
        s.pk: [
            (b.starts_on, b.ends_on + timedelta(days=b.buffer_days))
            for b in Booking.objects.holding().filter(
                suitcase=s, ends_on__gte=plan.starts_on, starts_on__lte=plan.ends_on
            )
        ]
        for s in suitcases
    }
    days: dict[tuple[int, int, int], tuple[date, date] | None] = {}

    def slot(t: int, s: int, d: int):
        key = (t, s, d)
        if key not in days:
            found = _slot_days(calendar, turns[t], by_id[s], d)
            if found is not None:
                start, end = found
                end_held = end + timedelta(days=by_id[s].handover_days)
                if any(a <= end_held and start <= b for a, b in held[s]):
                    found = None
            days[key] = found
        return days[key]

    assignment = fair_assignment(
        len(turns),
        [s.pk for s in suitcases],
        [d.pk for d in daycares],
        blocked=lambda t, s, d: slot(t, s, d) is None,
    )
    plan.slots.all().delete()
    RotationSlot.objects.bulk_create(
        RotationSlot(
            plan=plan,
            suitcase_id=s,
            institution_id=d,
            turn=t,
            starts_on=slot(t, s, d)[0],
            ends_on=slot(t, s, d)[1],
        )
        for t, s, d in assignment
    )
    plan.generated_at = timezone.now()
    plan.save(update_fields=["generated_at"])
    audit(actor=actor, action="devices.plan.generated", obj=plan, municipality=plan.municipality)
    return len(assignment)


@transaction.atomic
def plan_slot_change(
    *, actor: User, plan: RotationPlan, slot: RotationSlot, institution: Institution | None
) -> RotationSlot | None:
    """Give a draft slot to another participating daycare, or remove it (None)."""
    plan = RotationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        raise refuse(_("A published plan is changed through its bookings."))
    if institution is None:
        slot.delete()
        return None
    if not plan.participants.filter(pk=institution.pk).exists():
        raise refuse(_("Only the plan's daycares can get a turn."))
    clash = plan.slots.filter(turn=slot.turn, institution=institution).exclude(pk=slot.pk)
    if clash.exists():
        raise refuse(
            _("%(daycare)s already has a suitcase in that turn.") % {"daycare": institution.name}
        )
    if (
        plan.slots.filter(suitcase_id=slot.suitcase_id, institution=institution)
        .exclude(pk=slot.pk)
        .exists()
    ):
        raise refuse(
            _("%(daycare)s already has this suitcase in another turn.")
            % {"daycare": institution.name}
        )
    slot.institution = institution
    slot.save(update_fields=["institution"])
    audit(actor=actor, action="devices.plan.slot_changed", obj=plan)
    return slot


@transaction.atomic
def plan_publish(*, actor: User, plan: RotationPlan) -> int:
    """Turn every slot into a booking, all or none; tell the daycares."""
    plan = RotationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        raise refuse(_("The plan is already published."))
    slots = list(plan.slots.select_related("suitcase", "institution").order_by("turn", "pk"))
    if not slots:
        raise refuse(_("Generate the plan before publishing it."))
    for slot in slots:
        suitcase = slot.suitcase
        others = _conflicts(suitcase, slot.starts_on, slot.ends_on, suitcase.handover_days)
        if others:
            raise refuse(
                _("Turn %(turn)d, %(suitcase)s to %(daycare)s: %(reason)s")
                % {
                    "turn": slot.turn + 1,
                    "suitcase": suitcase.name,
                    "daycare": slot.institution.name,
                    "reason": overlap_message(suitcase, others[0]),
                }
            )
        slot.booking = _insert(
            Booking(
                suitcase=suitcase,
                institution=slot.institution,
                starts_on=slot.starts_on,
                ends_on=slot.ends_on,
                booked_ends_on=slot.ends_on,
                buffer_days=suitcase.handover_days,
                source=Booking.Source.ROTATION,
                plan=plan,
                created_by=actor,
            )
        )
        slot.save(update_fields=["booking"])
    plan.status = RotationPlan.Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    audit(actor=actor, action="devices.plan.published", obj=plan, municipality=plan.municipality)
    enqueue("devices.notify_plan_published", plan.pk)
    return len(slots)


def plan_published_notify(*, plan_id: int) -> int:
    plan = RotationPlan.objects.filter(pk=plan_id, status=RotationPlan.Status.PUBLISHED).first()
    if plan is None:
        return 0
    institution_ids = set(plan.slots.values_list("institution_id", flat=True))
    return len(
        notify(
            recipients=device_people(institution_ids),
            kind="devices.plan_published",
            template="devices/notifications/plan_published",
            context={"plan": plan},
            url=reverse("devices:suitcases", args=[plan.municipality_id]),
            key=f"devices-plan-published-{plan.pk}",
        )
    )
