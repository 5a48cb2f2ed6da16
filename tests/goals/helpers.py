"""Helpers for the goals tests: the state of every table the app writes to (to prove a
refused write changed nothing) and query counting."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEntry, Notification
from goals.models import (
    ActionPlan,
    ActionStep,
    CurriculumEvaluation,
    Evidence,
    FocusArea,
    ForumDecision,
    ForumDiscussion,
    LocalGoal,
    LocalPlan,
    Project,
    StrategyItem,
    StrategyPeriod,
)

STATE_MODELS = (
    StrategyPeriod,
    FocusArea,
    StrategyItem,
    LocalPlan,
    LocalGoal,
    LocalGoal.themes.through,
    LocalGoal.municipal_goals.through,
    ActionPlan,
    ActionStep,
    Evidence,
    CurriculumEvaluation,
    ForumDiscussion,
    ForumDecision,
    Project,
    Project.institutions.through,
    Project.themes.through,
    AuditEntry,
    Notification,
)


def snapshot() -> dict[str, list[dict]]:
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in STATE_MODELS}


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries.captured_queries)
