"""Trends over time from the nightly snapshots, shaped for the charts.

A year of nightly snapshots is sampled down to one per month (the last of each month,
plus the newest), so a chart has at most 13 points and the counting query reads a
bounded number of rows whatever the number of nights.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from core.indicators import Area, Indicator, Status, all_indicators
from institutions.models import Institution, Municipality
from portal.models import Snapshot, SnapshotResult

from .selectors import MATRIX_TIMEOUT, Filters, cache_key

WINDOW = timedelta(days=366)


def sampled_snapshots(municipality: Municipality, *, today: date | None = None) -> list[Snapshot]:
    """The last snapshot of each month of the past year, and the newest (one query)."""
    today = today or timezone.localdate()
    snapshots = list(
        Snapshot.objects.filter(municipality=municipality, taken_on__gt=today - WINDOW).order_by(
            "taken_on"
        )
    )
    last_of_month: dict[tuple[int, int], Snapshot] = {}
    for snapshot in snapshots:
        last_of_month[(snapshot.taken_on.year, snapshot.taken_on.month)] = snapshot
    return list(last_of_month.values())


@dataclass
class Trend:
    """Per snapshot date, per indicator, how many daycares had each status."""

    dates: list[date]
    counts: dict[date, dict[str, dict[str, int]]] = field(default_factory=dict)

    def count(self, day: date, code: str, status: str) -> int:
        return self.counts.get(day, {}).get(code, {}).get(status, 0)

    def applicable(self, day: date, code: str) -> int:
        by_status = self.counts.get(day, {}).get(code, {})
        return sum(n for s, n in by_status.items() if s != Status.NOT_APPLICABLE)

    def area_percent(self, day: date, indicators: list[Indicator]) -> int | None:
        """Share of (daycare, indicator) pairs met among those that apply, in percent."""
        met = sum(self.count(day, i.code, Status.MET) for i in indicators)
        applicable = sum(self.applicable(day, i.code) for i in indicators)
        return round(100 * met / applicable) if applicable else None

    def by_area(self) -> list[tuple[str, list[int | None]]]:
        series = []
        for area in Area:
            indicators = [i for i in all_indicators() if i.area == area]
            if indicators:
                series.append(
                    (str(area.label), [self.area_percent(d, indicators) for d in self.dates])
                )
        return series

    def by_status(self, code: str) -> list[tuple[str, list[int]]]:
        return [
            (str(status.label), [self.count(d, code, status) for d in self.dates])
            for status in (Status.MET, Status.AT_RISK, Status.NOT_MET)
        ]


def municipality_trend(
    municipality: Municipality,
    filters: Filters | None = None,
    *,
    indicator: str | None = None,
    today: date | None = None,
) -> Trend:
    """Two queries: the sampled snapshots, then the counts of the daycares that pass the
    filters (as they are today) grouped by snapshot, indicator and status. Cached with
    the dashboard's matrix: a snapshot or a change to a daycare moves the version on."""
    today = today or timezone.localdate()
    filters = filters or Filters()
    key = cache_key(municipality, today, "trend", indicator or "", urlencode(filters.as_query()))
    trend = cache.get(key)
    if trend is None:
        trend = _municipality_trend(municipality, filters, indicator=indicator, today=today)
        cache.set(key, trend, MATRIX_TIMEOUT)
    return trend


def _municipality_trend(
    municipality: Municipality, filters: Filters, *, indicator: str | None, today: date
) -> Trend:
    snapshots = sampled_snapshots(municipality, today=today)
    trend = Trend(dates=[s.taken_on for s in snapshots])
    if not snapshots:
        return trend
    rows = SnapshotResult.objects.filter(snapshot__in=snapshots)
    if indicator:
        rows = rows.filter(indicator=indicator)
    if filters.district:
        rows = rows.filter(institution__district=filters.district)
    if filters.kind:
        rows = rows.filter(institution__kind=filters.kind)
    if filters.ownership:
        rows = rows.filter(institution__ownership=filters.ownership)
    day_of = {s.pk: s.taken_on for s in snapshots}
    counts: dict[date, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for snapshot_id, code, status, n in (
        rows.values("snapshot_id", "indicator", "status")
        .annotate(n=Count("id"))
        .values_list("snapshot_id", "indicator", "status", "n")
    ):
        counts[day_of[snapshot_id]][code][status] = n
    # Plain dictionaries, so that the trend can be cached.
    trend.counts = {day: dict(by_code) for day, by_code in counts.items()}
    return trend


def institution_trend(institution: Institution, *, today: date | None = None) -> Trend:
    """The same, for one daycare: each count is 0 or 1."""
    snapshots = sampled_snapshots(institution.municipality, today=today)
    trend = Trend(dates=[s.taken_on for s in snapshots])
    if not snapshots:
        return trend
    day_of = {s.pk: s.taken_on for s in snapshots}
    counts: dict[date, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for snapshot_id, code, status in SnapshotResult.objects.filter(
        snapshot__in=snapshots, institution=institution
    ).values_list("snapshot_id", "indicator", "status"):
        counts[day_of[snapshot_id]][code][status] = 1
    trend.counts = counts
    return trend
