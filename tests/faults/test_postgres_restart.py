"""PostgreSQL restarted under load: requests in flight fail cleanly (a 503 that asks to
try again, never a hang or a bare 500), and the next ones succeed."""

from __future__ import annotations

import subprocess
import time

import pytest
from django.db import connection
from django.urls import reverse

from .http import Load, session_cookie
from .services import PG_BIN, Gunicorn, PostgresServer

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def copy_database(target: PostgresServer, name: str) -> None:
    """The test database (world and sessions included) into the private server."""
    source = connection.settings_dict
    subprocess.run(
        [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(target.port), "-U", "postgres",
         "-q", "-c", f"CREATE DATABASE {name}"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    dump = subprocess.run(
        [str(PG_BIN / "pg_dump"), "-h", source["HOST"] or "127.0.0.1",
         "-p", str(source["PORT"] or 5432), "-U", source["USER"] or "postgres",
         "--no-owner", "--no-privileges", source["NAME"]],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    subprocess.run(
        [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(target.port), "-U", "postgres",
         "-q", "-v", "ON_ERROR_STOP=1", "-d", name],
        input=dump.stdout, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def private_postgres():
    server = PostgresServer().init().start()
    yield server
    server.stop()


def test_a_postgres_restart_under_load_fails_requests_cleanly_and_the_next_ones_succeed(
    world, private_postgres
):
    staff = [world.users["staff"], world.users["ambassador"]]
    cookies = [session_cookie(user) for user in staff]
    copy_database(private_postgres, "portal")
    server = Gunicorn(
        workers=2,
        threads=4,
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=private_postgres.url("portal"),
    ).start()
    paths = ["/", reverse("institutions:detail", args=[world.institution.pk])]
    load = Load(server.port, [(cookie, paths) for cookie in cookies * 3], timeout=30)
    try:
        load.start()
        time.sleep(2)
        began = time.monotonic()
        private_postgres.restart()
        ended = time.monotonic()
        time.sleep(4)
        answers = load.stop()
    finally:
        load.stop()
        server.stop()

    statuses = {a.status for a in answers}
    assert statuses <= {200, 503}, (
        sorted(statuses),
        [a for a in answers if a.status not in (200, 503)][:3],
        server.output()[-3000:],
    )
    for failed in (a for a in answers if a.status == 503):
        assert failed.retry_after == "5"
        assert "Prøv igen om lidt" in failed.body.decode()
    before = [a for a in answers if a.at + a.seconds < began]
    after = [a for a in answers if a.at > ended + 1]
    assert before and all(a.status == 200 for a in before)
    assert len(after) >= 10, len(after)
    assert all(a.status == 200 for a in after), [a.status for a in after]
