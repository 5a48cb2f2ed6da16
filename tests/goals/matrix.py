"""Authorization matrix entries for the goals app (see tests/security/matrix.py).

Leaders and ambassadors edit their daycare's goals; staff read them and update the steps
they own; board members read goals and discussions (not evidence); the municipality
reads everything and its administrators edit the strategy and the municipality's
projects. Outsiders get 404.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from goals.models import ActionPlan, Evidence, StrategyItem
from tests.goals.factories import (
    ActionPlanFactory,
    ActionStepFactory,
    CurriculumEvaluationFactory,
    EvidenceFactory,
    FocusAreaFactory,
    ForumDecisionFactory,
    ForumDiscussionFactory,
    LocalGoalFactory,
    ProjectFactory,
    StrategyItemFactory,
    StrategyPeriodFactory,
    pdf_bytes,
)
from tests.security.matrix import (
    INSTITUTION,
    LOGIN,
    MUNICIPAL_ADMIN,
    MUNICIPAL_READ,
    Case,
    at_institution,
    at_municipality,
    expect,
)


class LazyPk:
    """A form value that is the pk of a world object, looked up when the request is sent
    (the matrix's data is fixed before the world exists)."""

    def __init__(self, model, **filters):
        self.model, self.filters = model, filters

    def __str__(self) -> str:
        return str(self.model.objects.filter(**self.filters).values_list("pk", flat=True).get())


def extend_world(world) -> None:
    o = world.objects
    period = StrategyPeriodFactory(municipality=world.municipality)
    focus_area = FocusAreaFactory(period=period, number=1)
    o["period"] = period
    o["focus_area"] = focus_area
    o["item"] = StrategyItemFactory(focus_area=focus_area)
    o["spare_item"] = StrategyItemFactory(focus_area=focus_area, kind=StrategyItem.Kind.ACTION)
    goal = LocalGoalFactory(institution=world.institution, themes=["language"])
    goal.municipal_goals.add(o["item"])
    plan = ActionPlanFactory(goal=goal)
    staff = world.user("staff")
    o["goal"] = goal
    o["action_plan"] = plan
    o["step"] = ActionStepFactory(plan=plan, owner=staff)
    o["second_step"] = ActionStepFactory(plan=plan, owner=world.user("leader"))
    o["evidence"] = EvidenceFactory(step=o["step"], added_by=staff)
    document = Evidence(
        step=o["step"],
        kind=Evidence.Kind.FILE,
        file_name="handleplan.pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
        added_by=staff,
    )
    document.file.save("handleplan.pdf", ContentFile(pdf_bytes()), save=True)
    o["document"] = document
    discussion = ForumDiscussionFactory(institution=world.institution)
    o["discussion"] = discussion
    o["decision"] = ForumDecisionFactory(discussion=discussion)
    evaluation = CurriculumEvaluationFactory(institution=world.institution, document_name="x.pdf")
    evaluation.document.save("evaluering.pdf", ContentFile(pdf_bytes()), save=True)
    o["evaluation"] = evaluation
    o["project"] = ProjectFactory(municipality=world.municipality)


# Our daycare's goals: readers and editors; the guardian sees the daycare but not its goals.
READ = expect(
    403,
    **INSTITUTION,
    board_member=200,
    staff=200,
    ambassador=200,
    leader=200,
    consultant=200,
    admin=200,
)
EDIT = expect(403, **INSTITUTION, ambassador=200, leader=200)
EDIT_POST = expect(403, **INSTITUTION, ambassador=302, leader=302)
# The staff member owns the step: they may change its status and add evidence.
OWNER_POST = expect(403, **INSTITUTION, staff=302, ambassador=302, leader=302)
# Evidence files: the daycare's staff and the municipality, not the parent board.
EVIDENCE = expect(
    403, **INSTITUTION, staff=200, ambassador=200, leader=200, consultant=200, admin=200
)
# The strategy is read by everyone in the municipality, guardians too.
STRATEGY_READ = expect(200, anonymous=LOGIN, other_admin=404)
# Projects are shared among the municipality and its daycares, not with guardians.
PROJECT_READ = expect(200, anonymous=LOGIN, guardian=403, other_admin=404)

CASES = {
    # The strategy
    "goals:strategy": Case(at_municipality("goals:strategy"), STRATEGY_READ),
    "goals:period_create": Case(at_municipality("goals:period_create"), MUNICIPAL_ADMIN),
    "goals:period_detail": Case(at_municipality("goals:period_detail", "period"), STRATEGY_READ),
    "goals:period_edit": Case(at_municipality("goals:period_edit", "period"), MUNICIPAL_ADMIN),
    "goals:focus_area_create": Case(
        at_municipality("goals:focus_area_create", "period"), MUNICIPAL_ADMIN
    ),
    "goals:focus_area_edit": Case(
        at_municipality("goals:focus_area_edit", "period", "focus_area"), MUNICIPAL_ADMIN
    ),
    "goals:item_create": Case(
        at_municipality("goals:item_create", "period", "focus_area"), MUNICIPAL_ADMIN
    ),
    "goals:item_edit": Case(at_municipality("goals:item_edit", "period", "item"), MUNICIPAL_ADMIN),
    "goals:item_delete": Case(
        at_municipality("goals:item_delete", "period", "spare_item"),
        expect(403, anonymous=LOGIN, admin=302, other_admin=404),
        method="post",
    ),
    "goals:overview": Case(at_municipality("goals:overview"), MUNICIPAL_READ),
    # Projects
    "goals:projects": Case(at_municipality("goals:projects"), PROJECT_READ),
    "goals:project_create": Case(at_municipality("goals:project_create"), MUNICIPAL_ADMIN),
    "goals:project_detail": Case(at_municipality("goals:project_detail", "project"), PROJECT_READ),
    "goals:project_edit": Case(at_municipality("goals:project_edit", "project"), MUNICIPAL_ADMIN),
    "goals:institution_project_create": Case(
        at_institution("goals:institution_project_create"), EDIT
    ),
    # Goals, action plans and steps
    "goals:board": Case(at_institution("goals:board"), READ),
    "goals:goal_create": Case(at_institution("goals:goal_create"), EDIT),
    "goals:goal_detail": Case(at_institution("goals:goal_detail", "goal"), READ),
    "goals:goal_edit": Case(at_institution("goals:goal_edit", "goal"), EDIT),
    "goals:goal_history": Case(at_institution("goals:goal_history", "goal"), READ),
    "goals:action_plan_create": Case(at_institution("goals:action_plan_create", "goal"), EDIT),
    "goals:action_plan_edit": Case(
        at_institution("goals:action_plan_edit", "goal", "action_plan"), EDIT
    ),
    "goals:step_create": Case(at_institution("goals:step_create", "goal", "action_plan"), EDIT),
    "goals:step_detail": Case(at_institution("goals:step_detail", "goal", "step"), READ),
    "goals:step_edit": Case(at_institution("goals:step_edit", "goal", "step"), EDIT),
    "goals:step_status": Case(
        at_institution("goals:step_status", "goal", "step"),
        OWNER_POST,
        method="post",
        data={"status": "done"},
    ),
    "goals:step_move": Case(
        at_institution("goals:step_move", "goal", "second_step"),
        EDIT_POST,
        method="post",
        data={"direction": "up"},
    ),
    "goals:evidence_add": Case(
        at_institution("goals:evidence_add", "goal", "step"),
        OWNER_POST,
        method="post",
        data={"kind": "text", "text": "Tre bøger er færdige."},
    ),
    "goals:evidence_file": Case(
        at_institution("goals:evidence_file", "goal", "document"), EVIDENCE
    ),
    "goals:evidence_delete": Case(
        at_institution("goals:evidence_delete", "goal", "evidence"), OWNER_POST, method="post"
    ),
    "goals:plans": Case(at_institution("goals:plans"), READ),
    # Discussions and evaluations
    "goals:discussions": Case(at_institution("goals:discussions"), READ),
    "goals:discussion_create": Case(at_institution("goals:discussion_create"), EDIT),
    "goals:discussion_detail": Case(at_institution("goals:discussion_detail", "discussion"), READ),
    "goals:discussion_edit": Case(at_institution("goals:discussion_edit", "discussion"), EDIT),
    "goals:decision_add": Case(
        at_institution("goals:decision_add", "discussion"),
        EDIT_POST,
        method="post",
        data={"text": "Vi prøver stop motion"},
    ),
    "goals:decision_to_step": Case(
        at_institution("goals:decision_to_step", "discussion", "decision"),
        EDIT_POST,
        method="post",
        data={"plan": LazyPk(ActionPlan, goal__institution__name="Solstrålen")},
    ),
    "goals:evaluations": Case(at_institution("goals:evaluations"), READ),
    "goals:evaluation_document": Case(
        at_institution("goals:evaluation_document", "evaluation"), READ
    ),
}
