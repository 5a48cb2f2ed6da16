"""Pages for pools, applications, shares, grants, expenses and budgets.

Every view fetches its object through the user's scope (`visible_to`: 404 outside it),
then checks the role in permissions.py (403), then calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filenames import download_name
from core.permissions import require
from core.views import act, apply, crumbs
from devices.models import WifiSite
from goals.models import LocalGoal
from institutions.access import institution_for, municipality_for
from institutions.models import Institution

from . import permissions, selectors, services
from .exports import pools_workbook
from .forms import (
    ApplicationForm,
    CommentForm,
    DecisionForm,
    DigitalBudgetLineForm,
    ExpenseForm,
    PoolForm,
    ReportForm,
    RequestChangesForm,
    ShareRunForm,
    WithdrawForm,
    budget_formset,
)
from .models import (
    Application,
    ApplicationEvent,
    DigitalBudgetLine,
    EarmarkAllocation,
    Expense,
    Grant,
    Pool,
    ReviewComment,
)

State = Application.State

# Access helpers ------------------------------------------------------------------------


def _pool(request: HttpRequest, pk: int) -> Pool:
    return get_object_or_404(
        Pool.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "pool__municipality",
            "institution__municipality",
            "decided_by",
            "created_by",
            "local_goal",
        ),
        pk=pk,
    )


def _grant(request: HttpRequest, pk: int) -> Grant:
    return get_object_or_404(
        Grant.objects.visible_to(request.user).select_related(
            "pool", "institution__municipality", "application", "share"
        ),
        pk=pk,
    )


def _pool_crumbs(request, pool: Pool, *trail):
    if permissions.can_view_pools(request.user, pool.municipality):
        first = (_("Pools"), reverse("grants:municipality", args=[pool.municipality_id]))
        return crumbs(first, (pool.name, reverse("grants:pool", args=[pool.pk])), *trail)
    return crumbs((pool.name, reverse("grants:pool", args=[pool.pk])), *trail)


def _institution_crumbs(institution: Institution, *trail):
    return crumbs(
        (institution.name, reverse("institutions:detail", args=[institution.pk])),
        (_("Grants"), reverse("grants:institution", args=[institution.pk])),
        *trail,
    )


def _application_crumbs(application: Application, *trail):
    return _institution_crumbs(
        application.institution,
        (application.project, reverse("grants:application", args=[application.pk])),
        *trail,
    )


# The municipality's pools --------------------------------------------------------------


@login_required
def municipality_pools(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_pools(request.user, municipality))
    pools = selectors.municipality_pools(municipality)
    return render(
        request,
        "grants/municipality_pools.html",
        {
            "municipality": municipality,
            "pools": pools,
            "totals": {
                "total": sum(p.total_ore for p in pools),
                "committed": sum(p.committed_ore for p in pools),
                "spent": sum(p.spent_ore for p in pools),
                "available": sum(p.available_ore for p in pools),
            },
            "can_manage": permissions.can_manage_pools(request.user, municipality),
            "breadcrumbs": crumbs((_("Pools"), "")),
        },
    )


@login_required
def municipality_export(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_pools(request.user, municipality))
    content = pools_workbook(municipality)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = download_name("puljer", municipality.name, day=timezone.localdate(), extension="xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def pool_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_manage_pools(request.user, municipality))
    form = PoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.pool_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, _("The pool was created."))
            return redirect("grants:pool", done.value.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("New pool"),
            "cancel_url": reverse("grants:municipality", args=[municipality.pk]),
            "breadcrumbs": crumbs(
                (_("Pools"), reverse("grants:municipality", args=[municipality.pk])),
                (_("New pool"), ""),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool(request, pk)
    require(permissions.can_view_pool(request.user, pool))
    user = request.user
    municipal = bool(permissions.can_view_pools(user, pool.municipality))
    own = permissions.apply_as(user, pool)
    mine = permissions.money_institution_ids(user, pool.municipality_id)
    if municipal:
        applications = selectors.applications_for_pool(pool)
    else:
        applications = selectors.applications_for_pool(pool, institutions=mine)
    shares = selectors.shares_for_pool(pool) if pool.is_formula else []
    if shares and not municipal:
        # A daycare sees its own share, once published.
        published = pool.share_run.is_published
        shares = [s for s in shares if s.institution_id in mine] if published else []
    pool = (
        selectors.pools_with_money(Pool.objects.filter(pk=pool.pk))
        .select_related("municipality")
        .get()
    )
    return render(
        request,
        "grants/pool_detail.html",
        {
            "pool": pool,
            "run": getattr(pool, "share_run", None) if pool.is_formula else None,
            "applications": applications,
            "shares": shares,
            "municipal": municipal,
            "apply_as": own if pool.is_open_for_applications() else [],
            "can_edit": permissions.can_edit_pool(user, pool),
            "breadcrumbs": [*_pool_crumbs(request, pool)[:-1], (pool.name, "")],
        },
    )


@login_required
def pool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool(request, pk)
    require(permissions.can_edit_pool(request.user, pool))
    form = PoolForm(request.POST or None, pool=pool)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(form, lambda: services.pool_update(actor=request.user, pool=pool, **data)):
            messages.success(request, _("The pool was saved."))
            return redirect("grants:pool", pool.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": pool.name},
            "cancel_url": reverse("grants:pool", args=[pool.pk]),
            "breadcrumbs": _pool_crumbs(request, pool, (_("Edit"), "")),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def pool_publish(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool(request, pk)
    require(permissions.can_edit_pool(request.user, pool))
    act(
        request,
        lambda: services.pool_publish(actor=request.user, pool=pool),
        _("The pool is published. The daycares' leaders are told."),
    )
    return redirect("grants:pool", pool.pk)


# Shares by formula ------------------------------------------------------------------------


@login_required
def share_run(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool(request, pk)
    require(permissions.can_edit_pool(request.user, pool))
    if not pool.is_formula:
        raise Http404
    run = getattr(pool, "share_run", None)
    daycares = list(pool.municipality.institutions.daycares().order_by("name"))
    if run is not None:
        initial = {
            "reference_date": run.reference_date,
            "wifi_reserve_ore": run.wifi_reserve_ore,
            "rest_earmark": run.rest_earmark,
            "without_wifi": [str(s.institution_id) for s in run.shares.all() if not s.has_wifi],
        }
    else:
        # The first calculation starts from the Wi-Fi the daycares registered (devices):
        # a daycare with no site covered, in full or in part, is ticked as without Wi-Fi.
        with_wifi = set(
            WifiSite.objects.filter(institution__in=daycares)
            .exclude(coverage=WifiSite.Coverage.NONE)
            .values_list("institution_id", flat=True)
        )
        initial = {
            "reference_date": pool.period_start,
            "wifi_reserve_ore": 0,
            "without_wifi": [str(i.pk) for i in daycares if i.pk not in with_wifi],
        }
    form = ShareRunForm(request.POST or None, pool=pool, daycares=daycares, initial=initial)
    if request.method == "POST":
        if run is not None and run.is_published:
            messages.error(
                request, _("The shares are published and can no longer be calculated again.")
            )
            return redirect("grants:share_run", pool.pk)
        if form.is_valid():
            data = form.cleaned_data
            if apply(
                form,
                lambda: services.share_run_calculate(
                    actor=request.user,
                    pool=pool,
                    reference_date=data["reference_date"],
                    wifi_reserve_ore=data.get("wifi_reserve_ore") or 0,
                    rest_earmark=data["rest_earmark"],
                    without_wifi=data.get("without_wifi", []),
                ),
            ):
                messages.success(request, _("The shares are calculated. Check them, then publish."))
                return redirect("grants:share_run", pool.pk)
    shares = selectors.shares_for_pool(pool)
    return render(
        request,
        "grants/share_run.html",
        {
            "pool": pool,
            "run": run,
            "shares": shares,
            "form": form if run is None or not run.is_published else None,
            "sum_ore": sum(s.amount_ore for s in shares),
            "children": sum(s.children for s in shares),
            "missing": [s for s in shares if s.counted_on is None],
            "breadcrumbs": _pool_crumbs(request, pool, (_("Shares"), "")),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def share_run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool(request, pk)
    require(permissions.can_edit_pool(request.user, pool))
    if not pool.is_formula:
        raise Http404
    if act(
        request,
        lambda: services.share_run_publish(actor=request.user, pool=pool),
        _("The shares are published. Each daycare's leader is told its share."),
    ):
        return redirect("grants:pool", pool.pk)
    return redirect("grants:share_run", pool.pk)


# A daycare's money ------------------------------------------------------------------------


@login_required
def institution_grants(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_grants(request.user, institution))
    grants = selectors.institution_grants(institution)
    applications = selectors.institution_applications(institution)
    if not permissions.can_apply(request.user, institution):
        applications = [a for a in applications if a.state != State.DRAFT]
    return render(
        request,
        "grants/institution.html",
        {
            "institution": institution,
            "balances": selectors.balances(grants),
            "grants": grants,
            "applications": applications,
            "open_pools": selectors.open_pools_for(institution)
            if permissions.can_apply(request.user, institution)
            else [],
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Grants"), ""),
            ),
        },
    )


@login_required
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_grants(request.user, institution))
    can_manage = permissions.can_manage_budget(request.user, institution)
    form = DigitalBudgetLineForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            data = form.cleaned_data
            if apply(
                form,
                lambda: services.digital_budget_line_create(
                    actor=request.user, institution=institution, **data
                ),
            ):
                messages.success(request, _("The budget line was added."))
                return redirect(
                    reverse("grants:budget", args=[institution.pk]) + f"?aar={data['year']}"
                )
    years = selectors.budget_years(institution)
    try:
        year = int(request.GET.get("aar", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    lines, result = selectors.budget_by_year(institution, year)
    return render(
        request,
        "grants/budget.html",
        {
            "institution": institution,
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "lines": lines,
            "result": result,
            "form": form,
            "can_manage": can_manage,
            "breadcrumbs": _institution_crumbs(institution, (_("Budget"), "")),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def budget_line_delete(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_budget(request.user, institution))
    line = get_object_or_404(DigitalBudgetLine.objects.filter(institution=institution), pk=line_id)
    act(
        request,
        lambda: services.digital_budget_line_delete(actor=request.user, line=line),
        _("The budget line was removed."),
    )
    return redirect(reverse("grants:budget", args=[institution.pk]) + f"?aar={line.year}")


# Applications ------------------------------------------------------------------------------


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


# Grants and expenses ----------------------------------------------------------------------


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
