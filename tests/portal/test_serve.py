"""`make run` (manage.py serve) runs what production runs: the web server, a Celery worker
with beat on a real Redis (the embedded one when no REDIS_URL is set) and a local mailbox
a developer reads in the browser; Ctrl-C stops every part."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from institutions.models import Invitation
from tests.faults.services import database_url, wait_until
from tests.smtp import free_port

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


class Serve:
    def __init__(self, port: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        for name in ("REDIS_URL", "EMAIL_HOST", "EMAIL_BACKEND", "PORTAL_BASE_URL"):
            env.pop(name, None)
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings.development",
            DATABASE_URL=database_url(connection.settings_dict),
            PYTHONUNBUFFERED="1",
        )
        self.output: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    def read(self) -> str:
        return "".join(self.output)

    def find(self, pattern: str) -> str | None:
        match = re.search(pattern, self.read())
        return match.group(1) if match else None

    def interrupt(self) -> int:
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(30)


def descendants(pid: int) -> dict[int, str]:
    """Every process under `pid`: its children, theirs and so on."""
    found = subprocess.run(
        ["ps", "-ww", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True
    )
    result = {}
    for line in found.stdout.decode().splitlines():
        child, _, args = line.strip().partition(" ")
        result[int(child)] = args
        result.update(descendants(int(child)))
    return result


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended; it only waits for its parent to read its exit code.
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True)
    return not state.stdout.decode().strip().startswith("Z")


def test_serve_runs_web_worker_beat_redis_and_a_mailbox_and_ctrl_c_stops_them_all(world):
    port = free_port()
    serve = Serve(port)
    parts: dict[int, str] = {}
    mailbox = ""
    try:
        assert wait_until(lambda: serve.find(r"The portal: (\S+)"), timeout=90), serve.read()
        redis_url = serve.find(r"Redis \(embedded\): (\S+)")
        mailbox = serve.find(r"E-mail sent by the portal: (\S+)")
        assert redis_url and mailbox, serve.read()
        assert wait_until(lambda: "celery@" in serve.read() and " ready." in serve.read(), 60)

        # The web server sends a password reset; the mailbox shows it.
        jar = CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: _answers(f"{base}/healthz"), timeout=60), serve.read()
        form = browser.open(f"{base}/konto/password/reset/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.read().decode())
        guardian = world.users["guardian"]
        fields = {"csrfmiddlewaretoken": token.group(1), "email": guardian.email}
        reset = urllib.request.Request(  # noqa: S310 (the portal on loopback)
            form.geturl(),
            data=urlencode(fields).encode(),
            headers={"Referer": form.geturl()},
        )
        browser.open(reset)

        # The worker takes a task from the embedded Redis and its e-mail reaches the mailbox.
        invitation = Invitation.objects.create(
            email="ny.medarbejder@example.org",
            name="Ny Medarbejder",
            municipality=world.municipality,
            institution=world.institution,
            role="staff",
            expires_at=timezone.now() + timedelta(days=14),
        )
        sender = Celery(broker=redis_url)
        sender.send_task("institutions.send_invitation_email", args=[invitation.pk])

        def mail_to(address):
            mails = json.load(urllib.request.urlopen(f"{mailbox}api/email"))  # noqa: S310
            return [m for m in mails if any(t["address"] == address for t in m["to"])]

        assert wait_until(lambda: mail_to(guardian.email), timeout=30), serve.read()
        assert wait_until(lambda: mail_to(invitation.email), timeout=60), serve.read()
        assert re.search(r"Dagtilbudsportalen", mail_to(invitation.email)[0]["subject"])
        # The worker notes the sending just after the mail server has taken the e-mail.
        assert wait_until(lambda: Invitation.objects.get(pk=invitation.pk).sent_at, timeout=15)

        # Beat runs in the worker: its schedule is being sent.
        assert wait_until(lambda: "beat: Starting" in serve.read(), timeout=30), serve.read()
        parts = descendants(serve.process.pid)
        commands = " ".join(parts.values())
        for part in ("redis-server", "maildev", "celery -A portal worker --beat", "runserver"):
            assert part in commands, parts
    finally:
        code = serve.interrupt() if serve.process.poll() is None else serve.process.returncode

    assert code == 0, serve.read()
    assert [args for pid, args in parts.items() if alive(pid)] == []
    assert not _answers(f"http://127.0.0.1:{port}/healthz")
    assert not mailbox or not _answers(mailbox)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback)
    except OSError:
        return False
    return True
