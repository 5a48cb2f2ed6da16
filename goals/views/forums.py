"""Forum discussions with their decisions, and curriculum evaluations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import apply
from institutions.access import institution_for
from institutions.models import Institution

from .. import permissions, selectors, services
from ..forms import DecisionForm, DiscussionForm, EvaluationForm
from ..models import ActionPlan, ForumDiscussion
from .common import form_page, goal_crumbs


def _discussion(institution: Institution, discussion_id: int) -> ForumDiscussion:
    return get_object_or_404(
        institution.forum_discussions.select_related("recorded_by"), pk=discussion_id
    )


def _discussion_url(discussion: ForumDiscussion) -> str:
    return reverse("goals:discussion_detail", args=[discussion.institution_id, discussion.pk])


def _discussions_crumbs(institution: Institution, *trail):
    return goal_crumbs(
        institution,
        (_("Forum discussions"), reverse("goals:discussions", args=[institution.pk])),
        *trail,
    )


@login_required
def discussions(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_discussions(request.user, institution))
    return render(
        request,
        "goals/discussions.html",
        {
            "institution": institution,
            "discussions": selectors.discussions(institution),
            "can_edit": permissions.can_edit_discussions(request.user, institution),
            "breadcrumbs": goal_crumbs(institution, (_("Forum discussions"), "")),
        },
    )


@login_required
def discussion_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_discussions(request.user, institution))
    form = DiscussionForm(request.POST or None, initial={"forum": request.GET.get("forum")})
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.discussion_create(
                actor=request.user, institution=institution, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, _("The discussion was recorded."))
            return redirect(_discussion_url(done.value))
    return form_page(
        request,
        form=form,
        title=_("Record a discussion of digitalisation"),
        intro=_(
            "Record the reflection, the ethical considerations, how ownership is secured, "
            "and the decisions: together they make the discussion count."
        ),
        cancel_url=reverse("goals:discussions", args=[institution.pk]),
        breadcrumbs=_discussions_crumbs(institution, (_("New discussion"), "")),
    )


def decision_rows(request, institution, decisions, plans, *, focus_pk=None) -> list[dict]:
    can_edit = bool(permissions.can_edit_discussions(request.user, institution))
    can_see_plans = bool(permissions.can_view_goals(request.user, institution))
    return [
        {
            "decision": decision,
            "step": getattr(decision, "step", None) if can_see_plans else None,
            "can_convert": can_edit,
            "plans": plans,
            "focus": decision.pk == focus_pk,
        }
        for decision in decisions
    ]


@login_required
def discussion_detail(request: HttpRequest, pk: int, discussion_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_discussions(request.user, institution))
    discussion = _discussion(institution, discussion_id)
    can_edit = permissions.can_edit_discussions(request.user, institution)
    plans = list(selectors.action_plans_of(institution)) if can_edit else []
    return render(
        request,
        "goals/discussion_detail.html",
        {
            "institution": institution,
            "discussion": discussion,
            "rows": decision_rows(
                request, institution, selectors.discussion_decisions(discussion), plans
            ),
            "plans": plans,
            "can_edit": can_edit,
            "form": DecisionForm(institution=institution) if can_edit else None,
            "breadcrumbs": _discussions_crumbs(institution, (str(discussion), "")),
        },
    )


@login_required
def discussion_edit(request: HttpRequest, pk: int, discussion_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_discussions(request.user, institution))
    discussion = _discussion(institution, discussion_id)
    form = DiscussionForm(
        request.POST or None,
        editing=True,
        initial={
            field: getattr(discussion, field)
            for field in (
                "forum",
                "forum_other",
                "held_on",
                "topic",
                "participants",
                "reflection",
                "ethics",
                "ownership",
            )
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.discussion_update(actor=request.user, discussion=discussion, **data),
        ):
            messages.success(request, _("The discussion was saved."))
            return redirect(_discussion_url(discussion))
    return form_page(
        request,
        form=form,
        title=_("Edit the discussion"),
        cancel_url=_discussion_url(discussion),
        breadcrumbs=_discussions_crumbs(
            institution, (str(discussion), _discussion_url(discussion)), (_("Edit"), "")
        ),
    )


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int, discussion_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_discussions(request.user, institution))
    discussion = _discussion(institution, discussion_id)
    form = DecisionForm(request.POST, institution=institution)
    if form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.decision_add(actor=request.user, discussion=discussion, **data),
        ):
            messages.success(request, _("The decision was added."))
            return redirect(_discussion_url(discussion) + "#decisions")
    plans = list(selectors.action_plans_of(institution))
    return render(
        request,
        "goals/discussion_detail.html",
        {
            "institution": institution,
            "discussion": discussion,
            "rows": decision_rows(
                request, institution, selectors.discussion_decisions(discussion), plans
            ),
            "plans": plans,
            "can_edit": True,
            "form": form,
            "breadcrumbs": _discussions_crumbs(institution, (str(discussion), "")),
        },
        status=400,
    )


@login_required
@require_POST
def decision_to_step(
    request: HttpRequest, pk: int, discussion_id: int, decision_id: int
) -> HttpResponse:
    """One click: the decision becomes the last step of the chosen action plan."""
    institution = institution_for(request, pk)
    require(permissions.can_edit_discussions(request.user, institution))
    discussion = _discussion(institution, discussion_id)
    decision = get_object_or_404(discussion.decisions, pk=decision_id)
    plan_id = request.POST.get("plan", "")
    plan = (
        ActionPlan.objects.filter(goal__institution=institution)
        .select_related("goal")
        .filter(pk=int(plan_id) if plan_id.isascii() and plan_id.isdigit() else 0)
        .first()
    )
    error = ""
    if plan is None:
        error = _("Choose the action plan the step belongs to.")
    else:
        try:
            step, created = services.decision_to_step(
                actor=request.user, decision=decision, plan=plan
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            message = (
                _("The decision is now a step in %(plan)s.") % {"plan": step.plan.title}
                if created
                else _("The decision was already a step.")
            )
    if request.htmx:
        plans = list(selectors.action_plans_of(institution))
        decision = get_object_or_404(selectors.discussion_decisions(discussion), pk=decision.pk)
        (row,) = decision_rows(request, institution, [decision], plans, focus_pk=decision.pk)
        row["announcement"] = error or message
        row["error"] = error
        return render(request, "goals/partials/decision_row.html", row)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(_discussion_url(discussion) + "#decisions")


# Curriculum evaluations ---------------------------------------------------------------


@login_required
def evaluations(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_evaluations(request.user, institution))
    can_edit = permissions.can_edit_evaluations(request.user, institution)
    form = EvaluationForm(request.POST or None, request.FILES or None) if can_edit else None
    if request.method == "POST":
        require(can_edit)
        if form.is_valid():
            data = form.cleaned_data
            if apply(
                form,
                lambda: services.evaluation_create(
                    actor=request.user, institution=institution, **data
                ),
            ):
                messages.success(request, _("The evaluation was recorded."))
                return redirect("goals:evaluations", institution.pk)
    return render(
        request,
        "goals/evaluations.html",
        {
            "institution": institution,
            "evaluations": institution.curriculum_evaluations.select_related("recorded_by"),
            "form": form,
            "breadcrumbs": goal_crumbs(institution, (_("Curriculum evaluations"), "")),
        },
    )


@login_required
def evaluation_document(request: HttpRequest, pk: int, evaluation_id: int) -> FileResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_evaluations(request.user, institution))
    evaluation = get_object_or_404(institution.curriculum_evaluations, pk=evaluation_id)
    if not evaluation.document:
        raise Http404
    try:
        handle = evaluation.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=evaluation.document_name)
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response
