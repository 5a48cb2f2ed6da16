"""What the goals area tells others about its action plans (core/plans.py)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse

from core.plans import Plan, Step, provides

from .models import ActionPlan, ActionStep


@provides
def action_plans(*, ids=None, owner_id=None, with_steps=False):
    found = ActionPlan.objects.select_related("goal").order_by("goal__title", "title", "pk")
    found = (
        found.filter(pk__in=ids) if ids is not None else found.filter(goal__institution_id=owner_id)
    )
    if with_steps:
        found = found.prefetch_related(
            Prefetch("steps", queryset=ActionStep.objects.order_by("position"))
        )
    return [
        Plan(
            id=plan.pk,
            label=f"{plan.goal}: {plan}",
            owner_id=plan.goal.institution_id,
            url=reverse("goals:goal_detail", args=[plan.goal.institution_id, plan.goal_id]),
            steps=tuple(
                Step(step.title, step.get_status_display(), step.due_on)
                for step in plan.steps.all()
            )
            if with_steps
            else (),
        )
        for plan in found
    ]
