"""Background work of the portal: the nightly indicator snapshots and the PDF status
reports. Thin tasks: ids in, call a service."""

from __future__ import annotations

from celery import shared_task

from institutions.models import Municipality


@shared_task(name="portal.take_indicator_snapshots", acks_late=True)
def take_indicator_snapshots() -> int:
    """Nightly: one task per municipality, so one large municipality does not hold up
    the rest and each is retried on its own."""
    ids = list(Municipality.objects.values_list("pk", flat=True))
    for pk in ids:
        take_municipality_snapshot.delay(pk)
    return len(ids)


@shared_task(
    name="portal.take_municipality_snapshot",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def take_municipality_snapshot(municipality_id: int) -> int:
    """Idempotent: taking it again the same day replaces that day's results."""
    from portal.dashboard.snapshots import snapshot_take

    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return 0
    return snapshot_take(municipality=municipality).results.count()


@shared_task(
    name="portal.make_status_report",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
    # Someone waits for it on the report's page: never in their request (core/queue.py).
    inline_in_background=True,
)
def make_status_report(report_id: int) -> bool:
    """Idempotent: a report already made (or being made) is left alone."""
    from portal.reports.services import report_make

    return report_make(report_id=report_id)


@shared_task(name="portal.make_monthly_reports", acks_late=True)
def make_monthly_reports() -> int:
    """Monthly: every municipality's report, sent to its administrators when made."""
    from portal.reports.services import monthly_reports_request

    return monthly_reports_request()
