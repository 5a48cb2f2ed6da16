"""A pool is never committed beyond its total, even when two administrators approve at
the same moment: decisions lock the pool row, and the database's check on the pool backs
it. Real transactions in two threads (two connections) against PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from core import audit as audit_module
from grants import services
from grants.models import Application, Grant, Pool
from tests.factories import InstitutionFactory, MunicipalityFactory, MunicipalRoleFactory
from tests.grants.helpers import make_application, make_pool, today

pytestmark = pytest.mark.django_db(transaction=True)

HOLD = 0.6  # seconds the first decision stays open after its write
State = Application.State


@pytest.fixture
def slow_first_commit(monkeypatch):
    """The first audit entry written during the race waits before its transaction
    commits, so the second decision starts while the first still holds its locks."""
    first = threading.Event()
    real = audit_module.audit

    def audit(**kwargs):
        entry = real(**kwargs)
        if not first.is_set():
            first.set()
            time.sleep(HOLD)
        return entry

    # The decision's audit entry is written where applications move between states.
    monkeypatch.setattr(services.common, "audit", audit)
    # The decision letters are another test's business (tests/grants/test_letters.py).
    monkeypatch.setattr(services.review, "enqueue", lambda *args, **kwargs: None)
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


@pytest.fixture
def two_in_review():
    """A 30,000 kr pool and two applications for 20,000 kr each, both in review."""
    koege = MunicipalityFactory(code="259")
    pool = make_pool(koege, name="Lille pulje", total_kr=30_000)
    applications = [
        make_application(pool, InstitutionFactory(municipality=koege), state=State.IN_REVIEW)
        for _ in range(2)
    ]
    admins = [MunicipalRoleFactory(municipality=koege).user for _ in range(2)]
    return pool, applications, admins


def approve(admin, application):
    return lambda: services.application_decide(
        actor=admin,
        application=application,
        outcome=Application.Outcome.APPROVED,
        report_due_on=today() + timedelta(days=30),
    )


def test_two_approvals_that_would_overdraw_the_pool_exactly_one_is_refused(
    two_in_review, slow_first_commit
):
    pool, (first, second), (admin_a, admin_b) = two_in_review
    slow_first_commit.clear()

    outcomes = race(slow_first_commit, approve(admin_a, first), approve(admin_b, second))

    assert isinstance(outcomes[0], Application), outcomes[0]
    assert isinstance(outcomes[1], ValidationError), outcomes[1]
    assert "10.000,00" in " ".join(outcomes[1].messages)  # what was left after the first
    pool.refresh_from_db()
    assert pool.committed_ore == 2_000_000
    assert list(Grant.objects.values_list("application_id", flat=True)) == [first.pk]
    assert Application.objects.get(pk=second.pk).state == State.IN_REVIEW


def test_without_the_service_check_the_database_still_refuses_the_overdraw(
    two_in_review, slow_first_commit, monkeypatch
):
    """Take away the service's check of what is left: the CHECK on the pool row refuses the
    second approval all the same, and nothing of it is stored."""
    pool, (first, second), (admin_a, admin_b) = two_in_review
    monkeypatch.setattr(Pool, "available_ore", property(lambda self: 10**15))
    slow_first_commit.clear()

    outcomes = race(slow_first_commit, approve(admin_a, first), approve(admin_b, second))

    assert isinstance(outcomes[0], Application), outcomes[0]
    assert isinstance(outcomes[1], IntegrityError), outcomes[1]
    assert "grants_pool_committed_within_total" in str(outcomes[1])
    pool.refresh_from_db()
    assert pool.committed_ore == 2_000_000
    assert Grant.objects.count() == 1
    assert Application.objects.get(pk=second.pk).state == State.IN_REVIEW


def test_two_approvals_that_fit_both_go_through(slow_first_commit):
    koege = MunicipalityFactory(code="259")
    pool = make_pool(koege, name="Stor pulje", total_kr=40_000)
    first, second = (
        make_application(pool, InstitutionFactory(municipality=koege), state=State.IN_REVIEW)
        for _ in range(2)
    )
    admin_a, admin_b = (MunicipalRoleFactory(municipality=koege).user for _ in range(2))
    slow_first_commit.clear()

    outcomes = race(slow_first_commit, approve(admin_a, first), approve(admin_b, second))

    assert all(isinstance(o, Application) for o in outcomes), outcomes
    pool.refresh_from_db()
    assert pool.committed_ore == pool.total_ore
