"""The benchmark: generate (once), serve with gunicorn and production settings, load each
page from a second process (locust), measure the extras, and report.

    .venv/bin/python -m bench run --scale large

The database is PostgreSQL `portal_bench_<scale>` on BENCH_PG (default
postgres://postgres@127.0.0.1:5432); it is generated when missing or made with another
seed, else reused. Redis is BENCH_REDIS_URL (default redis://127.0.0.1:6379/6).
"""

from __future__ import annotations

import json
import math
import os
import platform
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
WORK = BASE_DIR / "var" / "bench"
PYTHON = sys.executable
MARKER = "bench_generated"

# The targets. Pages not listed here have only the query budget.
QUERY_BUDGET = 15
TARGETS = {
    "feed": {"p95_ms": 50, "ratio": 0.4, "scale": "national"},
    "inbox": {"p95_ms": 50, "ratio": 0.4, "scale": "national"},
    "dashboard": {"p95_ms": 150, "scale": "large"},
}
EXTRA_TARGETS = {
    "fan_out": 3.0,
    "institution_pdf": 1.5,
    "municipality_pdf": 15.0,
    "nightly_snapshot": 300.0,
}


def log(message: str) -> None:
    print(message, flush=True)


# Database ------------------------------------------------------------------------------


def server_url() -> str:
    return os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def database_name(scale: str) -> str:
    """`portal_bench_<scale>`; BENCH_DB_PREFIX replaces `portal_bench`, so that several
    checkouts can each keep their own copy on one server."""
    return f"{os.environ.get('BENCH_DB_PREFIX', 'portal_bench')}_{scale}"


def database_url(scale: str) -> str:
    return f"{server_url()}/{database_name(scale)}"


def _admin(sql: str, params=()) -> list:
    import psycopg

    with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def generated(scale: str, seed: int) -> dict | None:
    import psycopg

    name = database_name(scale)
    if not _admin("SELECT 1 FROM pg_database WHERE datname = %s", [name]):
        return None
    with psycopg.connect(database_url(scale)) as conn:
        exists = conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0]
        if not exists:
            return None
        row = conn.execute(
            f"SELECT scale, seed, generated_at, counts, timings FROM {MARKER}"  # noqa: S608
        ).fetchone()
    if not row or row[0] != scale or row[1] != seed:
        return None
    return {"generated_at": row[2].isoformat(), "counts": row[3], "timings": row[4]}


def environment(scale: str, secret_key: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(scale),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PORTAL_BENCH="1",
        MEDIA_ROOT=str(WORK / "media"),
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def regenerate(scale: str, seed: int) -> None:
    """Drop and create the database, migrate, generate (in a child process)."""
    name = database_name(scale)
    log(f"Generating {scale} (seed {seed}) into {name} ...")
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    env = environment(scale, "generate")
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.development"
    start = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=BASE_DIR, env=env, check=True
    )
    migrated = time.perf_counter() - start
    subprocess.run(
        [
            PYTHON,
            "-m",
            "bench",
            "generate",
            "--scale",
            scale,
            "--seed",
            str(seed),
            "--migrated-in",
            f"{migrated:.1f}",
        ],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


# The server ----------------------------------------------------------------------------


def collectstatic(env: dict) -> None:
    """The static files and the compiled Danish catalogues the production settings read."""
    build = dict(env, DJANGO_SETTINGS_MODULE="portal.settings.production", PORTAL_BUILD="1")
    subprocess.run(
        [
            PYTHON,
            "manage.py",
            "compilemessages",
            "--ignore=.venv",
            "--ignore=node_modules",
            "--ignore=var",
            "-v",
            "0",
        ],
        cwd=BASE_DIR,
        env=build,
        check=True,
    )
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=build,
        check=True,
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server_env = dict(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    WORK.mkdir(parents=True, exist_ok=True)
    errors = open(WORK / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            gunicorn,
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=server_env,
        stdout=errors,
        stderr=errors,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: see {WORK / 'gunicorn.log'}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30)
            return process
        except OSError:
            time.sleep(0.5)
    stop_server(process)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def warm(port: int, requests: list, count: int = 12) -> None:
    """Each worker imports, compiles templates and connects before it is timed."""
    for url, session in (requests * count)[:count]:
        headers = {"X-Forwarded-Proto": "https"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        request = urllib.request.Request(f"http://127.0.0.1:{port}{url}", headers=headers)
        try:
            urllib.request.urlopen(request, timeout=120).read()  # noqa: S310
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{url} answered {error.code} while warming up") from error


# Load ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))
    return ordered[index]


def load_page(
    page: dict, *, targets_file: Path, port: int, users: int, duration: int, warmup: int
) -> dict:
    out = WORK / f"records-{page['name']}.json"
    env = dict(
        os.environ, BENCH_TARGETS=str(targets_file), BENCH_PAGE=page["name"], BENCH_OUT=str(out)
    )
    locust = str(Path(PYTHON).parent / "locust")
    subprocess.run(
        [
            locust,
            "-f",
            str(BASE_DIR / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{warmup + duration}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--stop-timeout",
            "10",
        ],
        cwd=BASE_DIR,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    records = json.loads(out.read_text())
    if not records:
        return {"requests": 0, "failures": 0}
    first = min(r[0] for r in records)
    timed = [r for r in records if r[0] >= first + warmup]
    span = max(r[0] + r[1] / 1000 for r in timed) - min(r[0] for r in timed)
    times = [r[1] for r in timed]
    queries = sorted({r[2] for r in timed if r[2] >= 0})
    return {
        "requests": len(timed),
        "failures": sum(1 for r in timed if not r[3]),
        "rps": round(len(timed) / span, 1) if span > 0 else 0.0,
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "sql_p50_ms": round(percentile([r[4] for r in timed], 0.50), 1),
        "queries_min": queries[0] if queries else None,
        "queries_max": queries[-1] if queries else None,
    }


# The report ---------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = 0
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": memory,
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def verdicts(result: dict) -> list[tuple[str, str, bool | None]]:
    """(what, figure, met?) for each target of the issue that this run measured."""
    out = []
    scale = result["scale"]
    for page in result["pages"]:
        if not page.get("requests"):
            continue
        worst = page.get("queries_max")
        out.append(
            (
                f"{page['label']}: at most {QUERY_BUDGET} queries",
                f"{worst}",
                worst is not None and worst <= QUERY_BUDGET,
            )
        )
        target = TARGETS.get(page["name"])
        if target and target["scale"] == scale:
            out.append(
                (
                    f"{page['label']}: p95 under {target['p95_ms']} ms",
                    f"{page['p95_ms']} ms",
                    page["p95_ms"] < target["p95_ms"],
                )
            )
            if "ratio" in target:
                out.append(
                    (
                        f"{page['label']}: throughput ≥ {target['ratio']:.0%} of baseline",
                        f"{page.get('ratio', 0):.0%}",
                        page.get("ratio", 0) >= target["ratio"],
                    )
                )
    for key, limit in EXTRA_TARGETS.items():
        extra = result["extras"].get(key)
        if not extra or extra.get("seconds") is None:
            continue
        if key == "nightly_snapshot" and scale != "national":
            continue
        out.append(
            (
                f"{key.replace('_', ' ')} under {limit:g} s",
                f"{extra['seconds']} s",
                extra["seconds"] < limit,
            )
        )
    return out


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        f"# Benchmark: {result['scale']} scale",
        "",
        f"{result['started_at']} · seed {result['seed']} · gunicorn {result['workers']} workers, "
        f"{result['users']} locust users, {result['duration']} s per page after "
        f"{result['warmup']} s warm-up",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; Python {m['python']}; "
        f"{result['postgres']}; load average at start {m['load_average']}",
        "",
        "| Page | Requests/s | × baseline | p50 ms | p95 ms | p99 ms | SQL queries | SQL ms p50 "
        "| Failures |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in result["pages"]:
        if not page.get("requests"):
            lines.append(
                f"| {page['label']} | – | – | – | – | – | – | – | {page.get('note', '')} |"
            )
            continue
        queries = page["queries_min"]
        if page["queries_max"] != page["queries_min"]:
            queries = f"{page['queries_min']}–{page['queries_max']}"
        lines.append(
            f"| {page['label']} | {page['rps']} | {page.get('ratio', 0):.2f} | {page['p50_ms']} "
            f"| {page['p95_ms']} | {page['p99_ms']} | {queries} | {page.get('sql_p50_ms', '–')} "
            f"| {page['failures']} |"
        )
    lines += ["", "| Measurement | Seconds | Notes |", "| --- | ---: | --- |"]
    for key, extra in result["extras"].items():
        seconds = "–" if extra.get("seconds") is None else extra["seconds"]
        detail = extra.get("note", "")
        if extra.get("queries") is not None:
            detail += f" ({extra['queries']} queries)"
        lines.append(f"| {key.replace('_', ' ')} | {seconds} | {detail} |")
    lines += ["", "| Target | Figure | Met |", "| --- | --- | --- |"]
    for what, figure, met in verdicts(result):
        lines.append(f"| {what} | {figure} | {'yes' if met else 'NO'} |")
    counts = result.get("data", {}).get("counts", {})
    if counts:
        keys = [
            "institutions.Municipality",
            "institutions.Institution",
            "institutions.Group",
            "institutions.Child",
            "accounts.User",
            "messaging.Post",
            "messaging.PostDelivery",
            "messaging.Thread",
            "messaging.Message",
            "goals.LocalGoal",
            "grants.Application",
            "devices.Device",
            "devices.Booking",
        ]
        lines += ["", "Data: " + ", ".join(f"{k.split('.')[1]} {counts.get(k, 0):,}" for k in keys)]
    return "\n".join(lines) + "\n"


def save(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = result["started_at"].replace(":", "").replace("-", "")[:15]
    name = f"{result['scale']}-{stamp}{('-' + result['label']) if result.get('label') else ''}"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    text = markdown(result)
    (RESULTS / f"{name}.md").write_text(text)
    (RESULTS / f"latest-{result['scale']}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    )
    (RESULTS / f"latest-{result['scale']}.md").write_text(text)
    return RESULTS / f"{name}.md"


# The run -------------------------------------------------------------------------------


def run(args) -> int:
    scale, seed = args.scale, args.seed
    data = None if args.regenerate else generated(scale, seed)
    if data is None:
        regenerate(scale, seed)
        data = generated(scale, seed)
    if args.only_generate:
        return 0
    secret_key = secrets.token_urlsafe(50)
    env = environment(scale, secret_key)
    os.environ.update(
        {
            k: env[k]
            for k in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT")
        }
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.development"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.db import connection

    from . import extras
    from .targets import targets

    log("Collecting static files and compiling messages ...")
    collectstatic(env)
    WORK.mkdir(parents=True, exist_ok=True)
    picked = targets()
    only = set(args.pages.split(",")) if args.pages else None
    targets_file = WORK / f"targets-{scale}.json"
    targets_file.write_text(json.dumps(picked))
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0].split(" on ")[0]
    connection.close()
    result = {
        "scale": scale,
        "seed": seed,
        "label": args.label or "",
        "started_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "postgres": postgres,
        "workers": args.workers,
        "users": args.users,
        "duration": args.duration,
        "warmup": args.warmup,
        "data": data or {},
        "pages": [],
        "extras": {},
    }
    args.port = args.port or free_port()
    log(f"Serving on 127.0.0.1:{args.port} with {args.workers} gunicorn workers ...")
    server = start_server(env, args.port, args.workers)
    try:
        for page in picked["pages"]:
            entry = {"name": page["name"], "label": page["label"], "note": page["note"]}
            if page["requests"] and (only is None or page["name"] in only | {"baseline"}):
                warm(args.port, page["requests"])
                log(f"  {page['label']} ...")
                entry.update(
                    load_page(
                        page,
                        targets_file=targets_file,
                        port=args.port,
                        users=args.users,
                        duration=args.duration,
                        warmup=args.warmup,
                    )
                )
            result["pages"].append(entry)
    finally:
        stop_server(server)
    baseline = next((p for p in result["pages"] if p["name"] == "baseline"), {})
    for page in result["pages"]:
        if page.get("rps") and baseline.get("rps"):
            page["ratio"] = round(page["rps"] / baseline["rps"], 3)
    if not args.no_extras:
        log("Fan-out to 10,000 guardians ...")
        result["extras"]["fan_out"] = extras.fan_out()
        log("PDF reports ...")
        result["extras"].update(extras.pdf_reports())
        log("Nightly indicator snapshot ...")
        result["extras"]["nightly_snapshot"] = extras.nightly_snapshot()
    path = save(result)
    print()
    print(markdown(result))
    log(f"Stored in {path} and {path.with_suffix('.json')}")
    return 0
