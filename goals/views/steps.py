"""Steps of action plans and their evidence. Status changes, reordering and new evidence
answer htmx requests with a partial, and plain form posts with a redirect."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import apply
from institutions.access import institution_for
from institutions.models import Institution

from .. import permissions, selectors, services
from ..forms import EvidenceForm, StepForm, StepStatusForm
from ..models import ActionPlan, ActionStep, Evidence, LocalGoal
from .common import back, form_page, goal_crumbs


def _goal(institution: Institution, goal_id: int) -> LocalGoal:
    return get_object_or_404(institution.local_goals, pk=goal_id)


def _plan(goal: LocalGoal, plan_id: int) -> ActionPlan:
    return get_object_or_404(selectors.plan_with_steps(goal, plan_id))


def _step(goal: LocalGoal, step_id: int) -> ActionStep:
    return get_object_or_404(
        ActionStep.objects.filter(plan__goal=goal).select_related(
            "plan", "owner", "source_decision__discussion"
        ),
        pk=step_id,
    )


def _goal_url(goal: LocalGoal) -> str:
    return reverse("goals:goal_detail", args=[goal.institution_id, goal.pk])


def _step_url(step: ActionStep, goal: LocalGoal) -> str:
    return reverse("goals:step_detail", args=[goal.institution_id, goal.pk, step.pk])


def _focus(step: ActionStep, focus, first_pk, last_pk) -> str:
    """Which control of `step` takes the focus after an htmx swap: the one just used, or
    the other arrow when the step reached the end of the list."""
    if not focus or focus[0] != step.pk:
        return ""
    kind = focus[1]
    if kind == "up":
        return "down" if step.pk == first_pk else "up"
    if kind == "down":
        return "up" if step.pk == last_pk else "down"
    return "status"


def plan_block_context(
    request: HttpRequest,
    institution: Institution,
    goal: LocalGoal,
    plan: ActionPlan,
    today: date,
    *,
    focus: tuple[int, str] | None = None,
    announcement: str = "",
) -> dict:
    """What templates/goals/partials/plan_block.html needs for one action plan (its
    steps prefetched), with the control to focus after an htmx swap."""
    user = request.user
    steps = list(plan.steps.all())
    first_pk = steps[0].pk if steps else None
    last_pk = steps[-1].pk if steps else None
    return {
        "institution": institution,
        "goal": goal,
        "plan": plan,
        "rows": [
            {
                "step": step,
                "overdue": step.is_overdue(today),
                "updatable": bool(permissions.can_update_step(user, step, institution)),
                "first": step.pk == first_pk,
                "last": step.pk == last_pk,
                "focus": _focus(step, focus, first_pk, last_pk),
            }
            for step in steps
        ],
        "progress": selectors.plan_progress(plan, today),
        "can_edit": bool(permissions.can_edit_goals(user, institution)),
        "statuses": ActionStep.Status.choices,
        "announcement": announcement,
    }


def _render_block(request, institution, goal, plan_id, *, focus=None, announcement=""):
    plan = _plan(goal, plan_id)
    context = plan_block_context(
        request,
        institution,
        goal,
        plan,
        timezone.localdate(),
        focus=focus,
        announcement=announcement,
    )
    return render(request, "goals/partials/plan_block.html", context)


@login_required
def step_create(request: HttpRequest, pk: int, goal_id: int, plan_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_goals(request.user, institution))
    goal = _goal(institution, goal_id)
    plan = _plan(goal, plan_id)
    form = StepForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(form, lambda: services.step_create(actor=request.user, plan=plan, **data)):
            messages.success(request, _("The step was added."))
            if request.POST.get("another"):
                return redirect("goals:step_create", institution.pk, goal.pk, plan.pk)
            return redirect(_goal_url(goal) + f"#plan-{plan.pk}")
    return render(
        request,
        "goals/step_form.html",
        {
            "form": form,
            "plan": plan,
            "goal": goal,
            "steps": list(plan.steps.all()),
            "title": _("New step in %(plan)s") % {"plan": plan.title},
            "cancel_url": _goal_url(goal) + f"#plan-{plan.pk}",
            "breadcrumbs": goal_crumbs(
                institution, (goal.title, _goal_url(goal)), (_("New step"), "")
            ),
        },
    )


@login_required
def step_detail(request: HttpRequest, pk: int, goal_id: int, step_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_goals(request.user, institution))
    goal = _goal(institution, goal_id)
    step = _step(goal, step_id)
    return render(
        request, "goals/step_detail.html", _step_context(request, institution, goal, step)
    )


def _step_context(request, institution, goal, step, *, form=None, announcement="") -> dict:
    user = request.user
    can_update = permissions.can_update_step(user, step, institution)
    # Staff see all evidence, the municipality all but photos, board members none.
    sees_evidence = bool(permissions.can_view_evidence(user, institution, Evidence.Kind.TEXT))
    evidence, hidden_photos = [], 0
    if sees_evidence:
        for item in selectors.step_evidence(step):
            if permissions.can_view_evidence(user, institution, item.kind):
                evidence.append((item, permissions.can_delete_evidence(user, item, institution)))
            else:
                hidden_photos += 1
    return {
        "institution": institution,
        "goal": goal,
        "step": step,
        "decision": step.source_decision if step.source_decision_id else None,
        "evidence": evidence,
        "hidden_photos": hidden_photos,
        "can_view_evidence": sees_evidence,
        "can_update": can_update,
        "can_edit": permissions.can_edit_goals(user, institution),
        "status_form": StepStatusForm(initial={"status": step.status}) if can_update else None,
        "form": form if form is not None else (EvidenceForm() if can_update else None),
        "announcement": announcement,
        "overdue": step.is_overdue(),
        "breadcrumbs": goal_crumbs(institution, (goal.title, _goal_url(goal)), (step.title, "")),
    }


@login_required
def step_edit(request: HttpRequest, pk: int, goal_id: int, step_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_goals(request.user, institution))
    goal = _goal(institution, goal_id)
    step = _step(goal, step_id)
    form = StepForm(
        request.POST or None,
        institution=institution,
        initial={
            "title": step.title,
            "description": step.description,
            "owner": step.owner,
            "due_on": step.due_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(form, lambda: services.step_update(actor=request.user, step=step, **data)):
            messages.success(request, _("The step was saved."))
            return redirect(_step_url(step, goal))
    return form_page(
        request,
        form=form,
        title=_("Edit the step"),
        cancel_url=_step_url(step, goal),
        breadcrumbs=goal_crumbs(
            institution,
            (goal.title, _goal_url(goal)),
            (step.title, _step_url(step, goal)),
            (_("Edit"), ""),
        ),
    )


@login_required
@require_POST
def step_status(request: HttpRequest, pk: int, goal_id: int, step_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_goals(request.user, institution))
    goal = _goal(institution, goal_id)
    step = _step(goal, step_id)
    require(permissions.can_update_step(request.user, step, institution))
    form = StepStatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            step = services.step_set_status(
                actor=request.user, step=step, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose a status.")
    announcement = error or _("%(step)s: %(status)s") % {
        "step": step.title,
        "status": step.get_status_display(),
    }
    if request.htmx:
        if request.POST.get("view") == "step":
            context = _step_context(request, institution, goal, step, announcement=announcement)
            return render(request, "goals/partials/step_status.html", context)
        return _render_block(
            request,
            institution,
            goal,
            step.plan_id,
            focus=(step.pk, "status"),
            announcement=announcement,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, announcement)
    return back(request, _goal_url(goal) + f"#plan-{step.plan_id}")


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int, goal_id: int, step_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_goals(request.user, institution))
    goal = _goal(institution, goal_id)
    step = _step(goal, step_id)
    direction = request.POST.get("direction", "")
    try:
        moved = services.step_move(actor=request.user, step=step, direction=direction)
    except ValidationError as exc:
        moved, message = False, " ".join(exc.messages)
    else:
        if not moved:
            message = _("%(step)s is already at that end.") % {"step": step.title}
        elif direction == "up":
            message = _("%(step)s moved up.") % {"step": step.title}
        else:
            message = _("%(step)s moved down.") % {"step": step.title}
    if request.htmx:
        return _render_block(
            request,
            institution,
            goal,
            step.plan_id,
            focus=(step.pk, direction),
            announcement=message,
        )
    messages.success(request, message) if moved else messages.info(request, message)
    return redirect(_goal_url(goal) + f"#plan-{step.plan_id}")


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int, goal_id: int, step_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_goals(request.user, institution))
    goal = _goal(institution, goal_id)
    step = _step(goal, step_id)
    require(permissions.can_update_step(request.user, step, institution))
    form = EvidenceForm(request.POST, request.FILES)
    added = False
    if form.is_valid():
        data = form.cleaned_data
        added = apply(form, lambda: services.evidence_add(actor=request.user, step=step, **data))
    announcement = _("The evidence was added.") if added else ""
    if request.htmx:
        context = _step_context(
            request,
            institution,
            goal,
            step,
            form=None if added else form,
            announcement=announcement,
        )
        return render(request, "goals/partials/evidence_panel.html", context)
    if added:
        messages.success(request, announcement)
        return redirect(_step_url(step, goal) + "#evidence")
    context = _step_context(request, institution, goal, step, form=form)
    return render(request, "goals/step_detail.html", context, status=400)


def _evidence(goal: LocalGoal, evidence_id: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.filter(step__plan__goal=goal).select_related("step"), pk=evidence_id
    )


@login_required
def evidence_file(request: HttpRequest, pk: int, goal_id: int, evidence_id: int) -> FileResponse:
    """The file or photo, only to those who may see it. Photos open in the page; other
    files are downloaded."""
    institution = institution_for(request, pk)
    require(permissions.can_view_goals(request.user, institution))
    goal = _goal(institution, goal_id)
    evidence = _evidence(goal, evidence_id)
    require(permissions.can_view_evidence(request.user, institution, evidence.kind))
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=evidence.kind != Evidence.Kind.PHOTO,
        filename=evidence.file_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int, goal_id: int, evidence_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_goals(request.user, institution))
    goal = _goal(institution, goal_id)
    evidence = _evidence(goal, evidence_id)
    require(permissions.can_delete_evidence(request.user, evidence, institution))
    services.evidence_delete(actor=request.user, evidence=evidence)
    messages.success(request, _("The evidence was removed."))
    return redirect(_step_url(evidence.step, goal) + "#evidence")
