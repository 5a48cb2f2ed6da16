"""The demo municipality has the strategy's money, and every grants page has content."""

from __future__ import annotations

import pytest

from grants.models import Application, Grant, Pool, Share
from portal import demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.seed()
        transaction.set_rollback(True)


def test_the_strategys_pools_are_there(seeded):
    pools = {p.name: p for p in Pool.objects.filter(municipality=seeded.koege)}
    assert pools["iPads til dagplejen"].total_ore == 160_000 * 100
    assert pools["iPads til dagplejen"].eligible_kinds == ["childminding"]
    assert pools["Digitaliseringskufferter"].total_ore == 125_000 * 100
    shared = pools["Udviklingsmidler fordelt efter antal børn"]
    assert (shared.kind, shared.total_ore) == (Pool.Kind.FORMULA, 315_000 * 100)
    assert shared.earmarks == ["wifi", "devices"]
    assert pools["Forsøg med digitale læremidler"].is_open_for_applications()


def test_the_315000_kroner_add_up_exactly_over_every_daycare(seeded):
    shared = Pool.objects.get(name="Udviklingsmidler fordelt efter antal børn")
    shares = Share.objects.filter(run__pool=shared)
    daycares = seeded.koege.institutions.daycares()

    assert sum(s.amount_ore for s in shares) == 31_500_000
    assert shares.count() == daycares.count() == 37
    assert all(s.amount_ore > 0 and s.amount_ore % 100 == 0 for s in shares)
    assert shared.committed_ore == shared.total_ore
    assert sum(g.amount_ore for g in Grant.objects.filter(pool=shared)) == 31_500_000
    assert shares.filter(has_wifi=False).count() == 6


def test_applications_are_seeded_in_every_state(seeded):
    states = set(Application.objects.values_list("state", flat=True))
    assert states == {s for s, _label in Application.State.choices}
    outcomes = set(Application.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == {"approved", "partly_approved", "rejected"}


def test_the_children_shared_by_are_the_children_in_each_daycares_groups(seeded):
    """The split counts a daycare's children on the count date; its groups show the
    children there now: in the demo they are the same children."""
    from django.utils import timezone

    from admissions.selectors import capacity_table, months_from

    shared = Pool.objects.get(name="Udviklingsmidler fordelt efter antal børn")
    shares = Share.objects.filter(run__pool=shared).select_related("institution")
    months = months_from(timezone.localdate(), 1)

    in_groups = {
        s.institution.name: sum(row.children for row in capacity_table(s.institution, months))
        for s in shares
    }
    assert in_groups == {s.institution.name: s.children for s in shares}
    assert all(in_groups.values())
    assert in_groups["Troldehøjen"] > 0
