"""Pages keep a fixed number of queries as the data behind them grows. The leader's goal
board is the page the benchmarks measure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import ActionStep, LocalGoal
from tests.factories import InstitutionFactory
from tests.goals.factories import (
    ActionPlanFactory,
    ActionStepFactory,
    CurriculumEvaluationFactory,
    EvidenceFactory,
    FocusAreaFactory,
    ForumDecisionFactory,
    ForumDiscussionFactory,
    LocalGoalFactory,
    LocalPlanFactory,
    ProjectFactory,
    StrategyItemFactory,
    StrategyPeriodFactory,
    theme,
)
from tests.goals.helpers import count_queries

pytestmark = pytest.mark.django_db


def grow_goals(world, goals: int, plans: int, steps: int) -> None:
    today = timezone.localdate()
    people = [world.user("leader"), world.user("staff"), world.user("ambassador")]
    statuses = list(LocalGoal.Status.values)
    existing = world.institution.local_goals.count()
    for g in range(existing, existing + goals):
        goal = LocalGoalFactory(
            institution=world.institution,
            status=statuses[g % 4],
            plan=LocalPlanFactory(institution=world.institution, year=2000 + g),
            themes=["language", "body"][: 1 + g % 2],
        )
        for _p in range(plans):
            plan = ActionPlanFactory(goal=goal)
            for s in range(steps):
                step = ActionStepFactory(
                    plan=plan,
                    owner=people[s % 3],
                    due_on=today + timedelta(days=s * 5 - 7),
                    status=ActionStep.Status.values[s % 3],
                )
                EvidenceFactory(step=step)


def measure(client, path) -> tuple[int, str]:
    client.get(path)  # the first request of a session does one-off work
    holder = {}

    def fetch():
        holder["response"] = client.get(path)

    queries = count_queries(fetch)
    assert holder["response"].status_code == 200
    return queries, holder["response"].content.decode()


def test_the_goal_board_runs_a_fixed_number_of_queries_as_goals_plans_and_steps_grow(world, client):
    client.force_login(world.user("leader"))
    path = reverse("goals:board", args=[world.institution.pk])
    ForumDiscussionFactory(institution=world.institution)
    CurriculumEvaluationFactory(institution=world.institution)
    grow_goals(world, goals=1, plans=1, steps=2)
    few, _ = measure(client, path)

    grow_goals(world, goals=12, plans=3, steps=6)
    many, html = measure(client, path)

    assert few == many
    # Session, user, roles (3), the daycare, goals, themes, plans, steps, the latest
    # discussion and evaluation, unread notifications.
    assert few <= 13, few
    assert html.count('class="goal-card"') == 13


def test_the_goal_page_runs_a_fixed_number_of_queries_as_steps_grow(world, client):
    client.force_login(world.user("leader"))
    goal = LocalGoalFactory(institution=world.institution, themes=["language"])
    goal.municipal_goals.add(
        StrategyItemFactory(focus_area__period__municipality=world.municipality)
    )
    path = reverse("goals:goal_detail", args=[world.institution.pk, goal.pk])
    ActionStepFactory(plan=ActionPlanFactory(goal=goal), owner=world.user("staff"))
    few, _ = measure(client, path)

    for _ in range(4):
        plan = ActionPlanFactory(goal=goal)
        for _ in range(8):
            ActionStepFactory(plan=plan, owner=world.user("staff"))
    goal.themes.add(theme("body", 2004))
    many, html = measure(client, path)

    assert few == many
    assert html.count('class="plan-block"') == 5


def test_the_goal_history_runs_a_fixed_number_of_queries(world, client):
    from goals import services

    leader = world.user("leader")
    client.force_login(leader)
    goal = LocalGoalFactory(institution=world.institution)
    path = reverse("goals:goal_history", args=[world.institution.pk, goal.pk])
    services.goal_update(actor=leader, goal=goal, title="Ny titel")
    few, _ = measure(client, path)

    plan = services.action_plan_create(actor=leader, goal=goal, title="Plan")
    for n in range(10):
        step = services.step_create(
            actor=leader, plan=plan, title=f"Trin {n}", owner=leader, due_on=timezone.localdate()
        )
        services.evidence_add(actor=leader, step=step, kind="text", text="Gjort")
    many, html = measure(client, path)

    assert few == many
    assert html.count('class="history-entry"') == 22


def test_the_discussion_list_and_page_run_a_fixed_number_of_queries(world, client):
    client.force_login(world.user("leader"))
    discussion = ForumDiscussionFactory(institution=world.institution)
    ForumDecisionFactory(discussion=discussion)
    plan = ActionPlanFactory(goal__institution=world.institution)
    list_path = reverse("goals:discussions", args=[world.institution.pk])
    page_path = reverse("goals:discussion_detail", args=[world.institution.pk, discussion.pk])
    few_list, _ = measure(client, list_path)
    few_page, _ = measure(client, page_path)

    for _ in range(15):
        ForumDecisionFactory(discussion=ForumDiscussionFactory(institution=world.institution))
    for n in range(8):
        decision = ForumDecisionFactory(discussion=discussion)
        if n % 2:
            ActionStepFactory(plan=plan, source_decision=decision, owner=world.user("leader"))
    ActionPlanFactory(goal__institution=world.institution)

    assert measure(client, list_path)[0] == few_list
    assert measure(client, page_path)[0] == few_page


def test_the_municipal_pages_run_a_fixed_number_of_queries_as_daycares_grow(world, client):
    client.force_login(world.user("admin"))
    period = StrategyPeriodFactory(municipality=world.municipality)
    paths = [
        reverse("goals:overview", args=[world.municipality.pk]),
        reverse("goals:projects", args=[world.municipality.pk]),
        reverse("goals:period_detail", args=[world.municipality.pk, period.pk]),
        reverse("goals:strategy", args=[world.municipality.pk]),
    ]
    area = FocusAreaFactory(period=period)
    StrategyItemFactory(focus_area=area)
    ProjectFactory(municipality=world.municipality).institutions.add(world.institution)
    few = [measure(client, path)[0] for path in paths]

    for n in range(20):
        daycare = InstitutionFactory(municipality=world.municipality, name=f"Dagtilbud {n:02d}")
        goal = LocalGoalFactory(institution=daycare)
        ActionStepFactory(plan__goal=goal, due_on=timezone.localdate() - timedelta(days=1))
        ForumDiscussionFactory(institution=daycare)
        CurriculumEvaluationFactory(institution=daycare)
        project = ProjectFactory(municipality=world.municipality)
        project.institutions.add(daycare, world.institution)
        project.themes.add(theme("language"))
        item = StrategyItemFactory(focus_area=FocusAreaFactory(period=period), kind="action")
        ProjectFactory(municipality=world.municipality, strategy_item=item)
        goal.municipal_goals.add(StrategyItemFactory(focus_area=area))
    for n in range(3):
        StrategyPeriodFactory(
            municipality=world.municipality, start_year=2020 + 3 * n, end_year=2022 + 3 * n
        )

    many = [measure(client, path)[0] for path in paths]
    assert few == many
    overview = measure(client, paths[0])[1]
    assert overview.count("Dagtilbud ") == 20


def test_the_plans_page_runs_a_fixed_number_of_queries_as_plans_grow(world, client):
    from goals.models import LocalPlan

    client.force_login(world.user("leader"))
    path = reverse("goals:plans", args=[world.institution.pk])

    def grow(up_to):
        kinds = list(LocalPlan.Kind.values)
        for n in range(world.institution.goal_plans.count(), up_to):
            kind = kinds[n % 2]
            plan = LocalPlanFactory(
                institution=world.institution,
                year=2000 + n,
                kind=kind,
                adopted_on=date(2000 + n, 6, 1) if kind == "curriculum_revision" else None,
            )
            for _ in range(n % 3):
                LocalGoalFactory(institution=world.institution, plan=plan)

    grow(3)
    few, _ = measure(client, path)
    grow(30)
    many, html = measure(client, path)

    assert few == many
    assert html.count('<th scope="row">') == 30
    assert "2000" in html and "2029" in html


def test_the_evaluations_page_runs_a_fixed_number_of_queries_as_evaluations_grow(world, client):
    from django.core.files.base import ContentFile

    people = [world.user("leader"), world.user("staff"), world.user("ambassador")]
    client.force_login(world.user("leader"))
    path = reverse("goals:evaluations", args=[world.institution.pk])

    def grow(up_to):
        for n in range(world.institution.curriculum_evaluations.count(), up_to):
            evaluation = CurriculumEvaluationFactory(
                institution=world.institution,
                evaluated_on=timezone.localdate() - timedelta(days=30 * n + 1),
                summary=f"Evaluering {n:02d}",
                recorded_by=people[n % 3],
            )
            if n % 2:
                evaluation.document.save(f"evaluering-{n}.pdf", ContentFile(b"%PDF-1.4 x"))
                evaluation.document_name = f"evaluering-{n:02d}.pdf"
                evaluation.save(update_fields=["document_name"])

    grow(3)
    few, _ = measure(client, path)
    grow(30)
    many, html = measure(client, path)

    assert few == many
    assert html.count("Evaluering ") == 30
    assert html.count("evaluering-") >= 15


def test_the_step_page_runs_a_fixed_number_of_queries_as_evidence_grows(world, client):
    from django.core.files.base import ContentFile

    from goals.models import Evidence
    from tests.goals.factories import png_bytes

    goal = LocalGoalFactory(institution=world.institution)
    step = ActionStepFactory(plan=ActionPlanFactory(goal=goal), owner=world.user("staff"))
    people = [world.user("leader"), world.user("staff"), world.user("ambassador")]
    path = reverse("goals:step_detail", args=[world.institution.pk, goal.pk, step.pk])

    kinds = [Evidence.Kind.TEXT, Evidence.Kind.LINK, Evidence.Kind.FILE, Evidence.Kind.PHOTO]

    def grow(up_to):
        for n in range(step.evidence.count(), up_to):
            kind = kinds[n % 4]
            extra = {}
            if kind == Evidence.Kind.LINK:
                extra = {"url": "https://example.org/bog"}
            elif kind in (Evidence.Kind.FILE, Evidence.Kind.PHOTO):
                photo = kind == Evidence.Kind.PHOTO
                content = png_bytes() if photo else b"%PDF-1.4 x"
                extra = {
                    "file": ContentFile(content, name=f"bilag-{n}.{'png' if photo else 'pdf'}"),
                    "file_name": f"bilag-{n:02d}",
                    "size": len(content),
                    "content_type": "image/png" if photo else "application/pdf",
                }
            EvidenceFactory(
                step=step,
                kind=kind,
                text=f"Dokumentation {n:02d}",
                added_by=people[n % 3],
                **extra,
            )

    grow(3)
    counts = {}
    for role in ("leader", "consultant"):
        client.force_login(world.user(role))
        counts[role] = measure(client, path)[0]
    grow(30)
    for role in ("leader", "consultant"):
        client.force_login(world.user(role))
        many, html = measure(client, path)
        assert many == counts[role], role
        if role == "leader":
            assert html.count('class="evidence-item"') == 30
        else:  # the municipality sees all but the photos
            assert html.count('class="evidence-item"') == 23


def test_the_project_page_runs_a_fixed_number_of_queries_as_daycares_grow(world, client):
    client.force_login(world.user("admin"))
    project = ProjectFactory(
        municipality=world.municipality,
        strategy_item=StrategyItemFactory(
            focus_area__period__municipality=world.municipality, kind="action"
        ),
    )
    project.themes.add(theme("language"))
    path = reverse("goals:project_detail", args=[world.municipality.pk, project.pk])

    def grow(up_to):
        for n in range(project.institutions.count(), up_to):
            project.institutions.add(
                InstitutionFactory(municipality=world.municipality, name=f"Dagtilbud {n:02d}")
            )

    grow(3)
    few, _ = measure(client, path)
    grow(30)
    project.themes.add(theme("body"), theme("nature"))
    many, html = measure(client, path)

    assert few == many
    assert html.count("Dagtilbud ") == 30
