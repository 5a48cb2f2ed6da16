"""Reads shaped for the goals pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from core.models import AuditEntry
from institutions.models import Institution, Municipality

from .models import (
    ActionPlan,
    ActionStep,
    CurriculumEvaluation,
    Evidence,
    ForumDiscussion,
    LocalGoal,
    Project,
    StrategyItem,
    StrategyPeriod,
)

STATUS_ORDER = Case(
    When(status=LocalGoal.Status.ACTIVE, then=Value(0)),
    When(status=LocalGoal.Status.DRAFT, then=Value(1)),
    When(status=LocalGoal.Status.ACHIEVED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@dataclass
class Progress:
    done: int = 0
    total: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def add(self, other: Progress) -> None:
        self.done += other.done
        self.total += other.total
        self.overdue += other.overdue


def plan_progress(plan: ActionPlan, today: date) -> Progress:
    """Progress of a plan whose steps were prefetched."""
    steps = plan.steps.all()
    return Progress(
        done=sum(1 for s in steps if s.is_done),
        total=len(steps),
        overdue=sum(1 for s in steps if s.is_overdue(today)),
    )


def steps_prefetch() -> Prefetch:
    return Prefetch(
        "steps", queryset=ActionStep.objects.select_related("owner").order_by("position", "pk")
    )


def goals_with_plans(institution: Institution):
    """The daycare's goals with themes, plan, action plans and their steps: five queries
    whatever the number of goals, plans and steps."""
    return (
        institution.local_goals.select_related("plan")
        .prefetch_related(
            "themes",
            Prefetch(
                "action_plans",
                queryset=ActionPlan.objects.order_by("created_at", "pk").prefetch_related(
                    steps_prefetch()
                ),
            ),
        )
        .annotate(status_order=STATUS_ORDER)
        .order_by("status_order", "title", "pk")
    )


@dataclass
class GoalCard:
    goal: LocalGoal
    plans: list[tuple[ActionPlan, Progress]]
    progress: Progress
    review_overdue: bool


@dataclass
class Board:
    groups: list[tuple[str, str, list[GoalCard]]]
    totals: Progress
    my_steps: list[ActionStep] = field(default_factory=list)
    active_goals: int = 0
    last_discussion: ForumDiscussion | None = None
    last_evaluation: CurriculumEvaluation | None = None

    @property
    def has_goals(self) -> bool:
        return any(cards for _status, _label, cards in self.groups)


def goal_board(institution: Institution, *, user, today: date) -> Board:
    """The leader's overview: every goal grouped by status, its action plans with
    progress and steps, the steps the viewer owns, and the latest discussion and
    evaluation. A fixed number of queries, however much the daycare has recorded."""
    cards_by_status: dict[str, list[GoalCard]] = {s: [] for s in LocalGoal.Status.values}
    totals = Progress()
    my_steps: list[ActionStep] = []
    for goal in goals_with_plans(institution):
        plans = []
        progress = Progress()
        for plan in goal.action_plans.all():
            plan_total = plan_progress(plan, today)
            plans.append((plan, plan_total))
            progress.add(plan_total)
            if goal.status in (LocalGoal.Status.ACTIVE, LocalGoal.Status.DRAFT):
                my_steps += [s for s in plan.steps.all() if s.owner_id == user.pk and not s.is_done]
        if goal.status == LocalGoal.Status.ACTIVE:
            totals.add(progress)
        cards_by_status[goal.status].append(
            GoalCard(goal, plans, progress, goal.review_overdue(today))
        )
    order = [
        LocalGoal.Status.ACTIVE,
        LocalGoal.Status.DRAFT,
        LocalGoal.Status.ACHIEVED,
        LocalGoal.Status.DROPPED,
    ]
    groups = [(status.value, status.label, cards_by_status[status.value]) for status in order]
    return Board(
        groups=groups,
        totals=totals,
        my_steps=sorted(my_steps, key=lambda s: s.due_on),
        active_goals=len(cards_by_status[LocalGoal.Status.ACTIVE]),
        last_discussion=institution.forum_discussions.order_by("-held_on", "-pk").first(),
        last_evaluation=institution.curriculum_evaluations.order_by("-evaluated_on", "-pk").first(),
    )


def goal_detail(institution: Institution, goal_id: int):
    return (
        goals_with_plans(institution)
        .prefetch_related(
            Prefetch(
                "municipal_goals",
                queryset=StrategyItem.objects.select_related("focus_area__period").order_by(
                    "focus_area__number", "position"
                ),
            )
        )
        .filter(pk=goal_id)
    )


def plan_with_steps(goal: LocalGoal, plan_id: int):
    return goal.action_plans.prefetch_related(steps_prefetch()).filter(pk=plan_id)


def goal_history(goal: LocalGoal):
    """The audit trail of the goal and of its action plans, steps and evidence, newest
    first, in one query."""

    def ids(queryset):
        return queryset.annotate(key=Cast("pk", CharField())).values("key")

    plans = ActionPlan.objects.filter(goal=goal)
    steps = ActionStep.objects.filter(plan__goal=goal)
    evidence = Evidence.objects.filter(step__plan__goal=goal)
    return (
        AuditEntry.objects.filter(
            Q(object_type="goals.localgoal", object_id=str(goal.pk))
            | Q(object_type="goals.actionplan", object_id__in=ids(plans))
            | Q(object_type="goals.actionstep", object_id__in=ids(steps))
            | Q(object_type="goals.evidence", object_id__in=ids(evidence))
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def step_evidence(step: ActionStep):
    return step.evidence.select_related("added_by").order_by("added_at", "pk")


def discussions(institution: Institution):
    return institution.forum_discussions.annotate(decision_count=Count("decisions")).order_by(
        "-held_on", "-pk"
    )


def discussion_decisions(discussion: ForumDiscussion):
    return discussion.decisions.select_related("responsible", "step__plan__goal").order_by(
        "position", "pk"
    )


def action_plans_of(institution: Institution):
    """The daycare's action plans of goals still in work, for "turn into a step"."""
    return (
        ActionPlan.objects.filter(
            goal__institution=institution,
            goal__status__in=[LocalGoal.Status.ACTIVE, LocalGoal.Status.DRAFT],
        )
        .select_related("goal")
        .order_by("goal__title", "created_at", "pk")
    )


def latest_period(municipality: Municipality) -> StrategyPeriod | None:
    return municipality.strategy_periods.order_by("-start_year").first()


def period_focus_areas(period: StrategyPeriod):
    """Focus areas with their items, each item with how many local goals answer it and
    the projects that carry it out: three queries."""
    items = (
        StrategyItem.objects.annotate(local_goal_count=Count("local_goals", distinct=True))
        .prefetch_related(Prefetch("projects", queryset=Project.objects.order_by("title")))
        .order_by("position", "pk")
    )
    return period.focus_areas.prefetch_related(Prefetch("items", queryset=items)).order_by("number")


def projects(municipality: Municipality):
    return (
        municipality.goal_projects.select_related("owner_institution")
        .prefetch_related(
            Prefetch("institutions", queryset=Institution.objects.order_by("name")),
            "themes",
        )
        .order_by("title")
    )


def municipality_overview(municipality: Municipality, today: date):
    """Every daycare with its goals, open and overdue steps, latest discussion and
    evaluation: one query."""
    return (
        municipality.institutions.daycares()
        .annotate(
            active_goals=Count(
                "local_goals",
                filter=Q(local_goals__status=LocalGoal.Status.ACTIVE),
                distinct=True,
            ),
            open_steps=Subquery(
                ActionStep.objects.filter(plan__goal__institution=OuterRef("pk"))
                .open()
                .order_by()
                .values("plan__goal__institution")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            overdue_steps=Subquery(
                ActionStep.objects.filter(plan__goal__institution=OuterRef("pk"))
                .overdue(today)
                .order_by()
                .values("plan__goal__institution")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            last_discussion=Subquery(
                ForumDiscussion.objects.filter(institution=OuterRef("pk"))
                .order_by()
                .values("institution")
                .annotate(last=Max("held_on"))
                .values("last")[:1]
            ),
            last_evaluation=Subquery(
                CurriculumEvaluation.objects.filter(institution=OuterRef("pk"))
                .order_by()
                .values("institution")
                .annotate(last=Max("evaluated_on"))
                .values("last")[:1]
            ),
        )
        .order_by("name")
    )


def open_steps_owned_by(user, *, limit: int = 8):
    """The viewer's open steps across daycares, soonest first, for the home page."""
    return (
        ActionStep.objects.open()
        .filter(
            owner=user,
            plan__goal__status__in=[LocalGoal.Status.ACTIVE, LocalGoal.Status.DRAFT],
        )
        .select_related("plan__goal__institution")
        .order_by("due_on", "pk")[:limit]
    )
