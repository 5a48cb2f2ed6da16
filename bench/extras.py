"""Measurements besides the pages: fan-out, PDF reports, the nightly indicator snapshot.

Each returns a dict for the report: seconds, what was measured, and a note when the code
it measures is not on this branch yet (then it measures what stands in for it and says
so, or nothing).
"""

from __future__ import annotations

import statistics
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .targets import largest_municipality


def fan_out(guardians: int = 10_000, runs: int = 3) -> dict:
    from messaging.bench import fan_out as measure

    results = [measure(guardians=guardians) for _ in range(runs)]
    return {
        "seconds": round(statistics.median(r.seconds for r in results), 3),
        "runs": [round(r.seconds, 3) for r in results],
        "delivered": results[0].delivered,
        "queries": results[0].queries,
        "note": f"post_publish of one municipal post to {guardians:,} guardians, median of "
        f"{runs} (messaging/bench.py; rolled back)",
    }


def _daycares(municipality):
    return list(municipality.institutions.daycares().order_by("name"))


def pdf_reports() -> dict:
    """The institution and municipality PDF reports, once the report code is here."""
    from institutions.models import Municipality

    try:
        from core.pdf import html_to_pdf
        from portal.reports.documents import institution_report_html, municipality_report_html
    except ImportError:
        return {
            "institution_pdf": {"seconds": None, "note": "No PDF reports on this branch yet."},
            "municipality_pdf": {"seconds": None, "note": "No PDF reports on this branch yet."},
        }
    municipality = Municipality.objects.get(pk=largest_municipality())
    daycares = _daycares(municipality)
    today = timezone.localdate()
    institution = daycares[len(daycares) // 2]
    out = {}
    for key, make in (
        (
            "institution_pdf",
            lambda: institution_report_html(institution, today=today, requested_by=""),
        ),
        (
            "municipality_pdf",
            lambda: municipality_report_html(municipality, today=today, requested_by=""),
        ),
    ):
        runs = []
        for _ in range(3):
            start, cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                pdf = html_to_pdf(make())
            runs.append((time.perf_counter() - start, time.process_time() - cpu))
        subject = f"{len(daycares)} daycares" if key == "municipality_pdf" else institution.name
        out[key] = {
            "seconds": round(statistics.median(wall for wall, _cpu in runs), 3),
            "runs": [round(wall, 3) for wall, _cpu in runs],
            "cpu_seconds": round(statistics.median(cpu for _wall, cpu in runs), 3),
            "pages": pdf.pages,
            "queries": len(queries),
            # The first PDF of a process also loads WeasyPrint, its stylesheets, the fonts
            # and the hyphenation dictionary, which a worker does once.
            "note": f"{subject}, median of 3 (the first of the run also starts the renderer)",
        }
    return out


class _Rollback(Exception):
    pass


def nightly_snapshot() -> dict:
    """Every indicator for every daycare of every municipality, as the nightly task does.

    With the dashboard's snapshots (portal/dashboard/snapshots.py) it times snapshot_take
    for each municipality, storing the results, and rolls back. Without them it times the
    part that costs: evaluating the indicator registry for each municipality.
    """
    from core.indicators import evaluate
    from institutions.models import Municipality

    try:
        from portal.dashboard.snapshots import snapshot_take
    except ImportError:
        snapshot_take = None
    municipalities = list(Municipality.objects.order_by("pk"))
    today = timezone.localdate()
    slowest = (0.0, "")
    start = time.perf_counter()
    queries = 0
    try:
        with transaction.atomic():
            for municipality in municipalities:
                began = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    if snapshot_take is not None:
                        snapshot_take(municipality=municipality, today=today)
                    else:
                        evaluate(
                            municipality=municipality,
                            institutions=_daycares(municipality),
                            today=today,
                        )
                queries += len(captured)
                took = time.perf_counter() - began
                slowest = max(slowest, (took, municipality.name))
            seconds = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        pass
    return {
        "seconds": round(seconds, 2),
        "municipalities": len(municipalities),
        "queries": queries,
        "slowest": {"municipality": slowest[1], "seconds": round(slowest[0], 2)},
        "note": "snapshot_take for every municipality (rolled back)"
        if snapshot_take
        else "No snapshot task on this branch yet: timed evaluating every indicator for every "
        "daycare of every municipality, the work the nightly snapshot does.",
    }
