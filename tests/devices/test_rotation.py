"""Rotation plans: fair turns (property-tested), closure days respected, existing bookings
avoided, publishing makes bookings all or none."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.models import Notification
from devices import services
from devices.models import Booking, RotationSlot, SuitcaseClosure
from devices.services.rotation import fair_assignment, turns_of
from messaging.models import ClosurePeriod
from tests.devices.helpers import book, make_suitcase, monday
from tests.factories import InstitutionFactory


@settings(max_examples=150, deadline=None)
@given(
    suitcases=st.integers(min_value=1, max_value=6),
    daycares=st.integers(min_value=1, max_value=12),
    turns=st.integers(min_value=0, max_value=14),
)
def test_the_assignment_is_fair(suitcases, daycares, turns):
    result = fair_assignment(turns, list(range(suitcases)), list(range(100, 100 + daycares)))
    per_turn_suitcase = Counter((t, s) for t, s, _d in result)
    per_turn_daycare = Counter((t, d) for t, _s, d in result)
    pairs = Counter((s, d) for _t, s, d in result)
    assert max(per_turn_suitcase.values(), default=1) == 1
    assert max(per_turn_daycare.values(), default=1) == 1
    assert max(pairs.values(), default=1) == 1  # never the same suitcase twice
    counts = Counter(d for _t, _s, d in result)
    per_daycare = [counts.get(100 + i, 0) for i in range(daycares)]
    assert max(per_daycare) - min(per_daycare) <= 1
    if turns >= max(suitcases, daycares):
        # Long enough: every daycare gets every suitcase.
        assert len(pairs) == suitcases * daycares


def test_turns_start_on_mondays_and_fit_the_season():
    start = monday(1) + timedelta(days=2)  # a Wednesday
    turns = turns_of(start, start + timedelta(weeks=9), 4)
    assert [t.starts_on.weekday() for t in turns] == [0, 0]
    assert turns[0].starts_on == monday(2)
    assert all(t.ends_on - t.starts_on == timedelta(days=27) for t in turns)


@pytest.mark.django_db
def test_a_plan_is_generated_published_and_told(world, django_capture_on_commit_callbacks):
    admin = world.user("admin")
    suitcases = [make_suitcase(world.municipality, name=f"Kuffert {i}") for i in range(2)]
    daycares = [world.institution, world.neighbour, world.objects["childminding"]]
    # Our daycare is closed for the whole first turn's weeks; an extra booking exists.
    ClosurePeriod.objects.create(
        institution=world.institution,
        starts_on=monday(2),
        ends_on=monday(6) - timedelta(days=1),
        reply="Lukket",
    )
    extra = book(suitcases[1], world.neighbour, monday(6), monday(6) + timedelta(3))
    SuitcaseClosure.objects.create(
        municipality=world.municipality,
        starts_on=monday(10),
        ends_on=monday(10),
        reason="Helligdag",
    )
    plan = services.plan_create(
        actor=admin,
        municipality=world.municipality,
        name="Forår",
        starts_on=monday(2),
        ends_on=monday(2) + timedelta(weeks=16) - timedelta(days=1),
        weeks_per_turn=4,
        participants=daycares,
        suitcases=suitcases,
    )
    assigned = services.plan_generate(actor=admin, plan=plan)
    slots = list(RotationSlot.objects.filter(plan=plan))
    assert assigned == len(slots) == 6  # 3 daycares × 2 suitcases within 4 turns
    assert not any(s.institution == world.institution and s.turn == 0 for s in slots)
    assert all(s.starts_on.weekday() < 5 and s.ends_on.weekday() < 5 for s in slots)
    assert all(s.starts_on != monday(10) for s in slots)
    assert not any(
        s.suitcase == suitcases[1]
        and s.starts_on <= extra.ends_on + timedelta(2)
        and extra.starts_on <= s.ends_on
        for s in slots
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.plan_publish(actor=admin, plan=plan) == 6
    assert Booking.objects.filter(plan=plan, source="rotation").count() == 6
    told = Notification.objects.filter(kind="devices.plan_published")
    assert {n.recipient for n in told} >= {world.user("leader"), world.user("other_leader")}


@pytest.mark.django_db
def test_publishing_is_refused_whole_when_a_turn_was_booked_meanwhile(world):
    admin = world.user("admin")
    suitcase = make_suitcase(world.municipality)
    plan = services.plan_create(
        actor=admin,
        municipality=world.municipality,
        name="Efterår",
        starts_on=monday(2),
        ends_on=monday(2) + timedelta(weeks=8) - timedelta(days=1),
        weeks_per_turn=4,
        participants=[world.institution, world.neighbour],
        suitcases=[suitcase],
    )
    services.plan_generate(actor=admin, plan=plan)
    first = RotationSlot.objects.filter(plan=plan).order_by("turn").first()
    other = InstitutionFactory(municipality=world.municipality, name="Mælkebøtten")
    book(suitcase, other, first.starts_on, first.starts_on + timedelta(1))
    with pytest.raises(ValidationError, match="Tur 1"):
        services.plan_publish(actor=admin, plan=plan)
    assert not Booking.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert not plan.is_published


@pytest.mark.django_db
def test_a_turn_can_be_given_to_another_daycare_but_not_twice_in_a_turn(world):
    admin = world.user("admin")
    suitcases = [make_suitcase(world.municipality, name=f"K{i}") for i in range(2)]
    plan = services.plan_create(
        actor=admin,
        municipality=world.municipality,
        name="Vinter",
        starts_on=monday(2),
        ends_on=monday(2) + timedelta(weeks=8) - timedelta(days=1),
        weeks_per_turn=4,
        participants=[world.institution, world.neighbour],
        suitcases=suitcases,
    )
    services.plan_generate(actor=admin, plan=plan)
    slot = RotationSlot.objects.filter(plan=plan, turn=0).first()
    other = world.neighbour if slot.institution == world.institution else world.institution
    with pytest.raises(ValidationError):
        services.plan_slot_change(actor=admin, plan=plan, slot=slot, institution=other)
    assert services.plan_slot_change(actor=admin, plan=plan, slot=slot, institution=None) is None
