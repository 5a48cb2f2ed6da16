"""The strategy as data, and each daycare's local work on it.

Municipal level (edited by the municipality's administrators):
    StrategyPeriod ─┬─ FocusArea ─── StrategyItem (municipal goal, local-goal requirement,
                    │                               concrete action)
                    └─ copied_from (a new period can start as a copy of the last one)
    Project (the municipality's or one daycare's; participating institutions)

Daycare level (edited by the leader and the digital ambassador):
    LocalPlan (business plan of a year, curriculum revision)
    LocalGoal ── ActionPlan ── ActionStep ── Evidence
    ForumDiscussion ── ForumDecision (can become an ActionStep)
    CurriculumEvaluation

CurriculumTheme is a versioned lookup (2004 and 2018 names, mapped by `code`), seeded by
a data migration so every installation has it."""

from .common import (
    NOT_BLANK,
)
from .forums import (
    ForumDecision,
    ForumDiscussion,
    Project,
)
from .local import (
    ActionPlan,
    ActionStep,
    CurriculumEvaluation,
    Evidence,
    LocalGoal,
    LocalPlan,
    evaluation_path,
    evidence_path,
)
from .strategy import (
    CurriculumTheme,
    FocusArea,
    StrategyItem,
    StrategyPeriod,
)

__all__ = [
    "NOT_BLANK",
    "ActionPlan",
    "ActionStep",
    "CurriculumEvaluation",
    "CurriculumTheme",
    "Evidence",
    "FocusArea",
    "ForumDecision",
    "ForumDiscussion",
    "LocalGoal",
    "LocalPlan",
    "Project",
    "StrategyItem",
    "StrategyPeriod",
    "evaluation_path",
    "evidence_path",
]
