"""After approval: the daycare's final report, the grant's page, its expenses and receipts,
and closing the grant."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import act, apply

from .. import permissions, selectors, services
from ..forms import ExpenseForm, ReportForm
from ..models import Expense, Grant
from .common import State, _application, _application_crumbs, _institution_crumbs


def _grant(request: HttpRequest, pk: int) -> Grant:
    return get_object_or_404(
        Grant.objects.visible_to(request.user).select_related(
            "pool", "institution__municipality", "application", "share"
        ),
        pk=pk,
    )


@login_required
def application_report(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require(permissions.can_report(request.user, application))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.application_report(
                actor=request.user, application=application, **data
            ),
        ):
            messages.success(request, _("The final report is submitted. The municipality is told."))
            return redirect("grants:application", application.pk)
    grant = Grant.objects.filter(application=application).prefetch_related("allocations").first()
    return render(
        request,
        "grants/report.html",
        {
            "form": form,
            "application": application,
            "balances": selectors.balances([grant]) if grant else None,
            "title": _("Final report: %(project)s") % {"project": application.project},
            "cancel_url": reverse("grants:application", args=[application.pk]),
            "breadcrumbs": _application_crumbs(application, (_("Final report"), "")),
        },
        status=400 if form.errors else 200,
    )


@login_required
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _grant(request, pk)
    require(permissions.can_view_grant(request.user, grant))
    allocations, expenses = selectors.grant_detail(grant)
    can_book = bool(permissions.can_book_expense(request.user, grant))
    spending_open = grant.is_open and (
        grant.application_id is None or grant.application.state == State.DECIDED
    )
    form = None
    if can_book and spending_open:
        form = ExpenseForm(
            request.POST or None,
            request.FILES or None,
            allocations=[a for a in allocations if a.left_ore > 0],
            institution=grant.institution,
        )
    if request.method == "POST":
        require(permissions.can_book_expense(request.user, grant))
        if form is None:
            messages.error(request, _("Expenses cannot be booked on this grant now."))
            return redirect("grants:grant", grant.pk)
        if form.is_valid():
            data = form.cleaned_data
            if apply(
                form,
                lambda: services.expense_create(actor=request.user, grant=grant, **data),
            ):
                messages.success(request, _("The expense was booked."))
                return redirect("grants:grant", grant.pk)
    close_allowed = grant.is_open and (
        grant.application_id is None or grant.application.state == State.REPORTING
    )
    return render(
        request,
        "grants/grant_detail.html",
        {
            "grant": grant,
            "allocations": allocations,
            "expenses": expenses,
            "balances": selectors.allocation_balances(
                allocations, closed=grant.closed_at is not None
            ),
            "form": form,
            "can_book": can_book and spending_open,
            "can_close": close_allowed and permissions.can_close_grant(request.user, grant),
            "breadcrumbs": _institution_crumbs(grant.institution, (grant.title, "")),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _expense(request: HttpRequest, grant: Grant, expense_id: int) -> Expense:
    return get_object_or_404(
        Expense.objects.filter(allocation__grant=grant).select_related("allocation"), pk=expense_id
    )


@login_required
@require_POST
def expense_delete(request: HttpRequest, pk: int, expense_id: int) -> HttpResponse:
    grant = _grant(request, pk)
    require(permissions.can_book_expense(request.user, grant))
    expense = _expense(request, grant, expense_id)
    act(
        request,
        lambda: services.expense_delete(actor=request.user, expense=expense),
        _("The expense was removed."),
    )
    return redirect("grants:grant", grant.pk)


@login_required
def expense_receipt(request: HttpRequest, pk: int, expense_id: int) -> HttpResponse:
    grant = _grant(request, pk)
    require(permissions.can_view_grant(request.user, grant))
    expense = _expense(request, grant, expense_id)
    name = expense.receipt.name
    suffix = name.rsplit(".", 1)[-1].lower()
    content_type = {"pdf": "application/pdf", "png": "image/png"}.get(suffix, "image/jpeg")
    response = FileResponse(
        expense.receipt.open("rb"),
        content_type=content_type,
        as_attachment=True,
        filename=f"bilag-{expense.pk}.{suffix}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def grant_close(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _grant(request, pk)
    require(permissions.can_close_grant(request.user, grant))
    act(
        request,
        lambda: services.grant_close(actor=request.user, grant=grant),
        _("The grant is closed. Unspent money went back to the pool."),
    )
    if grant.application_id:
        return redirect("grants:application", grant.application_id)
    return redirect("grants:grant", grant.pk)
