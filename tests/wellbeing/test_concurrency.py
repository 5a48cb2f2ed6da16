"""A group has one open session, even when two adults tap "start" at the same moment:
the service locks the group row, and a partial unique index backs it. Two threads, two
connections, real PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.wellbeing.helpers import add_children, questions_of
from wellbeing import services
from wellbeing.models import Session

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_starts_give_one_open_session(world):
    room = world.objects["room"]
    add_children(room, 3)
    questions_of(world.municipality)
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def start(index, user):
        try:
            barrier.wait(5)
            outcomes[index] = services.session_start(actor=user, group=room).pk
        except Exception as error:  # any failure is an outcome too
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=start, args=(0, world.user("staff"))),
        threading.Thread(target=start, args=(1, world.user("leader"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcomes[0] == outcomes[1], outcomes
    assert Session.objects.filter(group=room, closed_at__isnull=True).count() == 1
