"""Command line of the benchmark.

    .venv/bin/python -m bench run --scale municipality|large|national [--seed 1]
    .venv/bin/python -m bench generate --scale large     # into $DATABASE_URL (migrated)
    .venv/bin/python -m bench profile --scale large --page feed --explain
    .venv/bin/python -m bench pdf --scale large --profile

`make bench SCALE=large` runs the first. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

# From bench/scales.py, not the generator: importing the generator loads the portal
# package, whose Celery app reads the settings, and `run` and `profile` must name the
# benchmark's database (DATABASE_URL) before the settings are first read.
from .scales import SCALES


def _generate(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.development")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.db import connection

    from .generate import generate
    from .run import MARKER

    start = time.perf_counter()
    world = generate(args.scale, seed=args.seed, stdout=_Out())
    took = time.perf_counter() - start
    timings = dict(world.timings, total=round(took, 1))
    if args.migrated_in:
        timings["migrate"] = float(args.migrated_in)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER} (scale text, seed int, "
            "generated_at timestamptz, counts jsonb, timings jsonb)"
        )
        cursor.execute(f"DELETE FROM {MARKER}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {MARKER} VALUES (%s, %s, now(), %s, %s)",  # noqa: S608
            [args.scale, args.seed, json.dumps(world.counts), json.dumps(timings)],
        )
    print(f"Generated {args.scale} in {took:.1f} s:")
    for key, value in world.counts.items():
        print(f"  {key}: {value:,}")
    return 0


class _Out:
    def write(self, message: str) -> None:
        print(message, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench")
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="fill $DATABASE_URL (already migrated)")
    generate.add_argument("--scale", choices=SCALES, required=True)
    generate.add_argument("--seed", type=int, default=1)
    generate.add_argument("--migrated-in", default="")
    run = commands.add_parser("run", help="generate if needed, serve, load, report")
    run.add_argument("--scale", choices=SCALES, default="municipality")
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--regenerate", action="store_true", help="generate even if present")
    run.add_argument("--duration", type=int, default=20, help="seconds per page")
    run.add_argument("--warmup", type=int, default=3, help="seconds per page not counted")
    run.add_argument("--users", type=int, default=2, help="concurrent locust users")
    run.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    run.add_argument("--port", type=int, default=0, help="default: a free port")
    run.add_argument("--pages", default="", help="comma-separated page names (default all)")
    run.add_argument("--no-extras", action="store_true", help="skip fan-out, PDFs, snapshot")
    run.add_argument("--label", default="", help="added to the result file names")
    run.add_argument("--only-generate", action="store_true", help="make the database, stop")
    prof = commands.add_parser("profile", help="one page in-process: SQL and cProfile")
    prof.add_argument("--scale", choices=SCALES, default="municipality")
    prof.add_argument("--page", required=True)
    prof.add_argument("--index", type=int, default=0, help="which of the page's requests")
    prof.add_argument("--top", type=int, default=8, help="slowest queries to show")
    prof.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest")
    prof.add_argument("--repeat", type=int, default=5)
    prof.add_argument("--functions", type=int, default=30)
    pdfs = commands.add_parser("pdf", help="the PDF reports in-process: timings, cProfile")
    pdfs.add_argument("--scale", choices=SCALES, default="municipality")
    pdfs.add_argument("--reports", default="institution,municipality")
    pdfs.add_argument("--repeat", type=int, default=2)
    pdfs.add_argument("--profile", action="store_true", help="cProfile one more of each")
    pdfs.add_argument("--functions", type=int, default=30)
    onboarding = commands.add_parser(
        "onboarding", help="the onboarding workbook in $DATABASE_URL: check, import, re-import"
    )
    onboarding.add_argument("--scale", choices=("tiny", "municipality", "large"), default="large")
    onboarding.add_argument("--seed", type=int, default=1)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "generate":
        return _generate(args)
    if args.command == "profile":
        from .profiling import profile

        return profile(args)
    if args.command == "onboarding":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.development")
        os.environ.setdefault("DEBUG", "0")
        from .onboarding import main as onboarding

        return onboarding(args)
    if args.command == "pdf":
        from .profiling import pdf

        return pdf(args)
    from .run import run as run_benchmark

    return run_benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
