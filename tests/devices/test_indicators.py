"""The devices indicators: coverage per group and home, Wi-Fi at every site, a suitcase
borrowed this year; each evaluates every daycare in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices.indicators import DevicePerGroup, SuitcaseBorrowed, WifiEverySite
from devices.models import Booking, WifiSite
from tests.devices.helpers import book, make_device, make_suitcase, monday
from tests.factories import GroupFactory, InstitutionFactory

pytestmark = pytest.mark.django_db
BEFORE = date(2014, 6, 1)
AFTER = date(2015, 3, 1)


def _evaluate(indicator, world, today, institutions=None):
    institutions = institutions or [world.institution, world.neighbour]
    return indicator.evaluate(
        municipality=world.municipality, institutions=institutions, today=today
    )


def test_coverage_is_met_when_every_group_has_a_working_tablet_or_pc(world):
    room, other = world.objects["room"], world.institution.groups.get(name="Egernet")
    make_device(world.institution, group=room)
    make_device(world.institution, group=other, status="in_repair")
    result = _evaluate(DevicePerGroup(), world, AFTER)[world.institution.pk]
    assert result.status == "not_met" and "Egernet" in result.evidence
    assert _evaluate(DevicePerGroup(), world, BEFORE)[world.institution.pk].status == "at_risk"
    make_device(world.institution, group=other, kind="pc")
    assert _evaluate(DevicePerGroup(), world, AFTER)[world.institution.pk].status == "met"


def test_a_whiteboard_does_not_count(world):
    for group in world.institution.groups.all():
        make_device(world.institution, group=group, kind="whiteboard")
    assert _evaluate(DevicePerGroup(), world, AFTER)[world.institution.pk].status == "not_met"


def test_wifi_full_partial_none(world):
    results = _evaluate(WifiEverySite(), world, AFTER)
    assert results[world.institution.pk].status == "not_met"
    site = WifiSite.objects.create(institution=world.institution, name="Hus", coverage="partial")
    assert _evaluate(WifiEverySite(), world, AFTER)[world.institution.pk].status == "at_risk"
    site.coverage = "full"
    site.save()
    WifiSite.objects.create(institution=world.institution, name="Annekset", coverage="full")
    assert _evaluate(WifiEverySite(), world, AFTER)[world.institution.pk].status == "met"


def test_a_suitcase_borrowed_this_year(world):
    suitcase = make_suitcase(world.municipality)
    today = monday(1)
    assert _evaluate(SuitcaseBorrowed(), world, today)[world.institution.pk].status == "not_met"
    booking = book(suitcase, world.institution, monday(2), monday(2) + timedelta(3))
    result = _evaluate(SuitcaseBorrowed(), world, monday(2))[world.institution.pk]
    assert result.status in ("at_risk", "met")
    Booking.objects.filter(pk=booking.pk).update(status="returned", returned_on=monday(2))
    result = _evaluate(SuitcaseBorrowed(), world, monday(2))[world.institution.pk]
    assert result.status == "met" and "Robotkufferten" in result.evidence


@pytest.mark.parametrize("indicator", [DevicePerGroup(), WifiEverySite(), SuitcaseBorrowed()])
def test_one_query_for_3_or_30_daycares(world, indicator):
    def daycares(n):
        made = []
        for i in range(n):
            daycare = InstitutionFactory(municipality=world.municipality, name=f"{n}-{i}")
            GroupFactory(institution=daycare, name="Stuen")
            WifiSite.objects.create(institution=daycare, name="Hus", coverage="full")
            made.append(daycare)
        return made

    few, many = daycares(3), daycares(30)
    with CaptureQueriesContext(connection) as small:
        indicator.evaluate(municipality=world.municipality, institutions=few, today=AFTER)
    with CaptureQueriesContext(connection) as large:
        indicator.evaluate(municipality=world.municipality, institutions=many, today=AFTER)
    assert len(small) == len(large) <= 2
