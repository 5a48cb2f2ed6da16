"""Applications as the daycare writes them: creating, changing, submitting, withdrawing,
and the application's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import act, apply
from goals.models import LocalGoal
from institutions.access import institution_for

from .. import permissions, selectors, services
from ..forms import ApplicationForm, CommentForm, RequestChangesForm, WithdrawForm, budget_formset
from ..models import ApplicationEvent, EarmarkAllocation, Grant, ReviewComment
from .common import State, _application, _application_crumbs, _institution_crumbs, _pool


def _application_form_page(request, *, pool, institution, application=None):
    form = ApplicationForm(request.POST or None, institution=institution, application=application)
    lines = budget_formset(pool, request.POST or None, application=application)
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = form.cleaned_data

        def save():
            if application is None:
                return services.application_create(
                    actor=request.user,
                    pool=pool,
                    institution=institution,
                    budget_lines=lines.lines(),
                    **data,
                )
            return services.application_update(
                actor=request.user,
                application=application,
                budget_lines=lines.lines(),
                **data,
            )

        done = apply(form, save)
        if done:
            messages.success(
                request,
                _("The application is saved. Submit it when it is ready.")
                if done.value.state == State.DRAFT
                else _("The application is saved. Submit it again when it is ready."),
            )
            return redirect("grants:application", done.value.pk)
    title = (
        _("Apply to %(pool)s") % {"pool": pool.name}
        if application is None
        else _("Edit the application")
    )
    trail = (
        _institution_crumbs(institution, (title, ""))
        if application is None
        else _application_crumbs(application, (_("Edit"), ""))
    )
    return render(
        request,
        "grants/application_form.html",
        {
            "form": form,
            "lines": lines,
            "pool": pool,
            "institution": institution,
            "application": application,
            "title": title,
            "cancel_url": reverse("grants:application", args=[application.pk])
            if application
            else reverse("grants:institution", args=[institution.pk]),
            "breadcrumbs": trail,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def application_create(request: HttpRequest, pk: int, pool_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_apply(request.user, institution))
    pool = _pool(request, pool_id)
    if pool.municipality_id != institution.municipality_id or pool.is_formula:
        raise Http404
    if not pool.is_open_for_applications() or not pool.accepts(institution):
        messages.error(request, _("The pool is not open for applications from this daycare."))
        return redirect("grants:pool", pool.pk)
    return _application_form_page(request, pool=pool, institution=institution)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_view_application(request.user, application))
    user = request.user
    events = list(ApplicationEvent.objects.filter(application=application).select_related("actor"))
    comments = list(ReviewComment.objects.filter(application=application).select_related("author"))
    grant = (
        Grant.objects.filter(application=application)
        .prefetch_related(
            Prefetch("allocations", queryset=EarmarkAllocation.objects.order_by("earmark"))
        )
        .first()
    )
    state = application.state
    can = {
        "edit": application.is_editable and permissions.can_edit_application(user, application),
        "submit": state in (State.DRAFT, State.CHANGES_REQUESTED)
        and permissions.can_submit_application(user, application),
        "withdraw": application.can_move_to(State.WITHDRAWN)
        and permissions.can_withdraw_application(user, application),
        "review": state == State.SUBMITTED
        and permissions.can_review_application(user, application),
        "decide": state == State.IN_REVIEW
        and permissions.can_review_application(user, application),
        "comment": state not in (State.DRAFT, State.WITHDRAWN, State.CLOSED)
        and permissions.can_comment_application(user, application),
        "report": state == State.DECIDED
        and application.is_approved
        and permissions.can_report(user, application),
        "close": state == State.REPORTING
        and grant is not None
        and permissions.can_close_grant(user, grant),
    }
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "pool": application.pool,
            "lines": list(application.budget_lines.all()),
            "events": events,
            "comments": comments,
            "grant": grant,
            "balances": selectors.balances([grant]) if grant else None,
            "can": can,
            # The goal's page is linked for those who may open it.
            "goal_linked": application.local_goal_id is not None
            and LocalGoal.objects.visible_to(user).filter(pk=application.local_goal_id).exists(),
            "comment_form": CommentForm() if can["comment"] else None,
            "changes_form": RequestChangesForm() if can["decide"] else None,
            "withdraw_form": WithdrawForm() if can["withdraw"] else None,
            "deadline_passed": application.pool.closes_on is not None
            and timezone.localdate() > application.pool.closes_on,
            "breadcrumbs": _institution_crumbs(application.institution, (application.project, "")),
        },
    )


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_edit_application(request.user, application))
    if not application.is_editable:
        messages.error(
            request,
            _("The application cannot be changed while it is “%(state)s”.")
            % {"state": application.get_state_display()},
        )
        return redirect("grants:application", application.pk)
    return _application_form_page(
        request, pool=application.pool, institution=application.institution, application=application
    )


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_submit_application(request.user, application))
    act(
        request,
        lambda: services.application_submit(actor=request.user, application=application),
        _("The application is submitted. The municipality is told."),
    )
    return redirect("grants:application", application.pk)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_withdraw_application(request.user, application))
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        # A note that cannot be kept (too long, control characters) stops the withdrawal.
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("grants:application", application.pk)
    note = form.cleaned_data["note"]
    act(
        request,
        lambda: services.application_withdraw(
            actor=request.user, application=application, note=note
        ),
        _("The application is withdrawn."),
    )
    return redirect("grants:application", application.pk)


@login_required
@require_POST
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_review_application(request.user, application))
    act(
        request,
        lambda: services.application_start_review(actor=request.user, application=application),
        _("The application is in review."),
    )
    return redirect("grants:application", application.pk)
