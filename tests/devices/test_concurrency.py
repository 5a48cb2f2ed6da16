"""Two daycares book the same suitcase for the same week at the same moment: exactly one
booking succeeds, the other is refused in words. Real transactions in two threads (two
connections) against PostgreSQL; the exclusion constraint decides."""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from devices import services
from devices.models import Booking
from devices.services import suitcases as suitcase_services
from tests.conftest import build_world
from tests.devices.helpers import make_suitcase, monday

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_bookings_of_one_week_exactly_one_succeeds(monkeypatch):
    world = build_world()
    suitcase = make_suitcase(world.municipality)
    start, end = monday(3), monday(3) + timedelta(4)
    # Both requests pass the friendly check before either inserts: the constraint decides.
    both_checked = threading.Barrier(2, timeout=10)
    real = suitcase_services._conflicts
    # Only each thread's first check waits: the loser checks again to word its refusal,
    # and waiting there would only sit out the barrier's timeout.
    waited = threading.local()

    def conflicts_then_wait(*args, **kwargs):
        found = real(*args, **kwargs)
        if threading.current_thread() is not threading.main_thread() and not getattr(
            waited, "done", False
        ):
            waited.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                both_checked.wait()
        return found

    monkeypatch.setattr(suitcase_services, "_conflicts", conflicts_then_wait)
    outcomes: list[object] = [None, None]

    def run(index, institution, user):
        try:
            outcomes[index] = services.booking_create(
                actor=user, suitcase=suitcase, institution=institution, starts_on=start, ends_on=end
            )
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(0, world.institution, world.user("leader"))),
        threading.Thread(target=run, args=(1, world.neighbour, world.user("other_leader"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    booked = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(booked) == 1 and len(refused) == 1, outcomes
    assert "booket" in refused[0].messages[0]
    assert Booking.objects.filter(suitcase=suitcase).count() == 1
