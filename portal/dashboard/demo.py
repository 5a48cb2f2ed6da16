"""Demo history for the trend charts: a year of monthly snapshots that climb towards
today's real evaluation, as a municipality's would while the strategy takes hold."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from core.indicators import Status
from portal.models import Snapshot, SnapshotResult

from .snapshots import snapshot_take

MONTHS = 12


def _month_ends_before(today: date, count: int) -> list[date]:
    ends = []
    day = today.replace(day=1) - timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return sorted(ends)


def seed_history(municipalities, *, today: date | None = None, months: int = MONTHS) -> None:
    """Today's snapshot is the real one; each month before it, fewer daycares had got
    there (a met indicator was at risk or not met, the further back the likelier)."""
    today = today or timezone.localdate()
    rng = random.Random(2014)
    for municipality in municipalities:
        current = snapshot_take(municipality=municipality, today=today)
        results = list(current.results.all())
        ends = _month_ends_before(today, months - 1)
        for index, day in enumerate(ends):
            behind = (len(ends) - index) / months  # 1.0 a year ago, small last month
            snapshot = Snapshot.objects.create(
                municipality=municipality,
                taken_on=day,
                taken_at=timezone.make_aware(
                    timezone.datetime(day.year, day.month, day.day, 1, 30)
                ),
            )
            rows = []
            for result in results:
                status = result.status
                if status == Status.MET and rng.random() < behind * 0.8:
                    status = Status.AT_RISK if rng.random() < 0.5 else Status.NOT_MET
                rows.append(
                    SnapshotResult(
                        snapshot=snapshot,
                        institution_id=result.institution_id,
                        indicator=result.indicator,
                        status=status,
                    )
                )
            SnapshotResult.objects.bulk_create(rows, batch_size=2000)
