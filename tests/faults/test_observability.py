"""What an operator sees: a request id on every response and log line, carried with the
user and municipality ids into the worker through the outbox and the broker; JSON lines
without personal data; readiness that knows whether a worker and beat are alive; the
health checks the worker and beat containers run."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse

from core import health
from core.observability import JsonFormatter, bind, unbind
from outbox.models import OutboxMessage
from tests.factories import UserFactory

from .http import session_cookie
from .services import Gunicorn, Worker, database_url, wait_until
from .smtp import SwitchableSink

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_each_response_carries_a_request_id_and_a_proxys_valid_one_is_kept(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21-0001"})
    assert kept["X-Request-ID"] == "lb-7f3a9c21-0001"
    replaced = client.get("/healthz", headers={"X-Request-ID": "<script>"})["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


def test_log_lines_carry_request_user_and_municipality_but_no_personal_data(client, world, caplog):
    staff = world.users["staff"]
    client.force_login(staff)
    path = reverse("institutions:detail", args=[world.institution.pk])
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        response = client.get(path, {"q": "Alma"})
    (record,) = [r for r in caplog.records if getattr(r, "path", "") == path]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == staff.pk
    assert line["municipality_id"] == world.municipality.pk
    assert line["status"] == 200 and line["method"] == "GET"
    text = JsonFormatter().format(record)
    assert staff.email not in text and staff.name not in text
    assert "Alma" not in text  # the query string is never logged


@pytest.fixture
def sink():
    server = SwitchableSink()
    server.start()
    yield server
    server.stop()


def test_a_request_id_follows_a_task_through_the_outbox_and_the_broker_into_the_worker(
    on_redis, sink
):
    """Published at commit (request A), and left in the outbox for the relay (request B,
    as when Redis was down at commit): the worker's lines for each carry its own id."""
    from core.notify import notify
    from core.tasks import send_notification_email
    from outbox.relay import relay

    person = UserFactory(email="sofie@example.org")
    tokens = bind(request_id="req-a-0123456789abcdef", user_id=person.pk)
    try:
        with transaction.atomic():
            (notification,) = notify(
                recipients=[person],
                kind="tests.greeting",
                template="tests/notifications/greeting",
                key="observed",
            )
    finally:
        unbind(tokens)
    tokens = bind(request_id="req-b-0123456789abcdef")
    try:
        waiting = OutboxMessage.objects.create(
            task=send_notification_email.name, args=[notification.pk], kwargs={}, attempts=1
        )
    finally:
        unbind(tokens)
    assert waiting.request_id == "req-b-0123456789abcdef"

    worker = Worker(on_redis.url, sink.port, LOG_FORMAT="json", LOG_LEVEL="INFO").start()
    try:
        assert relay(grace=timedelta(0)) == 1
        assert sink.wait_for(1, timeout=60), worker.output()

        def task_lines():
            lines = [json.loads(x) for x in worker.output().splitlines() if x.startswith("{")]
            return [x for x in lines if x.get("task") == send_notification_email.name]

        assert wait_until(lambda: len(task_lines()) >= 2, timeout=30), worker.output()
    finally:
        worker.stop()
    lines = task_lines()
    assert {x["request_id"] for x in lines} == {"req-a-0123456789abcdef", "req-b-0123456789abcdef"}
    assert any(x.get("user_id") == person.pk for x in lines)
    assert "sofie@example.org" not in worker.output()
    assert len(sink.messages) == 1  # the task is idempotent: one e-mail


def test_production_writes_json_lines_with_the_request_id(world):
    staff = world.users["staff"]
    cookie = session_cookie(staff)
    server = Gunicorn(
        workers=1,
        threads=2,
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=database_url(connection.settings_dict),
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
    ).start()
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.port}/", headers={"Cookie": cookie}
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            rid = response.headers["X-Request-ID"]
        assert wait_until(lambda: rid in server.output(), timeout=10)
    finally:
        server.stop()
    lines = [json.loads(x) for x in server.output().splitlines() if x.startswith("{")]
    (line,) = [x for x in lines if x.get("request_id") == rid and x.get("path") == "/"]
    assert line["user_id"] == staff.pk and line["status"] == 200
    assert staff.email not in server.output()


def test_readiness_names_a_missing_worker_and_beat_and_is_ready_when_they_beat(on_redis, client):
    health._redis().flushdb()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["beat", "worker"]
    with pytest.raises(CommandError, match="No heartbeat"):
        call_command("health", "worker", hostname="celery@node-1")

    health.beat_now(health.WORKER_KEY + "celery@node-1")
    health.beat_now(health.BEAT_KEY)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker"]["fresh"] == 1
    call_command("health", "worker", hostname="celery@node-1")
    call_command("health", "beat")


def test_readiness_names_an_outbox_that_has_waited_too_long(on_redis, client):
    from django.utils import timezone

    health.beat_now(health.WORKER_KEY + "celery@node-1")
    health.beat_now(health.BEAT_KEY)
    OutboxMessage.objects.create(
        task="messaging.send_notification_email",
        args=[1],
        created_at=timezone.now() - timedelta(minutes=10),
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["outbox"]
    assert response.json()["checks"]["outbox"]["oldest_seconds"] >= 600


def test_a_real_worker_and_beat_report_their_heartbeats(on_redis, sink):
    worker = Worker(on_redis.url, sink.port).start()
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO",
         f"--schedule={settings.BASE_DIR}/var/test-beat-schedule-{on_redis.port}"],
        cwd=settings.BASE_DIR, env=worker.env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert wait_until(
            lambda: (
                {"beat"} <= set(health.last_beats())
                and any(k.startswith("worker:") for k in health.last_beats())
            ),
            timeout=60,
        ), (health.last_beats(), worker.output())
    finally:
        beat.terminate()
        beat.wait(15)
        worker.stop()


class Collector:
    """An HTTP endpoint on loopback that keeps what is posted to it (an error tracker's
    envelope endpoint, an OpenTelemetry collector's /v1/traces)."""

    def __init__(self) -> None:
        import http.server
        import threading

        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding")
                if encoding == "gzip":
                    import gzip

                    body = gzip.decompress(body)
                elif encoding == "br":
                    import brotli

                    body = brotli.decompress(body)
                received.append((self.path, body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def collector():
    server = Collector()
    yield server
    server.stop()


def test_error_tracking_is_switched_on_by_sentry_dsn_and_sends_nothing_personal(collector):
    from tests.faults.services import _env

    run = subprocess.run(
        [sys.executable, "manage.py", "check_error_tracking"],
        cwd=settings.BASE_DIR,
        env=_env(
            DJANGO_SETTINGS_MODULE="portal.settings.test",
            SENTRY_DSN=f"http://publickey@127.0.0.1:{collector.port}/1",
        ),
        capture_output=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert collector.received, "no event arrived"
    path, body = collector.received[0]
    assert path == "/api/1/envelope/"
    assert b"test event from the operator" in body

    off = subprocess.run(
        [sys.executable, "manage.py", "check_error_tracking"],
        cwd=settings.BASE_DIR,
        env=_env(DJANGO_SETTINGS_MODULE="portal.settings.test", SENTRY_DSN=""),
        capture_output=True,
        timeout=60,
    )
    assert off.returncode == 1 and b"SENTRY_DSN is not set" in off.stderr


def test_an_error_report_holds_the_user_id_only_and_no_cookies_headers_or_form_data():
    from core.observability import _scrub

    tokens = bind(request_id="req-c-0123456789abcdef", municipality_id=7)
    try:
        event = _scrub(
            {
                "request": {
                    "url": "https://portal.example/boern/12/",
                    "cookies": {"sessionid": "secret"},
                    "headers": {"Cookie": "sessionid=secret"},
                    "data": {"cpr": "010203-1234"},
                    "query_string": "q=Alma",
                },
                "user": {"id": 42, "email": "mette@example.org", "username": "Mette"},
            },
            None,
        )
    finally:
        unbind(tokens)
    assert event["request"] == {"url": "https://portal.example/boern/12/"}
    assert event["user"] == {"id": 42}
    assert event["tags"] == {"request_id": "req-c-0123456789abcdef", "municipality_id": 7}


def test_traces_of_requests_and_sql_go_to_the_collector_when_switched_on(world, collector):
    staff = world.users["staff"]
    cookie = session_cookie(staff)
    server = Gunicorn(
        workers=1,
        threads=2,
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=database_url(connection.settings_dict),
        OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{collector.port}",
        OTEL_BSP_SCHEDULE_DELAY="200",
    ).start()
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.port}/", headers={"Cookie": cookie}
        )
        urllib.request.urlopen(request, timeout=30).close()  # noqa: S310
        assert wait_until(lambda: collector.received, timeout=20), server.output()[-2000:]
    finally:
        server.stop()
    paths = {path for path, _body in collector.received}
    body = b"".join(body for _path, body in collector.received)
    assert paths == {"/v1/traces"}
    assert b"dagtilbudsportalen-web" in body  # the service
    assert b"GET" in body and b"SELECT" in body  # the request and its queries
    assert staff.email.encode() not in body
