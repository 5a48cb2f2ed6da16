"""Writes of the goals app: keyword-only, atomic, audited; they raise ValidationError with a
translatable message when the input breaks a rule. Views call exactly one.

The functions live in modules by subject and are all importable from here:
`from goals import services; services.goal_create(...)`.
"""

from .discussions import (
    decision_add,
    decision_to_step,
    discussion_create,
    discussion_update,
    evaluation_create,
)
from .local import (
    action_plan_create,
    action_plan_update,
    evidence_add,
    evidence_delete,
    goal_create,
    goal_update,
    plan_create,
    step_create,
    step_move,
    step_set_status,
    step_update,
)
from .projects import project_create, project_update
from .strategy import (
    focus_area_create,
    focus_area_update,
    period_create,
    period_update,
    strategy_item_create,
    strategy_item_delete,
    strategy_item_update,
)

__all__ = [
    "action_plan_create",
    "action_plan_update",
    "decision_add",
    "decision_to_step",
    "discussion_create",
    "discussion_update",
    "evaluation_create",
    "evidence_add",
    "evidence_delete",
    "focus_area_create",
    "focus_area_update",
    "goal_create",
    "goal_update",
    "period_create",
    "period_update",
    "plan_create",
    "project_create",
    "project_update",
    "step_create",
    "step_move",
    "step_set_status",
    "step_update",
    "strategy_item_create",
    "strategy_item_delete",
    "strategy_item_update",
]
