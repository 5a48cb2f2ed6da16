"""Shares by formula: calculating a pool's share run and publishing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import purchases
from core.permissions import require
from core.views import act, apply

from .. import permissions, selectors, services
from ..forms import ShareRunForm
from .common import _pool, _pool_crumbs


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
        with_wifi = purchases.with_wifi(i.pk for i in daycares)
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
