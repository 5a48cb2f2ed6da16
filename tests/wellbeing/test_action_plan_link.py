"""The assessment names its action plan by id (core/plans.py): the database keeps the
foreign key, the page shows the plan's name, link and steps from the goals area."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from goals.models import ActionPlan, ActionStep, LocalGoal
from wellbeing import services
from wellbeing.models import Assessment


def _plan(institution, goal="Rolige stuer", title="Mindre larm"):
    goal = LocalGoal.objects.create(
        institution=institution, title=goal, didactic_considerations="Lyd"
    )
    return ActionPlan.objects.create(goal=goal, title=title)


def _save(world, **data):
    return services.assessment_save(
        actor=world.user("leader"), institution=world.institution, year=2026,
        data={"physical": "Larm", **data}, complete=False,
    )  # fmt: skip


def test_an_assessment_cannot_name_a_plan_that_does_not_exist(world):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(institution=world.institution, year=2026, action_plan_id=98765)


def test_another_daycares_plan_is_refused_in_danish_and_nothing_is_saved(world):
    foreign = _plan(world.neighbour)
    with pytest.raises(ValidationError, match="dagtilbuddets egne handleplaner"):
        _save(world, action_plan_id=foreign.pk)
    assert not Assessment.objects.exists()


def test_deleting_the_plan_unlinks_the_assessment_in_the_database(world):
    plan = _plan(world.institution)
    assessment = _save(world, action_plan_id=plan.pk)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    ActionPlan.objects.filter(pk=plan.pk).delete()
    assessment.refresh_from_db()
    assert assessment.action_plan_id is None


def test_the_page_shows_the_plan_with_its_steps_and_offers_only_own_plans(world, login):
    plan = _plan(world.institution)
    ActionStep.objects.create(
        plan=plan, title="Lydmåler på stuen", due_on=date(2027, 2, 1), position=1
    )
    _plan(world.neighbour, goal="Naboens mål", title="Naboens plan")
    _save(world, action_plan_id=plan.pk)
    client = login(world.user("leader"))
    page = client.get(f"/institutioner/{world.institution.pk}/trivsel/boernemiljoe/")
    html = page.content.decode()
    assert f'href="/institutioner/{world.institution.pk}/maal/' in html
    assert "Rolige stuer: Mindre larm" in html
    assert "Lydmåler på stuen (Ikke begyndt, 01.02.2027)" in html
    assert "Naboens plan" not in html
