"""The indicators: share of sign-ups made digitally, and no child past the guarantee
date without an offer; each evaluates all daycares in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from admissions import services
from admissions.indicators import DigitalSignups, GuaranteeKept
from admissions.models import Signup
from core.indicators import Status
from tests.admissions.helpers import (
    koege,
    make_daycare,
    next_month,
    offer,
    sign_up,
    today,
    with_places,
)

pytestmark = pytest.mark.django_db


def paper(municipality, wishes, name="Alma"):
    return services.signup_create(
        actor=None,
        municipality=municipality,
        channel="paper",
        parent_name="Hans Jensen",
        wishes=wishes,
        child_first_name=name,
        child_last_name="Jensen",
        birth_date=today() - timedelta(days=60),
        wished_start=next_month(),
    )


def test_the_share_of_digital_sign_ups_per_daycare():
    municipality = koege()
    digital, mixed, quiet = (make_daycare(municipality, n, leader=False) for n in "ABC")
    for name in ("Ida", "Bo"):
        sign_up(municipality, [digital], name=name)
    sign_up(municipality, [mixed])
    paper(municipality, [mixed])

    results = DigitalSignups().evaluate(
        municipality=municipality, institutions=[digital, mixed, quiet], today=today()
    )

    assert results[digital.pk].status == Status.MET
    assert "100 % af 2" in results[digital.pk].evidence
    assert results[mixed.pk].status == Status.NOT_MET
    assert results[quiet.pk].status == Status.NOT_APPLICABLE


def test_a_child_past_the_guarantee_date_without_an_offer_is_not_met():
    municipality = koege()
    late, offered, fine = (make_daycare(municipality, n) for n in "ABC")
    waiting = sign_up(municipality, [late])
    Signup.objects.filter(pk=waiting.pk).update(guarantee_date=today() - timedelta(days=1))
    with_offer = sign_up(municipality, [offered])
    Signup.objects.filter(pk=with_offer.pk).update(guarantee_date=today() - timedelta(days=1))
    offer(offered, with_offer, with_places(offered))
    sign_up(municipality, [fine], start=today() + timedelta(days=300))

    results = GuaranteeKept().evaluate(
        municipality=municipality, institutions=[late, offered, fine], today=today()
    )

    assert results[late.pk].status == Status.NOT_MET
    with translation.override("da"):
        assert str(results[late.pk].evidence) == "1 barn over garantidatoen uden et tilbud"
    # Where the daycare's leader (and the municipality) can offer the place.
    assert results[late.pk].fix_url == reverse("admissions:waiting_list", args=[late.pk])
    assert results[offered.pk].status == Status.MET
    assert results[fine.pk].status == Status.MET


@pytest.mark.parametrize("indicator", [DigitalSignups(), GuaranteeKept()])
def test_the_query_count_does_not_grow_with_the_number_of_daycares(indicator):
    municipality = koege()
    few = [make_daycare(municipality, f"Lille {n}", leader=False) for n in range(3)]
    many = few + [make_daycare(municipality, f"Stor {n}", leader=False) for n in range(27)]
    for daycare in many[::5]:
        sign_up(municipality, [daycare])

    def count(institutions) -> int:
        with CaptureQueriesContext(connection) as queries:
            indicator.evaluate(municipality=municipality, institutions=institutions, today=today())
        return len(queries)

    assert count(few) == count(many) <= 2
