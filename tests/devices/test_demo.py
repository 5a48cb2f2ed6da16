"""The demo municipality has devices, Wi-Fi, suitcases, a published rotation plan and the
childminders' iPad programme, linked to the grants that paid."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from core.indicators import evaluate, get_indicator
from devices.models import Booking, Device, PurchaseProgramme, RotationPlan, Suitcase, WifiSite
from grants.models import Pool
from portal import demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.seed()
        transaction.set_rollback(True)


def test_the_demo_has_devices_wifi_and_suitcases(seeded):
    koege = seeded.koege
    assert Device.objects.filter(institution__municipality=koege).count() > 60
    assert Device.objects.filter(grant_id__isnull=False).exists()
    assert WifiSite.objects.filter(institution__municipality=koege).count() == 37
    assert Suitcase.objects.filter(municipality=koege).count() == 4
    plan = RotationPlan.objects.get(status="published")
    assert Booking.objects.filter(plan=plan).count() > 10
    assert Booking.objects.filter(flagged=True).count() == 1


def test_the_ipad_programme_is_linked_to_its_pool_and_part_distributed(seeded):
    programme = PurchaseProgramme.objects.get()
    assert Pool.objects.get(pk=programme.pool_id).name == "iPads til dagplejen"
    assert programme.units == 32 and programme.budget_ore == 160_000 * 100
    assert programme.devices.count() == 20


def test_the_indicators_have_something_to_show(seeded):
    matrix = evaluate(municipality=seeded.koege, today=timezone.localdate())
    coverage = get_indicator("devices.device_per_group")
    featured = matrix.result(coverage, seeded.featured)
    assert featured.status == "not_met" and "ingen i" in featured.evidence.lower()
    assert matrix.count(coverage, "met") > 10
    wifi = get_indicator("devices.wifi_every_site")
    assert matrix.result(wifi, seeded.featured).status == "met"
    assert matrix.count(wifi, "met") < 37
