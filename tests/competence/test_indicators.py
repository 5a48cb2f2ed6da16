"""The four competence indicators: statuses, evidence, and a fixed number of queries
whether a municipality has 3 daycares or 30."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competence.indicators import (
    ExperienceShared,
    KickoffConference,
    NetworkMeetings,
    ResourcesSetAside,
)
from competence.models import MeetingAttendance, Post
from core.indicators import Status, all_indicators
from tests.competence.factories import (
    EventFactory,
    MeetingFactory,
    NetworkFactory,
    PlanFactory,
    PostFactory,
    RegistrationFactory,
)
from tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def evaluate(indicator, municipality, institutions, today=TODAY):
    return indicator().evaluate(municipality=municipality, institutions=institutions, today=today)


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


def daycares(municipality, n):
    return [InstitutionFactory(municipality=municipality) for _ in range(n)]


def test_the_four_indicators_are_registered_in_the_competence_area():
    codes = {i.code for i in all_indicators() if i.area == "competence"}
    assert {
        "competence.resources_set_aside",
        "competence.kickoff_conference",
        "competence.network_meetings",
        "competence.experience_shared",
        "institutions.ambassador_named",
    } <= codes


# Resources set aside ----------------------------------------------------------------


def test_resources_are_met_with_money_or_hours_this_year(koege):
    money, hours, empty, last_year, none = daycares(koege, 5)
    PlanFactory(institution=money, year=TODAY.year, budget_ore=1_000_00, hours=0)
    PlanFactory(institution=hours, year=TODAY.year, budget_ore=0, hours=Decimal(10))
    PlanFactory(institution=empty, year=TODAY.year, budget_ore=0, hours=0)
    PlanFactory(institution=last_year, year=TODAY.year - 1)

    results = evaluate(ResourcesSetAside, koege, [money, hours, empty, last_year, none])

    assert [results[i.pk].status for i in (money, hours, empty, last_year, none)] == [
        Status.MET,
        Status.MET,
        Status.NOT_MET,
        Status.NOT_MET,
        Status.NOT_MET,
    ]
    assert "1.000,00\u00a0kr." in results[money.pk].evidence
    assert results[none.pk].fix_url == f"/institutioner/{none.pk}/kompetenceplan/{TODAY.year}/"


# The kick-off conference ------------------------------------------------------------


def register(event, institution, *, leader=False, arrived=False):
    user = MembershipFactory(institution=institution, role="leader" if leader else "staff").user
    return RegistrationFactory(
        event=event,
        institution=institution,
        user=user,
        as_leader=leader,
        checked_in_at=timezone.now() if arrived else None,
    )


def test_no_kickoff_conference_is_not_applicable(koege):
    (daycare,) = daycares(koege, 1)
    EventFactory(municipality=koege)  # a theme day is not the kick-off
    assert evaluate(KickoffConference, koege, [daycare])[daycare.pk].status == (
        Status.NOT_APPLICABLE
    )


def test_before_the_day_registration_of_leader_and_employee_counts(koege):
    complete, leader_only, nobody = daycares(koege, 3)
    event = EventFactory(municipality=koege, is_kickoff=True, capacity=20)
    register(event, complete, leader=True)
    register(event, complete)
    register(event, leader_only, leader=True)

    results = evaluate(KickoffConference, koege, [complete, leader_only, nobody])

    assert results[complete.pk].status == Status.MET
    assert results[leader_only.pk].status == Status.AT_RISK
    assert results[nobody.pk].status == Status.AT_RISK
    assert results[nobody.pk].fix_url == f"/kompetence/arrangementer/{event.pk}/"
    assert results[complete.pk].evidence.startswith("Lederen og 1 medarbejder er tilmeldt den ")
    assert results[leader_only.pk].evidence.endswith(", men ingen medarbejdere endnu.")
    assert results[nobody.pk].evidence.startswith("Ingen fra dagtilbuddet er tilmeldt den ")


def test_the_municipality_is_sent_from_the_indicator_to_the_kickoff_conference(koege, client):
    daycares(koege, 1)  # a daycare with nobody registered yet
    event = EventFactory(municipality=koege, is_kickoff=True, capacity=20)
    client.force_login(MunicipalRoleFactory(municipality=koege, user__totp=True).user)

    page = client.get(
        reverse("indicators:indicator", args=[koege.pk, "competence.kickoff_conference"])
    )

    assert page.status_code == 200
    assert f'href="/kompetence/arrangementer/{event.pk}/"' in page.content.decode()
    assert client.get(f"/kompetence/arrangementer/{event.pk}/").status_code == 200


def test_after_the_day_attendance_counts(koege):
    came, registered_only = daycares(koege, 2)
    start = timezone.now() - timedelta(days=3)
    event = EventFactory(municipality=koege, is_kickoff=True, capacity=20, starts_at=start)
    register(event, came, leader=True, arrived=True)
    register(event, came, arrived=True)
    register(event, registered_only, leader=True)
    register(event, registered_only)

    results = evaluate(KickoffConference, koege, [came, registered_only])

    assert results[came.pk].status == Status.MET
    assert results[registered_only.pk].status == Status.NOT_MET
    assert results[came.pk].evidence.startswith("Lederen og 1 medarbejder deltog den ")
    assert results[registered_only.pk].evidence.startswith("Ingen fra dagtilbuddet deltog den ")


# Network meetings -------------------------------------------------------------------


def test_two_meetings_in_twelve_months_are_needed(koege):
    twice, once, outside = daycares(koege, 3)
    network = NetworkFactory(municipality=koege)
    network.members.add(twice, once)
    now = timezone.now()
    meetings = [
        MeetingFactory(network=network, starts_at=now - timedelta(days=days))
        for days in (30, 150, 400)
    ]
    for meeting in meetings[:2]:
        MeetingAttendance.objects.create(meeting=meeting, institution=twice)
    MeetingAttendance.objects.create(meeting=meetings[0], institution=once)
    MeetingAttendance.objects.create(meeting=meetings[2], institution=once)  # too long ago

    results = evaluate(NetworkMeetings, koege, [twice, once, outside])

    assert results[twice.pk].status == Status.MET
    assert results[twice.pk].evidence == "Deltog i 2 af 2 møder de seneste 12 måneder."
    assert results[once.pk].status == Status.NOT_MET
    assert results[outside.pk].status == Status.NOT_MET


def test_no_network_meetings_is_not_applicable(koege):
    (daycare,) = daycares(koege, 1)
    network = NetworkFactory(municipality=koege)
    MeetingFactory(network=network, starts_at=timezone.now() + timedelta(days=10))
    assert evaluate(NetworkMeetings, koege, [daycare])[daycare.pk].status == Status.NOT_APPLICABLE


# Experience shared ------------------------------------------------------------------


def test_an_experience_in_the_last_six_months_is_needed(koege):
    recent, old, never = daycares(koege, 3)
    PostFactory(institution=recent)
    stale = PostFactory(institution=old)
    Post.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=200))

    results = evaluate(ExperienceShared, koege, [recent, old, never])

    assert results[recent.pk].status == Status.MET
    assert results[old.pk].status == Status.NOT_MET
    assert results[never.pk].status == Status.NOT_MET
    assert results[never.pk].fix_url == f"/kommune/{koege.pk}/videndeling/ny/"


# A fixed number of queries ------------------------------------------------------------


def _world_of(n: int):
    municipality = MunicipalityFactory()
    institutions = daycares(municipality, n)
    event = EventFactory(municipality=municipality, is_kickoff=True, capacity=200)
    network = NetworkFactory(municipality=municipality)
    network.members.add(*institutions)
    meeting = MeetingFactory(network=network)
    for institution in institutions:
        PlanFactory(institution=institution)
        register(event, institution, leader=True)
        register(event, institution)
        MeetingAttendance.objects.create(meeting=meeting, institution=institution)
        PostFactory(institution=institution)
    return municipality, institutions


@pytest.mark.parametrize(
    "indicator", [ResourcesSetAside, KickoffConference, NetworkMeetings, ExperienceShared]
)
def test_each_indicator_takes_the_same_queries_for_3_or_30_daycares(indicator):
    counts = []
    for n in (3, 30):
        municipality, institutions = _world_of(n)
        with CaptureQueriesContext(connection) as queries:
            results = evaluate(indicator, municipality, institutions)
        assert len(results) == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
