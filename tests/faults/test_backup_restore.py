"""Backups restore to a point in time (scripts/backup, docs/operations.md): the portal's
database on a private PostgreSQL with WAL archived by pgBackRest, the uploaded files in a
restic repository. Back up, write more, restore to a moment between, and find the rows and
files as they were at that moment."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from .services import PG_BIN, PG_USER, PostgresServer
from .test_postgres_restart import copy_database

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BACKUP = str(ROOT / "scripts" / "backup")


def _pgbackrest_supports(major: int) -> bool:
    if not shutil.which("pgbackrest"):
        return False
    found = subprocess.run(["pgbackrest", "version"], capture_output=True, text=True).stdout
    version = tuple(int(n) for n in re.findall(r"\d+", found)[:2])
    # 2.45 (Debian 12) knows PostgreSQL up to 15; 2.46 added 16, 2.53 17, 2.56 18.
    newest = (
        15 if version < (2, 46) else 16 if version < (2, 53) else 17 if version < (2, 56) else 18
    )
    return major <= newest


def _major() -> int:
    found = subprocess.run([str(PG_BIN / "postgres"), "--version"], capture_output=True, text=True)
    return int(re.search(r"(\d+)\.", found.stdout).group(1))


MAJOR = _major()


def _as_postgres(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", PG_USER, "--", "env", *[f"{k}={v}" for k, v in env.items()], *args]
        env = None
    else:
        env = {**os.environ, **env}
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, **kwargs)


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, (result.args, result.stdout[-2000:], result.stderr[-2000:])
    return result.stdout


@pytest.fixture
def archived_postgres():
    """A private PostgreSQL whose WAL pgBackRest archives into a repository of its own."""
    server = PostgresServer().init()
    folder = server.folder
    repository = folder / "repository"
    for path in (repository, folder / "pgbackrest"):
        path.mkdir()
        if os.geteuid() == 0:
            shutil.chown(path, PG_USER, PG_USER)
    # As on a database host: one configuration file (deploy/pgbackrest.conf is the example).
    config = folder / "pgbackrest" / "pgbackrest.conf"
    config.write_text(
        "[global]\n"
        f"repo1-path={repository}\n"
        f"log-path={folder / 'pgbackrest'}\n"
        f"lock-path={folder / 'pgbackrest'}\n"
        "start-fast=y\narchive-timeout=60\n"
        "[portal]\n"
        f"pg1-path={server.data}\npg1-port={server.port}\npg1-socket-path={folder}\n"
    )
    env = {"PATH": os.environ["PATH"], "PGBACKREST_CONFIG": str(config)}
    with open(server.data / "postgresql.auto.conf", "a") as conf:
        conf.write(
            "wal_level = replica\narchive_mode = on\n"
            f"archive_command = 'pgbackrest --config={config} --stanza=portal archive-push %p'\n"
        )
    server.start()
    server.backup_env = env
    yield server
    server.stop()


def _connect(server: PostgresServer) -> psycopg.Connection:
    return psycopg.connect(server.url("portal"), autocommit=True)


def _municipality_name(server: PostgresServer, pk: int) -> str:
    with _connect(server) as db:
        return db.execute(
            "SELECT name FROM institutions_municipality WHERE id = %s", [pk]
        ).fetchone()[0]


@pytest.mark.skipif(
    not _pgbackrest_supports(MAJOR),
    reason=f"pgBackRest on this machine does not know PostgreSQL {MAJOR} "
    "(scripts/debian-packages test installs Debian's; it knows up to 15)",
)
def test_the_database_restores_to_a_point_in_time_with_the_rows_of_that_moment(
    world, archived_postgres
):
    server, env = archived_postgres, archived_postgres.backup_env
    copy_database(server, "portal")
    municipality = world.municipality.pk
    _ok(_as_postgres([BACKUP, "database", "full"], env))
    time.sleep(1.5)  # pgBackRest keeps the backup's stop time in whole seconds

    with _connect(server) as db:
        db.execute("UPDATE institutions_municipality SET name = 'Efter backup' WHERE id = %s",
                   [municipality])  # fmt: skip
        moment = db.execute("SELECT clock_timestamp()").fetchone()[0]
        time.sleep(1.5)
        db.execute("UPDATE institutions_municipality SET name = 'For sent' WHERE id = %s",
                   [municipality])  # fmt: skip
        children_before = db.execute("SELECT count(*) FROM institutions_child").fetchone()[0]
        db.execute("DELETE FROM institutions_guardianship")
        db.execute("SELECT pg_switch_wal()")
    # The WAL with the late writes is in the repository before the server goes.
    _ok(_as_postgres(["pgbackrest", "--stanza=portal", "check"], env))
    assert _municipality_name(server, municipality) == "For sent"

    server._run(str(PG_BIN / "pg_ctl"), "-D", str(server.data), "-m", "fast", "-w", "stop")
    restored = _as_postgres([BACKUP, "restore-database", moment.isoformat(sep=" ")], env)
    info = _as_postgres(["pgbackrest", "--stanza=portal", "info"], env).stdout
    assert restored.returncode == 0, (restored.stderr, info)
    try:
        server.start()
    except subprocess.CalledProcessError:
        pytest.fail((server.folder / "log").read_text()[-3000:])
    deadline = time.monotonic() + 60
    while True:
        with _connect(server) as db:
            if not db.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                break
        assert time.monotonic() < deadline, "recovery did not end"
        time.sleep(0.5)

    assert _municipality_name(server, municipality) == "Efter backup"
    with _connect(server) as db:
        assert (
            db.execute("SELECT count(*) FROM institutions_child").fetchone()[0] == children_before
        )
        assert db.execute("SELECT count(*) FROM institutions_guardianship").fetchone()[0] > 0
        # The restored server takes writes again.
        db.execute("UPDATE institutions_municipality SET name = 'Igen' WHERE id = %s",
                   [municipality])  # fmt: skip


@pytest.mark.skipif(not shutil.which("restic"), reason="restic is not installed")
def test_the_uploaded_files_restore_as_they_were_at_a_point_in_time(tmp_path):
    media = tmp_path / "media"
    (media / "kvitteringer").mkdir(parents=True)
    env = {
        **os.environ,
        "MEDIA_ROOT": str(media),
        "RESTIC_REPOSITORY": str(tmp_path / "repository"),
        "RESTIC_PASSWORD": "test-only-password",
    }
    receipt = media / "kvitteringer" / "bilag-1.pdf"
    receipt.write_bytes(b"%PDF-1.4 the first receipt")
    run = lambda *args: _ok(subprocess.run(  # noqa: E731
        [BACKUP, *args], env=env, capture_output=True, text=True, timeout=120
    ))  # fmt: skip
    run("files")
    time.sleep(1.5)
    moment = datetime.now(UTC).isoformat(sep=" ")
    time.sleep(1.5)
    receipt.write_bytes(b"%PDF-1.4 overwritten later")
    (media / "kvitteringer" / "bilag-2.pdf").write_bytes(b"%PDF-1.4 a later receipt")
    run("files")

    restored = Path(tempfile.mkdtemp(dir=tmp_path))
    run("restore-files", moment, str(restored))
    found = restored / str(media).lstrip("/") / "kvitteringer"
    assert sorted(p.name for p in found.iterdir()) == ["bilag-1.pdf"]
    assert (found / "bilag-1.pdf").read_bytes() == b"%PDF-1.4 the first receipt"
