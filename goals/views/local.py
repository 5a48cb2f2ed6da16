"""A daycare's goal board, its local goals and their history, its plans, and its
action plans."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from core.views import apply
from institutions.access import institution_for

from .. import permissions, selectors, services
from ..forms import ActionPlanForm, GoalForm, LocalPlanForm
from ..history import describe
from ..models import CurriculumTheme, Evidence, LocalGoal
from .common import form_page, goal_crumbs
from .steps import plan_block_context


def _goal_url(goal: LocalGoal) -> str:
    return reverse("goals:goal_detail", args=[goal.institution_id, goal.pk])


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_goals(request.user, institution))
    today = timezone.localdate()
    user = request.user
    return render(
        request,
        "goals/board.html",
        {
            "institution": institution,
            "board": selectors.goal_board(institution, user=user, today=today),
            "today": today,
            "can_edit": permissions.can_edit_goals(user, institution),
            "can_view_discussions": permissions.can_view_discussions(user, institution),
            "breadcrumbs": [*goal_crumbs(institution)[:-1], (_("Goals and action plans"), "")],
        },
    )


@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_goals(request.user, institution))
    form = GoalForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.goal_create(
                actor=request.user, institution=institution, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, _("The goal was created."))
            return redirect(_goal_url(done.value))
    return form_page(
        request,
        form=form,
        title=_("New goal for digital media"),
        intro=_(
            "Describe what the children will do and the didactic considerations behind it. "
            "Choose the curriculum themes it serves and the municipal goals it answers."
        ),
        cancel_url=reverse("goals:board", args=[institution.pk]),
        breadcrumbs=goal_crumbs(institution, (_("New goal"), "")),
    )


def _goal(institution, goal_id: int) -> LocalGoal:
    return get_object_or_404(selectors.goal_detail(institution, goal_id))


@login_required
def goal_detail(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_goals(request.user, institution))
    goal = _goal(institution, goal_id)
    today = timezone.localdate()
    themes = list(goal.themes.all())
    counterparts = {
        (t.version, t.code): t.name
        for t in CurriculumTheme.objects.filter(code__in=[t.code for t in themes])
    }
    return render(
        request,
        "goals/goal_detail.html",
        {
            "institution": institution,
            "goal": goal,
            "themes": [
                (theme, None if theme.is_current else counterparts.get((2018, theme.code)))
                for theme in themes
            ],
            "blocks": [
                plan_block_context(request, institution, goal, plan, today)
                for plan in goal.action_plans.all()
            ],
            "review_overdue": goal.review_overdue(today),
            "can_edit": permissions.can_edit_goals(request.user, institution),
            "breadcrumbs": goal_crumbs(institution, (goal.title, "")),
        },
    )


@login_required
def goal_edit(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_goals(request.user, institution))
    goal = get_object_or_404(institution.local_goals, pk=goal_id)
    form = GoalForm(request.POST or None, institution=institution, goal=goal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(form, lambda: services.goal_update(actor=request.user, goal=goal, **data)):
            messages.success(request, _("The goal was saved. The change is kept in its history."))
            return redirect(_goal_url(goal))
    return form_page(
        request,
        form=form,
        title=_("Edit the goal"),
        cancel_url=_goal_url(goal),
        breadcrumbs=goal_crumbs(institution, (goal.title, _goal_url(goal)), (_("Edit"), "")),
    )


@login_required
def goal_history(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_goals(request.user, institution))
    goal = get_object_or_404(institution.local_goals, pk=goal_id)
    history = selectors.goal_history(goal)
    if not permissions.can_view_evidence(request.user, institution, Evidence.Kind.TEXT):
        # Board members read goals and steps, not the evidence (it may show children).
        history = history.exclude(object_type="goals.evidence")
    page = Paginator(history, 50).get_page(request.GET.get("side"))
    return render(
        request,
        "goals/goal_history.html",
        {
            "institution": institution,
            "goal": goal,
            "page": page,
            "entries": [(entry, describe(entry)) for entry in page],
            "breadcrumbs": goal_crumbs(
                institution, (goal.title, _goal_url(goal)), (_("History"), "")
            ),
        },
    )


@login_required
def plans(request: HttpRequest, pk: int) -> HttpResponse:
    """The daycare's business plans and curriculum revisions; editors add new ones."""
    institution = institution_for(request, pk)
    require(permissions.can_view_goals(request.user, institution))
    can_edit = permissions.can_edit_goals(request.user, institution)
    form = LocalPlanForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        require(can_edit)
        if form.is_valid():
            data = form.cleaned_data
            if apply(
                form,
                lambda: services.plan_create(actor=request.user, institution=institution, **data),
            ):
                messages.success(request, _("The plan was added."))
                return redirect("goals:plans", institution.pk)
    return render(
        request,
        "goals/plans.html",
        {
            "institution": institution,
            "plans": institution.goal_plans.annotate(goal_count=Count("goals")),
            "form": form,
            "breadcrumbs": goal_crumbs(institution, (_("Plans"), "")),
        },
    )


@login_required
def action_plan_create(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_goals(request.user, institution))
    goal = get_object_or_404(institution.local_goals, pk=goal_id)
    form = ActionPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.action_plan_create(actor=request.user, goal=goal, **form.cleaned_data),
        )
        if done:
            messages.success(request, _("The action plan was created. Add its steps."))
            return redirect("goals:step_create", institution.pk, goal.pk, done.value.pk)
    return form_page(
        request,
        form=form,
        title=_("New action plan"),
        intro=_("An action plan breaks the goal into steps, each with an owner and a due date."),
        cancel_url=_goal_url(goal),
        breadcrumbs=goal_crumbs(
            institution, (goal.title, _goal_url(goal)), (_("New action plan"), "")
        ),
    )


@login_required
def action_plan_edit(request: HttpRequest, pk: int, goal_id: int, plan_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_goals(request.user, institution))
    goal = get_object_or_404(institution.local_goals, pk=goal_id)
    plan = get_object_or_404(goal.action_plans, pk=plan_id)
    form = ActionPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan.refresh_from_db()
        if apply(form, lambda: services.action_plan_update(actor=request.user, plan=plan, **data)):
            messages.success(request, _("The action plan was saved."))
            return redirect(_goal_url(goal) + f"#plan-{plan.pk}")
    return form_page(
        request,
        form=form,
        title=_("Edit the action plan"),
        cancel_url=_goal_url(goal),
        breadcrumbs=goal_crumbs(institution, (goal.title, _goal_url(goal)), (plan.title, "")),
    )
