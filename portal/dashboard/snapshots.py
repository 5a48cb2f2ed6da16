"""The nightly snapshot: every registered indicator for every daycare, stored per day."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.indicators import evaluate, indicators_changed
from institutions.models import Municipality
from portal.models import Snapshot, SnapshotResult

from .selectors import daycares


def snapshot_take(*, municipality: Municipality, today: date | None = None) -> Snapshot:
    """Evaluate every indicator for the municipality's daycares and store the results.

    Idempotent: a second run the same day replaces that day's results (an indicator or a
    daycare gone since the first run leaves no stale row behind). A fixed number of
    queries, whatever the number of daycares.
    """
    today = today or timezone.localdate()
    matrix = evaluate(municipality=municipality, institutions=daycares(municipality), today=today)
    with transaction.atomic():
        snapshot, created = Snapshot.objects.select_for_update().get_or_create(
            municipality=municipality, taken_on=today, defaults={"taken_at": timezone.now()}
        )
        if not created:
            snapshot.taken_at = timezone.now()
            snapshot.save(update_fields=["taken_at"])
            snapshot.results.all().delete()
        SnapshotResult.objects.bulk_create(
            [
                SnapshotResult(
                    snapshot=snapshot,
                    institution=institution,
                    indicator=indicator.code,
                    status=result.status,
                    evidence=str(result.evidence)[:2000],
                )
                for indicator in matrix.indicators
                for institution in matrix.institutions
                for result in [matrix.result(indicator, institution)]
            ],
            batch_size=2000,
        )
        indicators_changed()  # the dashboard's trends read the snapshots
    return snapshot
