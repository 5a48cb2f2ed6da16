"""The demo municipality has rules, places and sign-ups in every state."""

from __future__ import annotations

import pytest

from admissions import selectors
from admissions.models import Capacity, Offer, Policy, Signup
from portal import demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.seed()
        transaction.set_rollback(True)


def test_koege_has_rules_places_and_sign_ups_in_every_state(seeded):
    assert Policy.objects.get(municipality=seeded.koege).max_wishes == 3
    assert Capacity.objects.filter(group__institution=seeded.featured).exists()
    assert set(Signup.objects.values_list("state", flat=True)) == set(Signup.State.values)
    assert set(Signup.objects.values_list("channel", flat=True)) == {"digital", "paper"}
    assert set(Offer.objects.values_list("state", flat=True)) >= {"pending", "accepted", "declined"}
    pending = Offer.objects.get(state="pending")
    assert pending.deadline < pending.start_date  # the parents answer before the start


def test_the_demo_parent_waits_first_in_line_at_the_featured_daycare_by_sibling_priority(seeded):
    lea = Signup.objects.get(parent=seeded.users["guardian"], child_first_name="Lea")
    rows = selectors.waiting_list(seeded.featured)
    row = next(r for r in rows if r.signup.pk == lea.pk)
    assert row.sibling
    assert selectors.near_guarantee(seeded.koege)
