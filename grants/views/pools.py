"""The municipality's pools: the list, the export, creating, changing and publishing a pool."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filenames import download_name
from core.permissions import require
from core.views import act, apply, crumbs
from institutions.access import municipality_for

from .. import permissions, selectors, services
from ..exports import pools_workbook
from ..forms import PoolForm
from ..models import Pool
from .common import _pool, _pool_crumbs


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
