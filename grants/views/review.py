"""Applications in the municipality's hands: review, comments, requests for changes, the
decision and its letter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import act, apply

from .. import permissions, selectors, services
from ..forms import CommentForm, DecisionForm, RequestChangesForm
from ..models import Pool
from .common import _application, _application_crumbs


@login_required
@require_POST
def application_comment(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_comment_application(request.user, application))
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment."))
    else:
        act(
            request,
            lambda: services.application_comment(
                actor=request.user, application=application, body=form.cleaned_data["body"]
            ),
            _("The comment was added."),
        )
    return redirect(reverse("grants:application", args=[application.pk]) + "#kommentarer")


@login_required
@require_POST
def application_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_review_application(request.user, application))
    form = RequestChangesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the daycare should change."))
    else:
        act(
            request,
            lambda: services.application_request_changes(
                actor=request.user, application=application, comment=form.cleaned_data["comment"]
            ),
            _("The application was sent back to the daycare for changes."),
        )
    return redirect("grants:application", application.pk)


@login_required
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_review_application(request.user, application))
    pool = application.pool
    initial = {"report_due_on": pool.period_end}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.application_decide(
                actor=request.user,
                application=application,
                outcome=data["outcome"],
                reason=data.get("reason", ""),
                approved_ore=data.get("approved_ore"),
                report_due_on=data.get("report_due_on"),
            ),
        ):
            messages.success(
                request,
                _("The decision is made. The letter is sent to the daycare."),
            )
            return redirect("grants:application", application.pk)
    pool = selectors.pools_with_money(Pool.objects.filter(pk=pool.pk)).get()
    return render(
        request,
        "grants/decide.html",
        {
            "form": form,
            "application": application,
            "pool": pool,
            "title": _("Decide: %(project)s") % {"project": application.project},
            "cancel_url": reverse("grants:application", args=[application.pk]),
            "breadcrumbs": _application_crumbs(application, (_("Decide"), "")),
        },
        status=400 if form.errors else 200,
    )


@login_required
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_download_letter(request.user, application))
    if not application.decision_letter:
        raise Http404
    response = FileResponse(
        application.decision_letter.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"afgoerelse-{application.pk}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
