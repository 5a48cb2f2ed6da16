"""The municipal level: strategy periods, focus areas, items, and the overview of every
daycare's goals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.money import kroner_decimal
from core.permissions import require
from core.views import apply, crumbs
from institutions.access import municipality_for

from .. import permissions, selectors, services
from ..forms import FocusAreaForm, PeriodForm, StrategyItemForm
from ..models import StrategyItem, StrategyPeriod
from .common import form_page, strategy_crumbs


def _period(request: HttpRequest, municipality_id: int, period_id: int) -> StrategyPeriod:
    municipality = municipality_for(request, municipality_id)
    return get_object_or_404(
        StrategyPeriod.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .select_related("municipality"),
        pk=period_id,
    )


def _period_url(period: StrategyPeriod) -> str:
    return reverse("goals:period_detail", args=[period.municipality_id, period.pk])


@login_required
def strategy(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_strategy(request.user, municipality))
    periods = list(municipality.strategy_periods.order_by("-start_year"))
    year = timezone.localdate().year
    return render(
        request,
        "goals/strategy.html",
        {
            "municipality": municipality,
            "periods": periods,
            "current": next((p for p in periods if p.covers(year)), None),
            "can_edit": permissions.can_edit_strategy(request.user, municipality),
            "breadcrumbs": crumbs((_("Strategy"), "")),
        },
    )


@login_required
def period_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_edit_strategy(request.user, municipality))
    last = selectors.latest_period(municipality)
    initial = {}
    if last is not None:
        length = last.end_year - last.start_year
        initial = {
            "title": last.title,
            "start_year": last.end_year + 1,
            "end_year": last.end_year + 1 + length,
            "introduction": last.introduction,
        }
    form = PeriodForm(request.POST or None, last=last, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply(
            form,
            lambda: services.period_create(
                actor=request.user,
                municipality=municipality,
                title=data["title"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                introduction=data["introduction"],
                copy_from=last if data.get("copy_last") else None,
            ),
        )
        if done:
            messages.success(request, _("The strategy period was created."))
            return redirect(_period_url(done.value))
    return form_page(
        request,
        form=form,
        title=_("New strategy period"),
        intro=_("A new period can start as a copy of the last one and be changed from there."),
        cancel_url=reverse("goals:strategy", args=[municipality.pk]),
        breadcrumbs=strategy_crumbs(municipality, (_("New strategy period"), "")),
    )


@login_required
def period_detail(request: HttpRequest, municipality_id: int, period_id: int) -> HttpResponse:
    period = _period(request, municipality_id, period_id)
    require(permissions.can_view_strategy(request.user, period.municipality))
    areas = []
    for focus_area in selectors.period_focus_areas(period):
        items = list(focus_area.items.all())
        areas.append(
            {
                "focus_area": focus_area,
                "kinds": [
                    (kind.value, kind.label, [i for i in items if i.kind == kind.value])
                    for kind in StrategyItem.Kind
                ],
            }
        )
    return render(
        request,
        "goals/period_detail.html",
        {
            "period": period,
            "municipality": period.municipality,
            "areas": areas,
            "can_edit": permissions.can_edit_strategy(request.user, period.municipality),
            "breadcrumbs": strategy_crumbs(period.municipality, (period.years, "")),
        },
    )


@login_required
def period_edit(request: HttpRequest, municipality_id: int, period_id: int) -> HttpResponse:
    period = _period(request, municipality_id, period_id)
    require(permissions.can_edit_strategy(request.user, period.municipality))
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period.refresh_from_db()
        if apply(form, lambda: services.period_update(actor=request.user, period=period, **data)):
            messages.success(request, _("The strategy period was saved."))
            return redirect(_period_url(period))
    return form_page(
        request,
        form=form,
        title=_("Edit the strategy period"),
        cancel_url=_period_url(period),
        breadcrumbs=strategy_crumbs(
            period.municipality, (period.years, _period_url(period)), (_("Edit"), "")
        ),
    )


@login_required
def focus_area_create(request: HttpRequest, municipality_id: int, period_id: int) -> HttpResponse:
    period = _period(request, municipality_id, period_id)
    require(permissions.can_edit_strategy(request.user, period.municipality))
    next_number = (
        period.focus_areas.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    form = FocusAreaForm(request.POST or None, initial={"number": next_number})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.focus_area_create(actor=request.user, period=period, **data),
        ):
            messages.success(request, _("The focus area was added."))
            return redirect(_period_url(period))
    return form_page(
        request,
        form=form,
        title=_("New focus area"),
        cancel_url=_period_url(period),
        breadcrumbs=strategy_crumbs(
            period.municipality, (period.years, _period_url(period)), (_("New focus area"), "")
        ),
    )


@login_required
def focus_area_edit(
    request: HttpRequest, municipality_id: int, period_id: int, area_id: int
) -> HttpResponse:
    period = _period(request, municipality_id, period_id)
    require(permissions.can_edit_strategy(request.user, period.municipality))
    focus_area = get_object_or_404(period.focus_areas, pk=area_id)
    form = FocusAreaForm(
        request.POST or None,
        initial={
            "number": focus_area.number,
            "title": focus_area.title,
            "description": focus_area.description,
            "area": focus_area.area,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.focus_area_update(actor=request.user, focus_area=focus_area, **data),
        ):
            messages.success(request, _("The focus area was saved."))
            return redirect(_period_url(period))
    return form_page(
        request,
        form=form,
        title=_("Edit the focus area"),
        cancel_url=_period_url(period),
        breadcrumbs=strategy_crumbs(
            period.municipality, (period.years, _period_url(period)), (focus_area.title, "")
        ),
    )


@login_required
def item_create(
    request: HttpRequest, municipality_id: int, period_id: int, area_id: int
) -> HttpResponse:
    period = _period(request, municipality_id, period_id)
    require(permissions.can_edit_strategy(request.user, period.municipality))
    focus_area = get_object_or_404(period.focus_areas, pk=area_id)
    kind = request.GET.get("kind")
    form = StrategyItemForm(
        request.POST or None,
        initial={"kind": kind if kind in StrategyItem.Kind.values else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.strategy_item_create(
                actor=request.user, focus_area=focus_area, **data
            ),
        ):
            messages.success(request, _("The item was added."))
            return redirect(_period_url(period) + f"#area-{focus_area.pk}")
    return form_page(
        request,
        form=form,
        title=_("New item in %(area)s") % {"area": str(focus_area)},
        cancel_url=_period_url(period),
        breadcrumbs=strategy_crumbs(
            period.municipality, (period.years, _period_url(period)), (_("New item"), "")
        ),
    )


def _item(period: StrategyPeriod, item_id: int) -> StrategyItem:
    return get_object_or_404(
        StrategyItem.objects.filter(focus_area__period=period).select_related("focus_area"),
        pk=item_id,
    )


@login_required
def item_edit(
    request: HttpRequest, municipality_id: int, period_id: int, item_id: int
) -> HttpResponse:
    period = _period(request, municipality_id, period_id)
    require(permissions.can_edit_strategy(request.user, period.municipality))
    item = _item(period, item_id)
    form = StrategyItemForm(
        request.POST or None,
        initial={
            "kind": item.kind,
            "text": item.text,
            "deadline": item.deadline,
            "timing": item.timing,
            "budget_kr": kroner_decimal(item.budget_ore),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form, lambda: services.strategy_item_update(actor=request.user, item=item, **data)
        ):
            messages.success(request, _("The item was saved."))
            return redirect(_period_url(period) + f"#area-{item.focus_area_id}")
    return render(
        request,
        "goals/item_form.html",
        {
            "form": form,
            "item": item,
            "period": period,
            "title": _("Edit the item"),
            "cancel_url": _period_url(period),
            "breadcrumbs": strategy_crumbs(
                period.municipality, (period.years, _period_url(period)), (_("Edit item"), "")
            ),
        },
    )


@login_required
@require_POST
def item_delete(
    request: HttpRequest, municipality_id: int, period_id: int, item_id: int
) -> HttpResponse:
    period = _period(request, municipality_id, period_id)
    require(permissions.can_edit_strategy(request.user, period.municipality))
    item = _item(period, item_id)
    try:
        services.strategy_item_delete(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("goals:item_edit", period.municipality_id, period.pk, item.pk)
    messages.success(request, _("The item was removed."))
    return redirect(_period_url(period) + f"#area-{item.focus_area_id}")


@login_required
def municipality_overview(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_goal_overview(request.user, municipality))
    today = timezone.localdate()
    return render(
        request,
        "goals/municipality_overview.html",
        {
            "municipality": municipality,
            "daycares": selectors.municipality_overview(municipality, today),
            "breadcrumbs": crumbs((_("Local goals"), "")),
        },
    )
