"""SQL queries per request, for the benchmark only (settings: PORTAL_BENCH=1).

Outermost in MIDDLEWARE, so it counts every query a request makes (session, user, the
view, the templates). The counts go back in response headers, which the load generator
collects per page:

    X-Bench-Queries: 7
    X-Bench-DB-Ms: 3.2
"""

from __future__ import annotations

import time

from django.db import connections

QUERIES_HEADER = "X-Bench-Queries"
DB_TIME_HEADER = "X-Bench-DB-Ms"


class _Counter:
    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        wrappers = [connection.execute_wrapper(counter) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response.headers[QUERIES_HEADER] = str(counter.queries)
        response.headers[DB_TIME_HEADER] = f"{counter.seconds * 1000:.1f}"
        return response
