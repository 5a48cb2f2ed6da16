from django.urls import path

from .views import forums, local, projects, steps, strategy

app_name = "goals"

DAYCARE = "institutioner/<int:pk>/"
GOAL = DAYCARE + "maal/<int:goal_id>/"
MUNICIPALITY = "kommune/<int:municipality_id>/"
PERIOD = MUNICIPALITY + "strategi/<int:period_id>/"

urlpatterns = [
    # The strategy (municipal level)
    path(MUNICIPALITY + "strategi/", strategy.strategy, name="strategy"),
    path(MUNICIPALITY + "strategi/ny/", strategy.period_create, name="period_create"),
    path(PERIOD, strategy.period_detail, name="period_detail"),
    path(PERIOD + "rediger/", strategy.period_edit, name="period_edit"),
    path(PERIOD + "indsatsomraader/nyt/", strategy.focus_area_create, name="focus_area_create"),
    path(
        PERIOD + "indsatsomraader/<int:area_id>/rediger/",
        strategy.focus_area_edit,
        name="focus_area_edit",
    ),
    path(
        PERIOD + "indsatsomraader/<int:area_id>/punkter/nyt/",
        strategy.item_create,
        name="item_create",
    ),
    path(PERIOD + "punkter/<int:item_id>/rediger/", strategy.item_edit, name="item_edit"),
    path(PERIOD + "punkter/<int:item_id>/slet/", strategy.item_delete, name="item_delete"),
    path(MUNICIPALITY + "lokale-maal/", strategy.municipality_overview, name="overview"),
    # Projects
    path(MUNICIPALITY + "projekter/", projects.projects, name="projects"),
    path(MUNICIPALITY + "projekter/nyt/", projects.project_create, name="project_create"),
    path(
        MUNICIPALITY + "projekter/<int:project_id>/",
        projects.project_detail,
        name="project_detail",
    ),
    path(
        MUNICIPALITY + "projekter/<int:project_id>/rediger/",
        projects.project_edit,
        name="project_edit",
    ),
    path(
        DAYCARE + "projekter/nyt/",
        projects.institution_project_create,
        name="institution_project_create",
    ),
    # A daycare's goals and action plans
    path(DAYCARE + "maal/", local.board, name="board"),
    path(DAYCARE + "maal/nyt/", local.goal_create, name="goal_create"),
    path(GOAL, local.goal_detail, name="goal_detail"),
    path(GOAL + "rediger/", local.goal_edit, name="goal_edit"),
    path(GOAL + "historik/", local.goal_history, name="goal_history"),
    path(GOAL + "handleplaner/ny/", local.action_plan_create, name="action_plan_create"),
    path(
        GOAL + "handleplaner/<int:plan_id>/rediger/",
        local.action_plan_edit,
        name="action_plan_edit",
    ),
    path(GOAL + "handleplaner/<int:plan_id>/trin/nyt/", steps.step_create, name="step_create"),
    path(GOAL + "trin/<int:step_id>/", steps.step_detail, name="step_detail"),
    path(GOAL + "trin/<int:step_id>/rediger/", steps.step_edit, name="step_edit"),
    path(GOAL + "trin/<int:step_id>/status/", steps.step_status, name="step_status"),
    path(GOAL + "trin/<int:step_id>/flyt/", steps.step_move, name="step_move"),
    path(GOAL + "trin/<int:step_id>/dokumentation/", steps.evidence_add, name="evidence_add"),
    path(GOAL + "dokumentation/<int:evidence_id>/fil/", steps.evidence_file, name="evidence_file"),
    path(
        GOAL + "dokumentation/<int:evidence_id>/slet/",
        steps.evidence_delete,
        name="evidence_delete",
    ),
    path(DAYCARE + "planer/", local.plans, name="plans"),
    # Forum discussions and curriculum evaluations
    path(DAYCARE + "droeftelser/", forums.discussions, name="discussions"),
    path(DAYCARE + "droeftelser/ny/", forums.discussion_create, name="discussion_create"),
    path(
        DAYCARE + "droeftelser/<int:discussion_id>/",
        forums.discussion_detail,
        name="discussion_detail",
    ),
    path(
        DAYCARE + "droeftelser/<int:discussion_id>/rediger/",
        forums.discussion_edit,
        name="discussion_edit",
    ),
    path(
        DAYCARE + "droeftelser/<int:discussion_id>/beslutninger/",
        forums.decision_add,
        name="decision_add",
    ),
    path(
        DAYCARE + "droeftelser/<int:discussion_id>/beslutninger/<int:decision_id>/handling/",
        forums.decision_to_step,
        name="decision_to_step",
    ),
    path(DAYCARE + "laereplan/evalueringer/", forums.evaluations, name="evaluations"),
    path(
        DAYCARE + "laereplan/evalueringer/<int:evaluation_id>/dokument/",
        forums.evaluation_document,
        name="evaluation_document",
    ),
]
