"""The devices section of the institution status report: coverage, Wi-Fi and this
year's suitcases, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices.models import WifiSite
from devices.reports import devices_section
from tests.devices.helpers import book, make_device, make_suitcase, monday

pytestmark = pytest.mark.django_db


def test_the_report_section_shows_coverage_wifi_and_suitcases(world):
    make_device(world.institution, group=world.objects["room"])
    WifiSite.objects.create(institution=world.institution, name="Hovedhuset", coverage="full")
    suitcase = make_suitcase(world.municipality)
    book(suitcase, world.institution, monday(1), monday(1) + timedelta(3))
    with CaptureQueriesContext(connection) as queries:
        section = devices_section(institution=world.institution, today=monday(1))
    assert len(queries) == 3
    facts = dict(section.facts)
    assert facts["Stuer og hjem dækket"] == "1 / 2"
    assert "Hovedhuset: Fuld dækning" in facts["Trådløst netværk"]
    coverage, suitcases = section.tables
    assert ["Myren", 1] in coverage.rows and ["Egernet", 0] in coverage.rows
    assert suitcases.rows[0][0] == "Robotkufferten"
