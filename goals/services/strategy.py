"""The municipal level: strategy periods, focus areas and their items."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from institutions.models import Municipality

from ..models import FocusArea, StrategyItem, StrategyPeriod

PERIOD_FIELDS = ("title", "start_year", "end_year", "introduction")
FOCUS_AREA_FIELDS = ("number", "title", "description", "area")
ITEM_FIELDS = ("kind", "text", "deadline", "timing", "budget_ore", "position")


def _pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {name: data[name] for name in fields if name in data}


def _check_years(start_year: int, end_year: int) -> None:
    if not (2000 <= start_year <= 2100 and 2000 <= end_year <= 2100):
        raise ValidationError(_("Give the years as four digits, e.g. 2013."))
    if end_year < start_year:
        raise ValidationError(_("The last year cannot come before the first year."))


def _check_no_overlap(municipality: Municipality, start: int, end: int, exclude=None) -> None:
    clash = municipality.strategy_periods.filter(start_year__lte=end, end_year__gte=start)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    other = clash.first()
    if other is not None:
        raise ValidationError(
            _("The years overlap the strategy %(title)s %(years)s.")
            % {"title": other.title, "years": other.years}
        )


def _shift(day: date | None, years: int) -> date | None:
    if day is None or years == 0:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def period_create(
    *,
    actor: User,
    municipality: Municipality,
    title: str,
    start_year: int,
    end_year: int,
    introduction: str = "",
    copy_from: StrategyPeriod | None = None,
) -> StrategyPeriod:
    """Create a strategy period. With `copy_from` (a period of the same municipality) its
    focus areas and items are copied, deadlines moved on by as many years as the new
    period starts later, so the new strategy starts from the last one."""
    # One writer at a time per municipality, so two overlapping periods cannot both pass.
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    _check_years(start_year, end_year)
    _check_no_overlap(municipality, start_year, end_year)
    if copy_from is not None and copy_from.municipality_id != municipality.pk:
        raise ValidationError(_("A period can only be copied within the same municipality."))
    try:
        with transaction.atomic():
            period = StrategyPeriod.objects.create(
                municipality=municipality,
                title=title.strip(),
                start_year=start_year,
                end_year=end_year,
                introduction=introduction,
                copied_from=copy_from,
            )
    except IntegrityError as exc:
        raise ValidationError(_("The years overlap another strategy period.")) from exc
    copied = 0
    if copy_from is not None:
        years = start_year - copy_from.start_year
        areas = list(copy_from.focus_areas.prefetch_related("items"))
        new_areas = FocusArea.objects.bulk_create(
            [
                FocusArea(
                    period=period,
                    number=area.number,
                    title=area.title,
                    description=area.description,
                    area=area.area,
                )
                for area in areas
            ]
        )
        items = [
            StrategyItem(
                focus_area=new_area,
                kind=item.kind,
                text=item.text,
                deadline=_shift(item.deadline, years),
                timing=item.timing,
                budget_ore=item.budget_ore,
                position=item.position,
            )
            for area, new_area in zip(areas, new_areas, strict=True)
            for item in area.items.all()
        ]
        StrategyItem.objects.bulk_create(items)
        copied = len(items)
    audit(
        actor=actor,
        action="goals.period.created",
        obj=period,
        municipality=municipality,
        summary=str(period),
        changes={"copied_from": str(copy_from) if copy_from else None, "items_copied": copied},
    )
    return period


@transaction.atomic
def period_update(*, actor: User, period: StrategyPeriod, **data) -> StrategyPeriod:
    period = StrategyPeriod.objects.select_for_update().get(pk=period.pk)
    Municipality.objects.select_for_update().get(pk=period.municipality_id)
    values = _pick(data, PERIOD_FIELDS)
    start = values.get("start_year", period.start_year)
    end = values.get("end_year", period.end_year)
    _check_years(start, end)
    _check_no_overlap(period.municipality, start, end, exclude=period)
    changes = diff(period, values)
    for field, value in values.items():
        setattr(period, field, value)
    period.save()
    if changes:
        audit(
            actor=actor,
            action="goals.period.updated",
            obj=period,
            municipality=period.municipality,
            summary=str(period),
            changes=changes,
        )
    return period


@transaction.atomic
def focus_area_create(
    *,
    actor: User,
    period: StrategyPeriod,
    number: int,
    title: str,
    description: str = "",
    area: str = "",
) -> FocusArea:
    StrategyPeriod.objects.select_for_update().get(pk=period.pk)
    if period.focus_areas.filter(number=number).exists():
        raise ValidationError(_("The strategy already has a focus area with that number."))
    focus_area = FocusArea.objects.create(
        period=period, number=number, title=title.strip(), description=description, area=area
    )
    audit(
        actor=actor,
        action="goals.focus_area.created",
        obj=focus_area,
        municipality=period.municipality,
        summary=str(focus_area),
    )
    return focus_area


@transaction.atomic
def focus_area_update(*, actor: User, focus_area: FocusArea, **data) -> FocusArea:
    StrategyPeriod.objects.select_for_update().get(pk=focus_area.period_id)
    values = _pick(data, FOCUS_AREA_FIELDS)
    number = values.get("number", focus_area.number)
    clash = focus_area.period.focus_areas.filter(number=number).exclude(pk=focus_area.pk)
    if clash.exists():
        raise ValidationError(_("The strategy already has a focus area with that number."))
    changes = diff(focus_area, values)
    for field, value in values.items():
        setattr(focus_area, field, value)
    focus_area.save()
    if changes:
        audit(
            actor=actor,
            action="goals.focus_area.updated",
            obj=focus_area,
            municipality=focus_area.period.municipality,
            summary=str(focus_area),
            changes=changes,
        )
    return focus_area


def _check_item(values: dict) -> None:
    if not values.get("text", "x").strip():
        raise ValidationError(_("Write the text of the item."))
    if values.get("budget_ore") is not None and values["budget_ore"] < 0:
        raise ValidationError(_("A budget cannot be negative."))


@transaction.atomic
def strategy_item_create(
    *,
    actor: User,
    focus_area: FocusArea,
    kind: str,
    text: str,
    deadline: date | None = None,
    timing: str = "",
    budget_ore: int | None = None,
) -> StrategyItem:
    """Add an item at the end of its kind's list in the focus area."""
    FocusArea.objects.select_for_update().get(pk=focus_area.pk)
    if kind not in StrategyItem.Kind.values:
        raise ValidationError(_("Choose what kind of item it is."))
    _check_item({"text": text, "budget_ore": budget_ore})
    last = (
        focus_area.items.filter(kind=kind).order_by("-position").values_list("position", flat=True)
    ).first()
    item = StrategyItem.objects.create(
        focus_area=focus_area,
        kind=kind,
        text=text.strip(),
        deadline=deadline,
        timing=timing,
        budget_ore=budget_ore,
        position=(last or 0) + 1,
    )
    audit(
        actor=actor,
        action="goals.strategy_item.created",
        obj=item,
        municipality=focus_area.period.municipality,
        summary=str(item),
        changes={"kind": kind},
    )
    return item


@transaction.atomic
def strategy_item_update(*, actor: User, item: StrategyItem, **data) -> StrategyItem:
    item = StrategyItem.objects.select_for_update().get(pk=item.pk)
    values = _pick(data, ITEM_FIELDS)
    if "kind" in values and values["kind"] != item.kind:
        # A municipal goal that local goals answer cannot silently become something else.
        if item.kind == StrategyItem.Kind.MUNICIPAL_GOAL and item.local_goals.exists():
            raise ValidationError(
                _("Local goals answer this municipal goal, so it must stay a municipal goal.")
            )
        if item.kind == StrategyItem.Kind.ACTION and item.projects.exists():
            raise ValidationError(_("Projects carry out this action, so it must stay an action."))
    _check_item(values)
    changes = diff(item, values)
    for field, value in values.items():
        setattr(item, field, value)
    item.save()
    if changes:
        audit(
            actor=actor,
            action="goals.strategy_item.updated",
            obj=item,
            municipality=item.focus_area.period.municipality,
            summary=str(item),
            changes=changes,
        )
    return item


@transaction.atomic
def strategy_item_delete(*, actor: User, item: StrategyItem) -> None:
    item = (
        StrategyItem.objects.select_for_update(of=("self",))
        .select_related("focus_area__period__municipality")
        .get(pk=item.pk)
    )
    if item.local_goals.exists():
        raise ValidationError(
            _("Local goals answer this municipal goal. It cannot be removed while they do.")
        )
    if item.projects.exists():
        raise ValidationError(
            _("Projects carry out this action. It cannot be removed while they do.")
        )
    municipality = item.focus_area.period.municipality
    summary = str(item)
    audit(
        actor=actor,
        action="goals.strategy_item.deleted",
        obj=item,
        municipality=municipality,
        summary=summary,
        changes={"kind": item.kind, "text": item.text},
    )
    item.delete()
