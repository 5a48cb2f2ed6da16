"""The demo: Køge holds its whole 2013–2015 strategy as data, and its daycares have goals,
plans, discussions and evaluations that show every indicator status."""

from __future__ import annotations

from datetime import date

import pytest

from core.indicators import Status, evaluate, get_indicator
from goals import strategy_koege
from goals.models import ActionStep, Evidence, LocalGoal, Project, StrategyItem, StrategyPeriod
from institutions.models import Institution
from portal import demo

pytestmark = pytest.mark.django_db

SOURCE = "/work/shared/seed/delstrategi-digitalisering-dagtilbud.txt"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.seed()
        transaction.set_rollback(True)


def test_koege_holds_the_whole_strategy(seeded):
    period = StrategyPeriod.objects.get(municipality=seeded.koege)
    assert (period.title, period.years) == (
        "Delstrategi for digitalisering i dagtilbud",
        "2013–2015",
    )
    areas = list(period.focus_areas.order_by("number"))
    assert [a.title for a in areas] == [
        "Digitale medier i anvendelse",
        "Kompetenceudvikling",
        "IT, service og organisering",
    ]
    assert [a.area for a in areas] == ["digital_media", "competence", "it_service"]
    counts = {
        (area.number, kind): area.items.filter(kind=kind).count()
        for area in areas
        for kind in StrategyItem.Kind.values
    }
    assert counts == {
        (1, "municipal_goal"): 3,
        (1, "local_goal"): 2,
        (1, "action"): 3,
        (2, "municipal_goal"): 1,
        (2, "local_goal"): 2,
        (2, "action"): 2,
        (3, "municipal_goal"): 4,
        (3, "local_goal"): 2,
        (3, "action"): 5,
    }
    deadlines = sorted(
        StrategyItem.objects.filter(focus_area__period=period, deadline__isnull=False).values_list(
            "deadline", flat=True
        )
    )
    assert deadlines == [
        date(2014, 1, 1),
        date(2014, 12, 31),
        date(2014, 12, 31),
        date(2015, 12, 31),
    ]
    budgets = sorted(
        StrategyItem.objects.filter(
            focus_area__period=period, budget_ore__isnull=False
        ).values_list("budget_ore", flat=True)
    )
    assert budgets == [12_500_000, 16_000_000, 31_500_000]
    assert not StrategyPeriod.objects.filter(municipality=seeded.solrod).exists()


def test_the_strategy_text_is_the_strategys_own():
    import re
    from pathlib import Path

    path = Path(SOURCE)
    if not path.exists():
        pytest.skip("the strategy text is not on this machine")
    # Join the source's hyphenated line breaks and whitespace, then look for each item.
    source = re.sub(r"-\s*\n\s*", "", path.read_text(encoding="utf-8"))
    source = " ".join(source.split())
    for spec in strategy_koege.FOCUS_AREAS:
        for text, *_rest in spec["municipal_goals"] + spec["local_goals"] + spec["actions"]:
            first_words = " ".join(text.split()[:8])
            assert first_words in source, first_words


def test_the_featured_daycare_has_goals_in_every_state_with_a_history(seeded):
    goals = LocalGoal.objects.filter(institution=seeded.featured)
    assert set(goals.values_list("status", flat=True)) == {"active", "draft", "achieved"}
    story = goals.get(title__startswith="Børnene fortæller")
    steps = ActionStep.objects.filter(plan__goal=story)
    assert steps.filter(status="done").count() == 2
    assert steps.filter(source_decision__isnull=False).count() == 1
    assert Evidence.objects.filter(step__plan__goal=story, kind="photo").exists()
    from core.models import AuditEntry

    assert AuditEntry.objects.filter(
        object_type="goals.localgoal", object_id=str(story.pk), action="goals.goal.updated"
    ).exists()


def test_the_indicators_show_every_status_across_koeges_daycares(seeded):
    daycares = list(Institution.objects.filter(municipality=seeded.koege).daycares())
    matrix = evaluate(municipality=seeded.koege, institutions=daycares)
    for code in ("goals.local_goal", "goals.tied_to_plan"):
        statuses = {r.status for r in matrix.results[code].values()}
        assert statuses >= {Status.MET, Status.NOT_MET}, code
    for code in ("goals.forum_discussion", "goals.curriculum_evaluation"):
        statuses = {r.status for r in matrix.results[code].values()}
        assert statuses >= {Status.MET, Status.AT_RISK, Status.NOT_MET}, code
    for code in ("goals.local_goal", "goals.tied_to_plan", "goals.forum_discussion"):
        assert matrix.result(get_indicator(code), seeded.featured).status == Status.MET


def test_the_projects_of_the_strategy_are_there(seeded):
    whiteboards = Project.objects.get(title="Interaktive tavler i to dagtilbud")
    assert whiteboards.institutions.count() == 2
    assert sorted(t.name for t in whiteboards.themes.all()) == ["Krop og bevægelse", "Sprog"]
    relations = Project.objects.get(partner="Klassetrivsel")
    assert relations.owner_institution.name == "Troldehøjen"
