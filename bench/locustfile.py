"""The load generator: one page at a time, as fast as the server answers.

Run by bench/run.py (not by hand) with:
    BENCH_TARGETS  a JSON file from bench/targets.py
    BENCH_PAGE     the page to ask for
    BENCH_OUT      where to write every request's (start, ms, queries, ok, ms in SQL)

Each simulated user asks again as soon as it has an answer (no think time), cycling
through the page's URLs and sessions in a fixed order, over loopback, with the header
a TLS-terminating proxy would add.
"""

from __future__ import annotations

import itertools
import json
import os
import time

from locust import FastHttpUser, constant, events, task

with open(os.environ["BENCH_TARGETS"]) as handle:
    _PAGES = {page["name"]: page for page in json.load(handle)["pages"]}
PAGE = _PAGES[os.environ["BENCH_PAGE"]]
_REQUESTS = itertools.cycle(PAGE["requests"])
_RECORDS: list[tuple[float, float, int, bool, float]] = []


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def visit(self):
        url, session = next(_REQUESTS)
        headers = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        start = time.time()
        with self.client.get(
            url, headers=headers, name=PAGE["name"], catch_response=True, allow_redirects=False
        ) as response:
            elapsed = (time.time() - start) * 1000
            ok = response.status_code == 200
            if not ok:
                response.failure(f"{response.status_code} for {url}")
            queries = int(response.headers.get("X-Bench-Queries") or -1)
            db_ms = float(response.headers.get("X-Bench-DB-Ms") or 0)
            _RECORDS.append((start, elapsed, queries, ok, db_ms))


@events.quitting.add_listener
def _write(environment, **_kwargs):
    with open(os.environ["BENCH_OUT"], "w") as handle:
        json.dump(_RECORDS, handle)
