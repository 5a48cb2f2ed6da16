"""Two leaders offering the last place in a group at once cannot both succeed, and two
offers to one child at once leave one open offer: offers lock the capacity row, then the
sign-up, and the database's constraints back both. Real transactions in two threads (two
connections) against PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from admissions import services
from admissions.models import Capacity, Offer
from core import audit as audit_module
from institutions.models import Membership
from tests.admissions.helpers import (
    koege,
    make_daycare,
    next_month,
    sign_up,
    with_places,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HOLD = 0.6  # seconds the first offer stays open after its write


@pytest.fixture
def slow_first_commit(monkeypatch):
    """The first audit entry written during the race waits before its transaction
    commits, so the second offer starts while the first still holds its locks."""
    first = threading.Event()
    real = audit_module.audit

    def audit(**kwargs):
        entry = real(**kwargs)
        if not first.is_set():
            first.set()
            time.sleep(HOLD)
        return entry

    monkeypatch.setattr(services.offers, "audit", audit)
    # The letters are another test's business (tests/admissions/test_letters.py).
    monkeypatch.setattr(services.common, "enqueue", lambda *args, **kwargs: None)
    return first


def race(first_started: threading.Event, first, second) -> list[object]:
    outcomes: list[object] = [None, None]

    def run(index, call):
        try:
            outcomes[index] = call()
        except Exception as error:  # a deadlock or any other failure is an outcome too
            outcomes[index] = error
        finally:
            connection.close()

    one = threading.Thread(target=run, args=(0, first))
    one.start()
    assert first_started.wait(10)
    two = threading.Thread(target=run, args=(1, second))
    two.start()
    one.join(20)
    two.join(20)
    return outcomes


def test_two_leaders_offering_the_last_place_at_once_cannot_both_succeed(slow_first_commit):
    municipality = koege()
    daycare = make_daycare(municipality, "Solstrålen")
    group = with_places(daycare, places=1)
    leaders = [
        MembershipFactory(institution=daycare, role=Membership.Role.LEADER, user=UserFactory()).user
        for _ in range(2)
    ]
    children = [sign_up(municipality, [daycare], name=n) for n in ("Ida", "Bo")]

    def make(index):
        return lambda: services.offer_make(
            actor=leaders[index],
            institution=daycare,
            signup=children[index],
            group=group,
            start_date=next_month(),
        )

    slow_first_commit.clear()  # the setup above wrote audit entries too
    outcomes = race(slow_first_commit, make(0), make(1))

    assert isinstance(outcomes[0], Offer), outcomes
    assert isinstance(outcomes[1], ValidationError), outcomes
    assert Offer.objects.count() == 1
    capacity = Capacity.objects.get(group=group)
    assert (capacity.places, capacity.offered) == (1, 1)


def test_two_daycares_offering_one_child_at_once_leave_one_open_offer(slow_first_commit):
    municipality = koege()
    daycares = [make_daycare(municipality, n) for n in ("Solstrålen", "Troldehøjen")]
    groups = [with_places(d, places=2) for d in daycares]
    child = sign_up(municipality, daycares)

    def make(index):
        return lambda: services.offer_make(
            actor=UserFactory(),
            institution=daycares[index],
            signup=child,
            group=groups[index],
            start_date=next_month(),
        )

    slow_first_commit.clear()  # the setup above wrote audit entries too
    outcomes = race(slow_first_commit, make(0), make(1))

    assert isinstance(outcomes[0], Offer), outcomes
    assert isinstance(outcomes[1], ValidationError | IntegrityError), outcomes
    assert Offer.objects.filter(signup=child, state="pending").count() == 1
    assert sorted(Capacity.objects.values_list("offered", flat=True)) == [0, 1]
