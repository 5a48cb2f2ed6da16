"""Daily reminders of the goals app, sent through core.notify() in each recipient's
language. Every reminder has a key, so running the job twice (or twice a day) tells
nobody anything twice:

- a step due within 7 days, and a step past its due date, to its owner;
- an active goal past its review date, to the daycare's leaders;
- no forum discussion of digitalisation for 11 months, to the daycare's leaders.

Only steps of active goals are reminded of, and only while their owner still works in
the daycare.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db.models import CharField, Exists, F, Func, Max, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from core.dates import months_before
from core.models import Notification
from core.notify import notify
from institutions.models import Institution, Membership
from institutions.querysets import STAFF_ROLES

from .models import ActionStep, LocalGoal

DUE_SOON_DAYS = 7
FORUM_AFTER_MONTHS = 11


@dataclass
class Sent:
    step_due: int = 0
    step_overdue: int = 0
    goal_review: int = 0
    forum_due: int = 0


def _step_key(kind: str):
    """The reminder's key as SQL, matching the key notify() stores, so steps already
    reminded of are left out in the query instead of one by one."""
    return Concat(
        Value(f"goals.{kind}:"),
        Cast("pk", CharField()),
        Value(":"),
        Func(F("due_on"), Value("YYYYMMDD"), function="to_char", output_field=CharField()),
        output_field=CharField(),
    )


def _open_steps(kind: str):
    still_member = Membership.objects.filter(
        user=OuterRef("owner"),
        institution=OuterRef("plan__goal__institution"),
        role__in=STAFF_ROLES,
    )
    already_told = Notification.objects.filter(
        recipient=OuterRef("owner"), key=OuterRef("reminder_key")
    )
    return (
        ActionStep.objects.open()
        .filter(plan__goal__status=LocalGoal.Status.ACTIVE, owner__is_active=True)
        .filter(Exists(still_member))
        .annotate(reminder_key=_step_key(kind))
        .exclude(Exists(already_told))
        .select_related("owner", "plan__goal__institution")
        .order_by("pk")
    )


def _step_context(step: ActionStep) -> tuple[dict, str]:
    goal = step.plan.goal
    context = {"step": step, "goal": goal, "institution": goal.institution}
    url = reverse("goals:step_detail", args=[goal.institution_id, goal.pk, step.pk])
    return context, url


def _leaders():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(
            role=Membership.Role.LEADER, user__is_active=True
        ).select_related("user"),
        to_attr="leaders",
    )


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Send every reminder that is due today and not yet sent. Returns how many were
    sent of each kind (repeated keys count as not sent)."""
    today = today or timezone.localdate()
    sent = Sent()

    soon = today + timedelta(days=DUE_SOON_DAYS)
    for step in _open_steps("step_due").filter(due_on__gte=today, due_on__lte=soon):
        context, url = _step_context(step)
        sent.step_due += len(
            notify(
                recipients=[step.owner],
                kind="goals.step_due",
                template="goals/notifications/step_due",
                context=context,
                url=url,
                key=step.reminder_key,
            )
        )

    for step in _open_steps("step_overdue").filter(due_on__lt=today):
        context, url = _step_context(step)
        sent.step_overdue += len(
            notify(
                recipients=[step.owner],
                kind="goals.step_overdue",
                template="goals/notifications/step_overdue",
                context=context,
                url=url,
                key=step.reminder_key,
            )
        )

    goals = (
        LocalGoal.objects.filter(status=LocalGoal.Status.ACTIVE, review_on__lt=today)
        .select_related("institution")
        .prefetch_related(
            Prefetch(
                "institution__memberships",
                queryset=Membership.objects.filter(
                    role=Membership.Role.LEADER, user__is_active=True
                ).select_related("user"),
                to_attr="leaders",
            )
        )
        .order_by("pk")
    )
    for goal in goals:
        sent.goal_review += len(
            notify(
                recipients=[m.user for m in goal.institution.leaders],
                kind="goals.goal_review",
                template="goals/notifications/goal_review",
                context={"goal": goal, "institution": goal.institution},
                url=reverse("goals:goal_detail", args=[goal.institution_id, goal.pk]),
                key=f"goals.goal_review:{goal.pk}:{goal.review_on:%Y%m%d}",
            )
        )

    cutoff = months_before(today, FORUM_AFTER_MONTHS)
    quiet = (
        Institution.objects.daycares()
        .annotate(last_discussion=Max("forum_discussions__held_on"))
        .filter(Q(last_discussion__isnull=True) | Q(last_discussion__lte=cutoff))
        .prefetch_related(_leaders())
        .order_by("pk")
    )
    for institution in quiet:
        last = institution.last_discussion
        sent.forum_due += len(
            notify(
                recipients=[m.user for m in institution.leaders],
                kind="goals.forum_due",
                template="goals/notifications/forum_due",
                context={"institution": institution, "last": last},
                url=reverse("goals:discussion_create", args=[institution.pk]),
                key=f"goals.forum_due:{institution.pk}:{last:%Y%m%d}"
                if last
                else f"goals.forum_due:{institution.pk}:never",
            )
        )
    return asdict(sent)
