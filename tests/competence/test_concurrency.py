"""Capacity holds when many people register at the same moment: real transactions in
threads against PostgreSQL, each on its own connection."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from competence import services
from competence.models import Event, Registration
from tests.competence.factories import EventFactory
from tests.factories import InstitutionFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

CAPACITY = 3
PEOPLE = 10


def run_together(calls) -> list[object]:
    """Start every call at the same moment in its own thread; what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # a deadlock or any other failure is an outcome too
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_exactly_capacity_registrations_get_a_seat_when_all_register_at_once():
    institution = InstitutionFactory()
    event = EventFactory(municipality=institution.municipality, capacity=CAPACITY)
    people = [MembershipFactory(institution=institution, role="staff").user for _ in range(PEOPLE)]

    outcomes = run_together(
        [
            lambda user=user: services.registration_create(
                actor=user, event=event, institution=institution, user=user
            )
            for user in people
        ]
    )

    errors = [o for o in outcomes if not isinstance(o, Registration)]
    assert not errors, errors
    statuses = sorted(o.status for o in outcomes)
    assert statuses.count(Registration.Status.CONFIRMED) == CAPACITY
    assert statuses.count(Registration.Status.WAITING) == PEOPLE - CAPACITY
    event.refresh_from_db()
    assert event.confirmed_count == CAPACITY
    assert event.registrations.filter(status="confirmed").count() == CAPACITY


def test_simultaneous_cancellations_each_move_a_different_person_up():
    institution = InstitutionFactory()
    event = EventFactory(municipality=institution.municipality, capacity=2)
    people = [MembershipFactory(institution=institution, role="staff").user for _ in range(4)]
    registrations = [
        services.registration_create(actor=u, event=event, institution=institution, user=u)
        for u in people
    ]
    seats = registrations[:2]

    outcomes = run_together(
        [lambda r=r: services.registration_cancel(actor=r.user, registration=r) for r in seats]
    )

    assert all(isinstance(o, list) and len(o) == 1 for o in outcomes), outcomes
    moved = {o[0].pk for o in outcomes}
    assert moved == {r.pk for r in registrations[2:]}
    event.refresh_from_db()
    assert event.confirmed_count == 2
    assert Event.objects.get(pk=event.pk).registrations.filter(status="confirmed").count() == 2


def test_two_employees_racing_for_the_kickoff_leave_one_registered_and_one_refused():
    institution = InstitutionFactory(name="Egernet")
    event = EventFactory(municipality=institution.municipality, is_kickoff=True, capacity=20)
    leader = MembershipFactory(institution=institution, role="leader").user
    employees = [MembershipFactory(institution=institution, role="staff").user for _ in range(2)]

    outcomes = run_together(
        [
            lambda user=user: services.registration_create(
                actor=leader, event=event, institution=institution, user=user
            )
            for user in employees
        ]
    )

    registered = [o for o in outcomes if isinstance(o, Registration)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(registered) == 1 and len(refused) == 1, outcomes
    assert "Egernet" in refused[0].messages[0]
    assert registered[0].user.name in refused[0].messages[0]
    assert list(event.registrations.active().values_list("user", flat=True)) == [
        registered[0].user.pk
    ]
    event.refresh_from_db()
    assert event.confirmed_count == 1


def test_the_database_alone_holds_the_kickoff_seat_when_writers_skip_the_lock():
    institution = InstitutionFactory()
    event = EventFactory(municipality=institution.municipality, is_kickoff=True, capacity=20)
    employees = [MembershipFactory(institution=institution, role="staff").user for _ in range(2)]

    def insert(user):
        with transaction.atomic():
            return Registration.objects.create(
                event=event,
                institution=institution,
                user=user,
                for_kickoff=True,
                status=Registration.Status.WAITING,
                queued_at=timezone.now(),
            )

    outcomes = run_together([lambda user=user: insert(user) for user in employees])

    assert sorted(type(o).__name__ for o in outcomes) == ["IntegrityError", "Registration"]
    assert event.registrations.active().count() == 1
