"""Reminders that the children's environment assessment is due, and the indicator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.indicators import Status, get_indicator
from core.models import Notification
from institutions.models import Institution
from tests.factories import InstitutionFactory, MembershipFactory
from wellbeing import reminders
from wellbeing.models import Assessment

pytestmark = pytest.mark.django_db


def _completed(institution, on: date) -> Assessment:
    return Assessment.objects.create(
        institution=institution,
        year=on.year,
        physical="a",
        psychological="b",
        aesthetic="c",
        status=Assessment.Status.COMPLETED,
        completed_on=on,
    )


def test_a_daycare_is_reminded_every_second_year_and_only_once(
    world, mailbox, django_capture_on_commit_callbacks
):
    today = date(2026, 6, 1)
    _completed(world.institution, date(2024, 7, 15))  # due 15 July 2026: within 60 days
    _completed(world.neighbour, date(2025, 6, 1))  # due 2027: not yet
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.reminders_send(today=today)
    told = Notification.objects.filter(kind="wellbeing.assessment_due")
    leaders = set(told.values_list("recipient__email", flat=True))
    assert "leder@example.org" in leaders and "leder2@example.org" not in leaders
    assert sent["assessment_due"] == told.count()
    assert reminders.reminders_send(today=today)["assessment_due"] == 0
    assert any("børnemiljøvurdering" in str(m["Subject"]).lower() for m in mailbox.messages)


def test_after_school_care_is_reminded_every_third_year(world):
    sfo = InstitutionFactory(municipality=world.municipality, kind=Institution.Kind.AFTER_SCHOOL)
    leader = MembershipFactory(institution=sfo, role="leader").user
    _completed(sfo, date(2024, 7, 15))
    reminders.reminders_send(today=date(2026, 6, 1))
    assert not Notification.objects.filter(recipient=leader).exists()
    reminders.reminders_send(today=date(2027, 6, 1))
    assert Notification.objects.filter(recipient=leader, kind="wellbeing.assessment_due").exists()


def test_the_indicator_grades_every_daycare_in_a_fixed_number_of_queries(world):
    indicator = get_indicator("wellbeing.environment_assessed")
    today = date(2026, 6, 1)
    _completed(world.institution, today - timedelta(days=100))
    institutions = list(world.municipality.institutions.all())
    with CaptureQueriesContext(connection) as few:
        results = indicator.evaluate(
            municipality=world.municipality, institutions=institutions, today=today
        )
    assert results[world.institution.pk].status == Status.AT_RISK  # no child answered yet
    assert results[world.neighbour.pk].status == Status.NOT_MET
    for _ in range(5):
        InstitutionFactory(municipality=world.municipality)
    institutions = list(world.municipality.institutions.all())
    with CaptureQueriesContext(connection) as many:
        indicator.evaluate(municipality=world.municipality, institutions=institutions, today=today)
    assert len(many) == len(few) == 2
