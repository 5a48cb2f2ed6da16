"""The three messaging indicators: guardians with activated access, two-way conversations
in the last month, posts with pedagogical insight in the last month. Each evaluates every
daycare of a municipality in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.indicators import Area, Level, Status, evaluate, get_indicator
from institutions.models import Institution, Invitation
from messaging.indicators import GuardianAccess, PedagogicalInsight, TwoWayThreads
from messaging.models import Post, Thread
from tests.factories import (
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    InstitutionFactory,
    MunicipalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
ACCESS, THREADS, INSIGHT = (
    "messaging.guardian_access",
    "messaging.two_way_threads",
    "messaging.pedagogical_insight",
)


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


def daycare(municipality, name="Solstrålen", *, active=0, inactive=0, invited=0, kind="integrated"):
    institution = InstitutionFactory(municipality=municipality, name=name, kind=kind)
    group = GroupFactory(institution=institution)
    for n in range(active + inactive):
        guardian = UserFactory(last_login=timezone.now() if n < active else None)
        GuardianshipFactory(child=ChildFactory(group=group), guardian=guardian)
    for n in range(invited):
        Invitation.objects.create(
            email=f"ny{n}-{institution.pk}@example.org",
            name="Ny",
            municipality=municipality,
            child=ChildFactory(group=group),
            expires_at=timezone.now() + timedelta(days=14),
        )
    return institution


def result(code, institution, today=TODAY):
    matrix = evaluate(
        municipality=institution.municipality, institutions=[institution], today=today
    )
    return matrix.result(get_indicator(code), institution)


def days_ago(n: int):
    return timezone.make_aware(
        timezone.datetime.combine(TODAY - timedelta(days=n), timezone.datetime.min.time())
    ) + timedelta(hours=12)


def test_the_three_indicators_are_registered():
    assert isinstance(get_indicator(ACCESS), GuardianAccess)
    assert isinstance(get_indicator(THREADS), TwoWayThreads)
    assert isinstance(get_indicator(INSIGHT), PedagogicalInsight)
    assert get_indicator(ACCESS).area == Area.IT_SERVICE
    assert get_indicator(INSIGHT).level == Level.MUNICIPAL


def test_access_is_met_when_nine_in_ten_guardians_have_activated_it(koege):
    good = daycare(koege, "God", active=9, inactive=1)
    weak = daycare(koege, "Svag", active=5, inactive=3, invited=2)
    empty = daycare(koege, "Tom")

    with translation.override("da"):
        assert result(ACCESS, good).status == Status.MET
        assert result(ACCESS, good).evidence == "9 af 10 forældre (90 %)"
        weak_result = result(ACCESS, weak)
        assert weak_result.status == Status.NOT_MET
        assert weak_result.evidence == "5 af 10 forældre (50 %)"
        assert weak_result.fix_url == reverse("messaging:reach", args=[weak.pk])
        assert result(ACCESS, empty).evidence == "Ingen forældre er registreret eller inviteret."


def test_access_was_at_risk_before_the_2015_deadline(koege):
    weak = daycare(koege, active=1, inactive=1)

    assert result(ACCESS, weak, today=date(2015, 6, 1)).status == Status.AT_RISK


def test_schools_and_after_school_care_are_not_measured(koege):
    club = daycare(koege, "SFO", active=1, kind=Institution.Kind.AFTER_SCHOOL)

    assert result(ACCESS, club).status == Status.NOT_APPLICABLE


def answered_thread(institution, when):
    child = ChildFactory(group=institution.groups.first())
    guardian = GuardianshipFactory(child=child).guardian
    return Thread.objects.create(
        institution=institution,
        guardian=guardian,
        child=child,
        subject="Hej",
        last_message_at=when,
        answered_at=when,
        answered_by=UserFactory(),
    )


def test_two_way_threads_need_an_answer_in_the_last_month(koege):
    recent = daycare(koege, "Aktiv")
    answered_thread(recent, days_ago(5))
    stale = daycare(koege, "Stille")
    answered_thread(stale, days_ago(45))
    unanswered = daycare(koege, "Ubesvaret")
    Thread.objects.create(
        institution=unanswered,
        guardian=UserFactory(),
        subject="Hej",
        last_message_at=days_ago(1),
    )

    with translation.override("da"):
        assert result(THREADS, recent).status == Status.MET
        assert result(THREADS, recent).evidence == "1 samtaler besvaret de seneste 30 dage"
    assert result(THREADS, stale).status == Status.NOT_MET
    assert result(THREADS, unanswered).status == Status.NOT_MET
    assert result(THREADS, stale).fix_url == reverse("messaging:institution_inbox", args=[stale.pk])


def insight(institution, when, *, kind=Post.Kind.INSIGHT, withdrawn=False):
    return Post.objects.create(
        municipality=institution.municipality,
        institution=institution,
        audience=Post.Audience.INSTITUTION,
        kind=kind,
        themes=["nature"] if kind == Post.Kind.INSIGHT else [],
        title="Skovtur",
        body="<p>Blade</p>",
        publish_at=when,
        published_at=when,
        withdrawn_at=when if withdrawn else None,
    )


def test_insight_posts_count_when_published_in_the_last_month(koege):
    good = daycare(koege, "Indblik")
    insight(good, days_ago(3))
    insight(good, days_ago(10))
    practical_only = daycare(koege, "Praktisk")
    insight(practical_only, days_ago(2), kind=Post.Kind.PRACTICAL)
    old = daycare(koege, "Gammel")
    insight(old, days_ago(40))
    withdrawn = daycare(koege, "Trukket")
    insight(withdrawn, days_ago(2), withdrawn=True)

    with translation.override("da"):
        assert (
            result(INSIGHT, good).evidence == "2 opslag med pædagogisk indblik de seneste 30 dage"
        )
    assert result(INSIGHT, good).status == Status.MET
    for institution in (practical_only, old, withdrawn):
        assert result(INSIGHT, institution).status == Status.NOT_MET
    assert result(INSIGHT, old).fix_url == reverse("messaging:post_create", args=[old.pk])


@pytest.mark.parametrize("code", [ACCESS, THREADS, INSIGHT])
def test_each_indicator_uses_the_same_queries_for_3_and_30_daycares(koege, code):
    indicator = get_indicator(code)

    def queries_for(count: int) -> int:
        municipality = MunicipalityFactory()
        institutions = []
        for n in range(count):
            institution = daycare(municipality, f"Dagtilbud {n}", active=1, inactive=1, invited=1)
            answered_thread(institution, days_ago(2))
            insight(institution, days_ago(2))
            institutions.append(institution)
        with CaptureQueriesContext(connection) as queries:
            results = indicator.evaluate(
                municipality=municipality, institutions=institutions, today=TODAY
            )
        assert len(results) == count
        return len(queries)

    assert queries_for(3) == queries_for(30)
