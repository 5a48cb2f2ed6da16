"""Query-count regression tests for the benchmark's pages: each page in a fixed number of
SQL queries (at most 15), the same at two sizes of generated data.

The pages and the people who ask for them are the benchmark's own (bench/targets.py), so
a page added there is counted here too.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.middleware import TWO_FACTOR_OK_KEY
from accounts.models import User
from bench.generate import SCALES, generate
from bench.middleware import QUERIES_HEADER
from bench.targets import pick_pages

pytestmark = pytest.mark.django_db

BUDGET = 15
SMALL = SCALES["tiny"]
LARGER = dataclasses.replace(
    SMALL, name="tiny-larger", institutions=10, homes=8, children=400, institution_posts=20
)
# The baseline page exists only in the benchmark's URLconf.
BENCH_ONLY = {"baseline"}


class _Rollback(Exception):
    pass


def _client(user_id: int | None) -> Client:
    client = Client()
    if user_id is not None:
        client.force_login(User.objects.get(pk=user_id))
        session = client.session
        session[TWO_FACTOR_OK_KEY] = True
        session.save()
    return client


def _measure() -> dict[str, int]:
    """The most queries any of (up to) five requests of each page took."""
    worst = {}
    for page in pick_pages():
        if page.name in BENCH_ONLY:
            continue
        for url, user_id in page.requests[:5]:
            client = _client(user_id)
            client.get(url)  # the first request of a session may touch it
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (page.name, url, response.status_code)
            worst[page.name] = max(worst.get(page.name, 0), len(queries))
    return worst


def _at(scale) -> dict[str, int]:
    result = {}
    try:
        with transaction.atomic():
            generate(scale, vacuum=False)
            result = _measure()
            raise _Rollback
    except _Rollback:
        pass
    return result


def test_every_benchmarked_page_takes_a_fixed_number_of_queries():
    small, larger = _at(SMALL), _at(LARGER)
    assert set(small) >= {
        "login",
        "feed",
        "inbox",
        "thread",
        "goal_board",
        "devices_list",
        "suitcase_calendar",
        "grant_pool",
        "dashboard",
        "search",
    }
    over = {name: count for name, count in larger.items() if count > BUDGET}
    assert not over, f"pages over {BUDGET} queries: {over}"
    assert small == larger


def test_the_benchmark_middleware_reports_the_queries_of_a_request(world, settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    client = _client(world.user("guardian").pk)
    client.get("/bench/baseline/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/baseline/")
    assert response.status_code == 200
    assert int(response.headers[QUERIES_HEADER]) == len(queries) <= BUDGET
