"""Profile one benchmarked page in-process against a generated database.

    .venv/bin/python -m bench profile --scale large --page feed [--explain]

Prints the slowest SQL statements of one request (with EXPLAIN ANALYZE for the slowest
when asked) and the functions where the time went (cProfile), for finding the cause when
a page misses its target.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import time


def profile(args) -> int:
    from .run import database_url

    os.environ["DATABASE_URL"] = database_url(args.scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.development")
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["PORTAL_BENCH"] = "1"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.middleware import TWO_FACTOR_OK_KEY
    from accounts.models import User

    from .targets import pick_pages

    page = next(p for p in pick_pages() if p.name == args.page)
    url, user_id = page.requests[min(args.index, len(page.requests) - 1)]
    client = Client()
    if user_id:
        client.force_login(User.objects.get(pk=user_id))
        session = client.session
        session[TWO_FACTOR_OK_KEY] = True
        session.save()
    for _ in range(2):
        client.get(url)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    took = (time.perf_counter() - start) * 1000
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(
        f"{url} → {response.status_code}: {took:.1f} ms, {len(queries)} queries, "
        f"{sql_ms:.1f} ms in SQL"
    )
    ranked = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    for query in ranked[: args.top]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
    if args.explain and ranked:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + ranked[0]["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.functions)
    print(out.getvalue())
    return 0


def pdf(args) -> int:
    """Time the two PDF reports in-process (HTML built, then rendered), `--repeat` times,
    and with `--profile` print a cProfile listing of one more of each."""
    from .run import database_url

    os.environ["DATABASE_URL"] = database_url(args.scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.development")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.pdf import html_to_pdf
    from institutions.models import Municipality
    from portal.reports.documents import institution_report_html, municipality_report_html

    from .targets import largest_municipality

    municipality = Municipality.objects.get(pk=largest_municipality())
    daycares = list(municipality.institutions.daycares().order_by("name"))
    institution = daycares[len(daycares) // 2]
    today = timezone.localdate()
    makers = {
        "institution": lambda: institution_report_html(institution, today=today, requested_by=""),
        "municipality": lambda: municipality_report_html(
            municipality, today=today, requested_by=""
        ),
    }
    print(f"{municipality.name}: {len(daycares)} daycares; institution {institution.name}")
    for name in args.reports.split(","):
        make = makers[name]
        for run in range(args.repeat):
            start, cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                html = make()
            built = time.perf_counter() - start
            made = html_to_pdf(html)
            took = time.perf_counter() - start
            # CPU seconds of this process tell less of the other work on a shared machine.
            print(
                f"{name} #{run + 1}: {took:.2f} s, CPU {time.process_time() - cpu:.2f} s "
                f"(HTML {built:.2f} s, {len(queries)} queries, {len(html) // 1024} KiB; "
                f"render {took - built:.2f} s), {made.pages} pages, "
                f"{len(made.content) // 1024} KiB PDF"
            )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            html_to_pdf(make())
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(args.functions)
            stats.sort_stats("tottime").print_stats(args.functions)
            print(out.getvalue())
    return 0
