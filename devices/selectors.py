"""Reads of the devices app, shaped for pages: a fixed number of queries each."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum

from core import purchases
from institutions.models import Institution, Municipality

from .indicators import group_coverage
from .models import (
    COUNTED_KINDS,
    Booking,
    Device,
    DeviceChange,
    ProgrammeLine,
    PurchaseProgramme,
    RotationPlan,
    Suitcase,
    SuitcaseItem,
    WaitingListEntry,
    WifiSite,
)


def institution_devices(institution: Institution, *, group=None, kind="", status=""):
    devices = institution.devices.select_related("group", "programme")
    if group == "house":
        devices = devices.filter(group__isnull=True)
    elif group:
        devices = devices.filter(group_id=group)
    if kind:
        devices = devices.filter(kind=kind)
    if status:
        devices = devices.filter(status=status)
    return devices.order_by("group__name", "kind", "model", "pk")


@dataclass
class Coverage:
    group: object
    count: int

    @property
    def missing(self) -> bool:
        return self.count == 0


def institution_coverage(institution: Institution) -> list[Coverage]:
    return [Coverage(g, n) for g, n in group_coverage([institution.pk]).get(institution.pk, [])]


def device_history(device: Device) -> list[DeviceChange]:
    return list(device.changes.select_related("actor").order_by("-created_at", "-pk"))


@dataclass
class DaycareRow:
    institution: Institution
    groups: int = 0
    covered: int = 0
    devices: int = 0
    wifi: list = field(default_factory=list)

    @property
    def uncovered(self) -> int:
        return self.groups - self.covered


def municipality_overview(municipality: Municipality) -> list[DaycareRow]:
    """Per daycare: groups covered by a working tablet or PC, devices, Wi-Fi (4 queries)."""
    daycares = list(municipality.institutions.daycares().order_by("name"))
    ids = [d.pk for d in daycares]
    coverage = group_coverage(ids)
    counts = dict(
        Device.objects.filter(institution_id__in=ids, kind__in=COUNTED_KINDS)
        .filter(status__in=Device.WORKING)
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    )
    wifi = defaultdict(list)
    for site in WifiSite.objects.filter(institution_id__in=ids).order_by("name"):
        wifi[site.institution_id].append(site)
    rows = []
    for daycare in daycares:
        groups = coverage.get(daycare.pk, [])
        rows.append(
            DaycareRow(
                institution=daycare,
                groups=len(groups),
                covered=sum(1 for _g, n in groups if n),
                devices=counts.get(daycare.pk, 0),
                wifi=wifi.get(daycare.pk, []),
            )
        )
    return rows


def suitcases_of(municipality: Municipality, today: date):
    current = Booking.objects.filter(
        status__in=[Booking.Status.BOOKED, Booking.Status.HANDED_OUT], ends_on__gte=today
    ).select_related("institution")
    return (
        municipality.suitcases.select_related("home_base")
        .annotate(
            # A subquery, not a join: joined with the waiting list, every item would be
            # counted once per waiting entry.
            item_count=Subquery(
                SuitcaseItem.objects.filter(suitcase=OuterRef("pk"))
                .values("suitcase")
                .annotate(total=Sum("quantity"))
                .values("total")[:1]
            ),
            waiting_count=Count(
                "waiting", filter=Q(waiting__status__in=WaitingListEntry.OPEN), distinct=True
            ),
        )
        .prefetch_related(
            Prefetch("bookings", queryset=current.order_by("starts_on"), to_attr="coming")
        )
        .order_by("name")
    )


def suitcase_detail(suitcase: Suitcase, today: date) -> dict:
    return {
        "items": list(suitcase.items.all()),
        "photos": list(suitcase.photos.all()),
        "bookings": list(
            suitcase.bookings.holding()
            .filter(ends_on__gte=today - timedelta(days=60))
            .select_related("institution")
            .order_by("starts_on")
        ),
        "waiting": list(
            suitcase.waiting.filter(status__in=WaitingListEntry.OPEN)
            .select_related("institution")
            .order_by("created_at", "pk")
        ),
    }


@dataclass
class Day:
    day: date
    in_month: bool
    bookings: list = field(default_factory=list)
    closed: str = ""


def month_grid(
    bookings, month: date, *, closed_days: dict[date, str] | None = None
) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with the bookings that hold it."""
    closed_days = closed_days or {}
    first = month.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    weeks: list[list[Day]] = []
    day = start
    while day <= end:
        week = []
        for _i in range(7):
            week.append(
                Day(
                    day=day,
                    in_month=day.month == first.month,
                    bookings=[b for b in bookings if b.starts_on <= day <= b.ends_on],
                    closed=closed_days.get(day, ""),
                )
            )
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    start = first - timedelta(days=first.weekday())
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    return start, last + timedelta(days=6 - last.weekday())


def closed_days(municipality_id: int, start: date, end: date) -> dict[date, str]:
    from .models import SuitcaseClosure

    out = {}
    for closure in SuitcaseClosure.objects.filter(
        municipality_id=municipality_id, ends_on__gte=start, starts_on__lte=end
    ):
        day = max(closure.starts_on, start)
        while day <= min(closure.ends_on, end):
            out[day] = closure.reason
            day += timedelta(days=1)
    return out


def plan_grid(plan: RotationPlan):
    """The plan as rows of turns with one cell per suitcase (3 queries)."""
    suitcases = list(plan.suitcases.order_by("name"))
    slots = list(plan.slots.select_related("institution", "booking").order_by("turn"))
    by_turn: dict[int, dict[int, object]] = defaultdict(dict)
    dates: dict[int, tuple[date, date]] = {}
    for slot in slots:
        by_turn[slot.turn][slot.suitcase_id] = slot
        start, end = dates.get(slot.turn, (slot.starts_on, slot.ends_on))
        dates[slot.turn] = (min(start, slot.starts_on), max(end, slot.ends_on))
    rows = [
        (turn, dates[turn], [by_turn[turn].get(s.pk) for s in suitcases])
        for turn in sorted(by_turn)
    ]
    counts: dict[int, int] = defaultdict(int)
    for slot in slots:
        counts[slot.institution_id] += 1
    return suitcases, rows, counts


def with_grant_names(devices: list[Device]) -> list[Device]:
    """Each device's `grant_name`: the grant that paid, by name (one query for them all)."""
    names = purchases.grants(ids=[d.grant_id for d in devices])
    for device in devices:
        device.grant_name = purchases.label(names, device.grant_id)
    return devices


def with_pool_names(programmes: list[PurchaseProgramme]) -> list[PurchaseProgramme]:
    """Each programme's `pool_name`: the pool that pays, by name (one query for them all)."""
    names = purchases.pools(ids=[p.pool_id for p in programmes])
    for programme in programmes:
        programme.pool_name = purchases.label(names, programme.pool_id)
    return programmes


def programmes_of(municipality: Municipality) -> list[PurchaseProgramme]:
    return with_pool_names(
        list(
            municipality.purchase_programmes.annotate(
                planned_units=Sum("lines__planned"), distributed_units=Sum("lines__distributed")
            )
        )
    )


def programme_lines(programme: PurchaseProgramme):
    return list(
        ProgrammeLine.objects.filter(programme=programme).select_related("group__institution")
    )
