"""Services lock what they check: two people acting at the same moment cannot break an
invariant. Each test runs two real transactions in two threads (two connections) and
holds the first one open, after its write, while the second one starts."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core import audit as audit_module
from institutions import services
from institutions.models import Child, Institution, Invitation, Membership, MunicipalRole
from institutions.onboarding import services as onboarding
from tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
    UserFactory,
)
from tests.institutions.workbooks import upload

pytestmark = pytest.mark.django_db(transaction=True)

HOLD = 0.6  # seconds the first transaction stays open after its write


@pytest.fixture
def slow_first_commit(monkeypatch):
    """The first audit entry (written after the service's write, before its commit) waits,
    so the second transaction runs while the first is still open."""
    first = threading.Event()
    real = audit_module.audit

    def audit(**kwargs):
        entry = real(**kwargs)
        if not first.is_set():
            first.set()
            time.sleep(HOLD)
        return entry

    monkeypatch.setattr(services, "audit", audit)
    return first


def race(first_started: threading.Event, first, second) -> list[object]:
    """Run `first`, then `second` once `first` is inside its transaction; return what each
    returned or raised."""
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
    assert first_started.wait(5)
    two = threading.Thread(target=run, args=(1, second))
    two.start()
    one.join(10)
    two.join(10)
    return outcomes


def test_two_leaders_removed_at_the_same_moment_leave_one(slow_first_commit):
    institution = InstitutionFactory()
    first = MembershipFactory(institution=institution, role=Membership.Role.LEADER)
    second = MembershipFactory(institution=institution, role=Membership.Role.LEADER)
    admin_a, admin_b = UserFactory(), UserFactory()

    outcomes = race(
        slow_first_commit,
        lambda: services.membership_remove(actor=admin_a, membership=first),
        lambda: services.membership_remove(actor=admin_b, membership=second),
    )

    assert outcomes[0] is None
    assert isinstance(outcomes[1], ValidationError), outcomes[1]
    assert list(Membership.objects.filter(institution=institution, role="leader")) == [second]


def test_two_administrators_removing_each_other_leave_one(slow_first_commit):
    first = MunicipalRoleFactory()
    second = MunicipalRoleFactory(municipality=first.municipality)

    outcomes = race(
        slow_first_commit,
        lambda: services.municipal_role_remove(actor=first.user, role=second),
        lambda: services.municipal_role_remove(actor=second.user, role=first),
    )

    assert outcomes[0] is None
    # Refused, not deadlocked: both transactions name the other's user.
    assert isinstance(outcomes[1], ValidationError), outcomes[1]
    assert list(MunicipalRole.objects.all()) == [first]


def test_an_invitation_accepted_twice_at_once_creates_one_account(slow_first_commit):
    institution = InstitutionFactory()
    leader = UserFactory()
    invitation = services.invitation_create(
        actor=leader,
        municipality=institution.municipality,
        institution=institution,
        email="pia@example.org",
        name="Pia",
        role="staff",
    )
    slow_first_commit.clear()  # hold the acceptance, not the invitation

    outcomes = race(
        slow_first_commit,
        lambda: services.invitation_accept(invitation=invitation, password="Lang-og-sikker-42"),
        lambda: services.invitation_accept(invitation=invitation, password="Lang-og-sikker-42"),
    )

    assert outcomes[0].email == "pia@example.org"
    assert isinstance(outcomes[1], ValidationError)
    assert Membership.objects.filter(user__email="pia@example.org").count() == 1


def test_one_workbook_imported_twice_at_the_same_moment_is_imported_once(monkeypatch):
    """Two administrators press Import at once: the municipality is locked while the
    first imports, and the second finds the workbook imported."""
    koege = MunicipalityFactory(name="Køge Kommune", code="259")
    admin_a = MunicipalRoleFactory(municipality=koege).user
    admin_b = MunicipalRoleFactory(municipality=koege).user
    checked = onboarding.workbook_check(actor=admin_a, municipality=koege, upload=upload(koege))
    first = threading.Event()
    real = audit_module.audit

    def audit(**kwargs):
        entry = real(**kwargs)
        if kwargs["action"] == "workbook.imported" and not first.is_set():
            first.set()
            time.sleep(HOLD)
        return entry

    monkeypatch.setattr(onboarding, "audit", audit)

    outcomes = race(
        first,
        lambda: onboarding.workbook_import(actor=admin_a, workbook=checked),
        lambda: onboarding.workbook_import(actor=admin_b, workbook=checked),
    )

    assert not isinstance(outcomes[0], Exception), outcomes[0]
    assert isinstance(outcomes[1], ValidationError), outcomes[1]
    assert outcomes[1].messages == ["Projektmappen er allerede importeret."]
    assert Institution.objects.filter(municipality=koege).count() == 2
    assert Child.objects.count() == 3
    assert Invitation.objects.count() == 7
