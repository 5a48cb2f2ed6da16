"""The four indicators of "digital media in use": statuses, evidence, where to act, and
one query for all daycares of a municipality, however many there are."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from core.indicators import NOT_APPLICABLE, Area, Level, Status, evaluate, get_indicator
from goals.indicators import (
    CurriculumEvaluated,
    ForumDiscussed,
    GoalsTiedToPlan,
    LocalGoalWithDidactics,
)
from institutions.models import Institution
from tests.factories import InstitutionFactory, MunicipalityFactory, MunicipalRoleFactory
from tests.goals.factories import (
    CurriculumEvaluationFactory,
    ForumDecisionFactory,
    ForumDiscussionFactory,
    LocalGoalFactory,
    LocalPlanFactory,
)
from tests.goals.helpers import count_queries

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def d(year: int, month: int, day: int) -> str:
    """A date as the evidence writes it (in the active language)."""
    return date_format(date(year, month, day), "DATE_FORMAT")


CODES = [
    "goals.local_goal",
    "goals.tied_to_plan",
    "goals.forum_discussion",
    "goals.curriculum_evaluation",
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


def result(code, institution, today=TODAY):
    matrix = evaluate(
        municipality=institution.municipality, institutions=[institution], today=today
    )
    return matrix.result(get_indicator(code), institution)


def test_the_four_indicators_are_registered_in_the_digital_media_area():
    indicators = [get_indicator(code) for code in CODES]
    assert [type(i) for i in indicators] == [
        LocalGoalWithDidactics,
        GoalsTiedToPlan,
        ForumDiscussed,
        CurriculumEvaluated,
    ]
    assert all(i.area == Area.DIGITAL_MEDIA for i in indicators)
    assert indicators[0].level == Level.MUNICIPAL
    assert {i.level for i in indicators[1:]} == {Level.LOCAL}


# A local goal with didactics and a theme ------------------------------------------------


def test_an_active_goal_with_a_theme_meets_the_goal_indicator(koege):
    daycare = InstitutionFactory(municipality=koege)
    LocalGoalFactory(institution=daycare, title="Digital fortælling", themes=["language"])
    LocalGoalFactory(institution=daycare, title="Uden tema")

    outcome = result("goals.local_goal", daycare)

    assert outcome.status == Status.MET
    assert outcome.evidence == "Active goals: Digital fortælling"


@pytest.mark.parametrize(
    "status,themes,evidence,fix",
    [
        ("active", [], "The active goals name no curriculum theme.", "goals:board"),
        ("draft", ["language"], "The goals are still drafts.", "goals:board"),
        ("dropped", ["language"], "No local goal for digital media yet.", "goals:goal_create"),
        (None, [], "No local goal for digital media yet.", "goals:goal_create"),
    ],
)
def test_a_daycare_without_an_active_goal_with_a_theme_does_not_meet_it(
    koege, status, themes, evidence, fix
):
    daycare = InstitutionFactory(municipality=koege)
    if status:
        LocalGoalFactory(institution=daycare, status=status, themes=themes)

    outcome = result("goals.local_goal", daycare)

    assert outcome.status == Status.NOT_MET
    assert outcome.evidence == evidence
    assert outcome.fix_url == reverse(fix, args=[daycare.pk])


# Goals tied to this year's business plan or the latest curriculum revision -------------


def test_a_goal_in_this_years_business_plan_meets_the_plan_indicator(koege):
    daycare = InstitutionFactory(municipality=koege)
    LocalGoalFactory(institution=daycare, plan=LocalPlanFactory(institution=daycare, year=2026))

    outcome = result("goals.tied_to_plan", daycare)

    assert (outcome.status, outcome.evidence) == (
        Status.MET,
        "Goals in the business plan for 2026.",
    )


def test_a_goal_in_the_latest_curriculum_revision_meets_it_an_older_revision_does_not(koege):
    daycare = InstitutionFactory(municipality=koege)
    old = LocalPlanFactory(
        institution=daycare, kind="curriculum_revision", year=2023, adopted_on=date(2023, 5, 1)
    )
    goal = LocalGoalFactory(institution=daycare, plan=old)
    assert result("goals.tied_to_plan", daycare).status == Status.MET

    latest = LocalPlanFactory(
        institution=daycare, kind="curriculum_revision", year=2025, adopted_on=date(2025, 3, 12)
    )
    assert result("goals.tied_to_plan", daycare).status == Status.NOT_MET

    goal.plan = latest
    goal.save()
    outcome = result("goals.tied_to_plan", daycare)
    assert (outcome.status, outcome.evidence) == (
        Status.MET,
        f"Goals in the curriculum revised {d(2025, 3, 12)}.",
    )


def test_last_years_plan_or_a_draft_goal_does_not_count(koege):
    daycare = InstitutionFactory(municipality=koege)
    LocalGoalFactory(institution=daycare, plan=LocalPlanFactory(institution=daycare, year=2025))
    LocalGoalFactory(
        institution=daycare,
        status="draft",
        plan=LocalPlanFactory(institution=daycare, year=2026),
    )

    outcome = result("goals.tied_to_plan", daycare)

    assert outcome.status == Status.NOT_MET
    assert outcome.evidence == (
        "No goal belongs to the business plan for 2026 or to the latest curriculum revision."
    )
    assert outcome.fix_url == reverse("goals:plans", args=[daycare.pk])


# Digitalisation discussed in a forum ----------------------------------------------------


def test_a_complete_discussion_this_year_meets_the_forum_indicator(koege):
    daycare = InstitutionFactory(municipality=koege)
    discussion = ForumDiscussionFactory(
        institution=daycare, forum="parent_board", held_on=date(2026, 9, 1)
    )
    ForumDecisionFactory(discussion=discussion)

    outcome = result("goals.forum_discussion", daycare)

    assert (outcome.status, outcome.evidence) == (Status.MET, f"Parent board, {d(2026, 9, 1)}")


def test_a_discussion_more_than_11_months_ago_is_at_risk(koege):
    daycare = InstitutionFactory(municipality=koege)
    discussion = ForumDiscussionFactory(
        institution=daycare, forum="other", forum_other="Legestue", held_on=date(2025, 12, 20)
    )
    ForumDecisionFactory(discussion=discussion)

    outcome = result("goals.forum_discussion", daycare)

    assert outcome.status == Status.AT_RISK
    assert outcome.evidence == f"Legestue, {d(2025, 12, 20)} (more than 11 months ago)"
    assert outcome.fix_url == reverse("goals:discussion_create", args=[daycare.pk])


def test_a_discussion_without_ethics_or_a_plan_does_not_count(koege):
    daycare = InstitutionFactory(municipality=koege)
    ForumDiscussionFactory(
        institution=daycare, held_on=date(2026, 10, 1), ethics=" ", forum="staff_meeting"
    )

    outcome = result("goals.forum_discussion", daycare)

    assert outcome.status == Status.NOT_MET
    assert outcome.evidence == (
        f"Staff meeting, {d(2026, 10, 1)}, lacks ethical considerations, a plan (decisions)."
    )


def test_a_discussion_older_than_12_months_does_not_count(koege):
    daycare = InstitutionFactory(municipality=koege)
    discussion = ForumDiscussionFactory(institution=daycare, held_on=date(2025, 11, 25))
    ForumDecisionFactory(discussion=discussion)

    outcome = result("goals.forum_discussion", daycare)

    assert (outcome.status, outcome.evidence) == (
        Status.NOT_MET,
        "No discussion of digitalisation in the last 12 months.",
    )


# The curriculum evaluation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "evaluated_on,status,evidence",
    [
        (
            date(2026, 3, 1),
            Status.MET,
            lambda: f"Evaluated {d(2026, 3, 1)}. The children's perspective was included.",
        ),
        (
            date(2024, 12, 1),
            Status.AT_RISK,
            lambda: (
                f"Evaluated {d(2024, 12, 1)}. The children's perspective was included. "
                f"Due again by {d(2026, 12, 1)}."
            ),
        ),
        (
            date(2024, 11, 24),
            Status.NOT_MET,
            lambda: f"Last evaluated {d(2024, 11, 24)}, more than two years ago.",
        ),
    ],
)
def test_the_latest_evaluation_must_be_at_most_two_years_old(koege, evaluated_on, status, evidence):
    daycare = InstitutionFactory(municipality=koege)
    CurriculumEvaluationFactory(institution=daycare, evaluated_on=date(2020, 1, 1))
    CurriculumEvaluationFactory(institution=daycare, evaluated_on=evaluated_on)

    outcome = result("goals.curriculum_evaluation", daycare)

    assert (outcome.status, outcome.evidence) == (status, evidence())


def test_no_evaluation_at_all_is_not_met(koege):
    daycare = InstitutionFactory(municipality=koege)
    outcome = result("goals.curriculum_evaluation", daycare)
    assert (outcome.status, outcome.evidence) == (
        Status.NOT_MET,
        "No curriculum evaluation recorded.",
    )
    assert outcome.fix_url == reverse("goals:evaluations", args=[daycare.pk])


# Across daycares ----------------------------------------------------------------------


def test_schools_are_not_measured_and_other_daycares_data_does_not_leak(koege):
    school = InstitutionFactory(municipality=koege, kind=Institution.Kind.SCHOOL)
    here = InstitutionFactory(municipality=koege)
    there = InstitutionFactory(municipality=koege)
    LocalGoalFactory(institution=there, themes=["language"])
    CurriculumEvaluationFactory(institution=there, evaluated_on=date(2026, 1, 1))

    matrix = evaluate(municipality=koege, today=TODAY)

    for code in CODES:
        indicator = get_indicator(code)
        assert matrix.result(indicator, school) == NOT_APPLICABLE
        assert matrix.result(indicator, here).status == Status.NOT_MET
    assert matrix.result(get_indicator("goals.local_goal"), there).status == Status.MET


def _grow(municipality, up_to: int) -> None:
    """Daycares in every state of every indicator."""
    existing = municipality.institutions.count()
    for n in range(existing, up_to):
        daycare = InstitutionFactory(municipality=municipality, name=f"Dagtilbud {n:02d}")
        kind = n % 3
        plan = LocalPlanFactory(institution=daycare, year=2026 if kind else 2025)
        LocalGoalFactory(
            institution=daycare,
            plan=plan,
            status="active" if kind else "draft",
            themes=["language", "body"][: kind or 1],
        )
        LocalPlanFactory(
            institution=daycare,
            kind="curriculum_revision",
            year=2024,
            adopted_on=date(2024, 1, 1 + kind),
        )
        discussion = ForumDiscussionFactory(
            institution=daycare, held_on=TODAY - timedelta(days=[30, 340, 500][kind])
        )
        if kind != 2:
            ForumDecisionFactory(discussion=discussion)
        CurriculumEvaluationFactory(
            institution=daycare, evaluated_on=TODAY - timedelta(days=[100, 700, 900][kind])
        )


@pytest.mark.parametrize("code", CODES)
def test_each_indicator_runs_one_query_for_3_or_30_daycares(koege, code):
    indicator = get_indicator(code)

    def run():
        institutions = list(koege.institutions.order_by("pk"))
        return lambda: indicator.evaluate(
            municipality=koege, institutions=institutions, today=TODAY
        )

    _grow(koege, 3)
    few = count_queries(run())
    _grow(koege, 30)
    many = count_queries(run())

    assert few == many == 1
    results = indicator.evaluate(
        municipality=koege, institutions=list(koege.institutions.all()), today=TODAY
    )
    assert len(results) == 30
    assert {r.status for r in results.values()} >= {Status.MET, Status.NOT_MET}


def test_the_indicator_page_shows_the_four_indicators_per_daycare(koege, client):
    _grow(koege, 6)
    client.force_login(MunicipalRoleFactory(municipality=koege).user)

    with translation.override("da"):
        titles = [str(get_indicator(code).title) for code in CODES]
        met = str(Status.MET.label)
    response = client.get(reverse("indicators:municipality", args=[koege.pk]))

    html = response.content.decode()
    for title in titles:
        assert title in html
    assert html.count("Dagtilbud 0") == 6
    assert met in html
