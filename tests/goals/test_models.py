"""The database itself keeps the app's invariants, whatever code writes to it."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from goals.models import ActionStep, CurriculumTheme, LocalGoal, LocalPlan, StrategyPeriod
from tests.factories import InstitutionFactory, MunicipalityFactory, UserFactory
from tests.goals.factories import (
    ActionPlanFactory,
    ActionStepFactory,
    LocalGoalFactory,
    StrategyPeriodFactory,
)

pytestmark = pytest.mark.django_db

THEMES = {
    "personal_development": (
        "Barnets alsidige personlige udvikling",
        "Alsidig personlig udvikling",
    ),
    "social": ("Sociale kompetencer", "Social udvikling"),
    "language": ("Sprog", "Kommunikation og sprog"),
    "body": ("Krop og bevægelse", "Krop, sanser og bevægelse"),
    "nature": ("Naturen og naturfænomener", "Natur, udeliv og science"),
    "culture": ("Kulturelle udtryksformer og værdier", "Kultur, æstetik og fællesskab"),
}


def test_the_data_migration_seeds_the_six_themes_and_can_be_reversed():
    from django.apps import apps

    migration = importlib.import_module("goals.migrations.0002_curriculum_themes")
    migration.remove_themes(apps, None)
    assert not CurriculumTheme.objects.exists()

    migration.add_themes(apps, None)
    migration.add_themes(apps, None)  # running it again changes nothing

    assert CurriculumTheme.objects.count() == 12
    test_every_installation_has_the_six_themes_of_2004_and_of_2018_mapped_to_each_other()


def test_every_installation_has_the_six_themes_of_2004_and_of_2018_mapped_to_each_other():
    for code, (name_2004, name_2018) in THEMES.items():
        old = CurriculumTheme.objects.get(version=2004, code=code)
        new = CurriculumTheme.objects.get(version=2018, code=code)
        assert (old.name, new.name) == (name_2004, name_2018)
        assert old.position == new.position
        assert not old.is_current and new.is_current
    assert CurriculumTheme.objects.count() == 12
    assert [t.name for t in CurriculumTheme.objects.current()][:2] == [
        "Alsidig personlig udvikling",
        "Social udvikling",
    ]
    assert CurriculumTheme.objects.get(version=2018, code="body").in_force_from == date(2018, 7, 1)


def test_a_theme_name_is_unique_within_its_version():
    with pytest.raises(IntegrityError):
        CurriculumTheme.objects.create(
            version=2018, code="other", name="Social udvikling", in_force_from=date(2018, 7, 1)
        )


def test_strategy_periods_of_one_municipality_cannot_overlap():
    koege = MunicipalityFactory(code="259")
    StrategyPeriodFactory(municipality=koege, start_year=2013, end_year=2015)
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyPeriodFactory(municipality=koege, start_year=2015, end_year=2017)
    # The next period and another municipality's same years are fine.
    StrategyPeriodFactory(municipality=koege, start_year=2016, end_year=2018)
    StrategyPeriodFactory(municipality=MunicipalityFactory(code="269"))
    assert StrategyPeriod.objects.count() == 3


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        StrategyPeriodFactory(start_year=2015, end_year=2013)


def test_a_goal_without_didactic_considerations_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        LocalGoalFactory(didactic_considerations="   \n ")


def test_a_goal_status_outside_the_list_is_refused():
    with pytest.raises(IntegrityError):
        LocalGoalFactory(status="forgotten")


def test_a_daycare_has_one_business_plan_a_year():
    institution = InstitutionFactory()
    LocalPlan.objects.create(institution=institution, kind="business_plan", year=2026)
    with pytest.raises(IntegrityError):
        LocalPlan.objects.create(institution=institution, kind="business_plan", year=2026)


def test_a_curriculum_revision_has_a_date():
    with pytest.raises(IntegrityError):
        LocalPlan.objects.create(
            institution=InstitutionFactory(), kind="curriculum_revision", year=2026
        )


def test_a_step_is_done_exactly_when_it_has_a_completion_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionStepFactory(status=ActionStep.Status.DONE, completed_at=None)
    step = ActionStepFactory()
    step.completed_at = step.created_at
    with pytest.raises(IntegrityError), transaction.atomic():
        step.save()


def test_two_steps_of_a_plan_cannot_share_a_place_once_committed():
    plan = ActionPlanFactory()
    ActionStepFactory(plan=plan, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionStepFactory(plan=plan, position=1)
        # The constraint is deferred: it is checked when the transaction commits.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_decision_becomes_at_most_one_step():
    from tests.goals.factories import ForumDecisionFactory

    decision = ForumDecisionFactory()
    owner = UserFactory()
    ActionStepFactory(source_decision=decision, owner=owner)
    with pytest.raises(IntegrityError):
        ActionStepFactory(source_decision=decision, owner=owner)


def test_review_is_overdue_only_for_active_goals_past_their_date():
    goal = LocalGoalFactory(review_on=date(2026, 1, 1))
    assert goal.review_overdue(date(2026, 1, 2))
    assert not goal.review_overdue(date(2026, 1, 1))
    goal.status = LocalGoal.Status.ACHIEVED
    assert not goal.review_overdue(date(2026, 1, 2))
