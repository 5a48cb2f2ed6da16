"""Plain HTTP against a running server, from many threads, with the answers recorded."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client


def session_cookie(user) -> str:
    """A session cookie for `user`, valid for any server on the same database."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@dataclass
class Answer:
    at: float
    path: str
    status: int  # 0: no HTTP answer at all (reset, timeout)
    seconds: float
    body: bytes = b""
    retry_after: str = ""


@dataclass
class Load:
    """Threads that each ask for their paths in turn, until stopped."""

    port: int
    users: list[tuple[str, list[str]]]  # (cookie, paths) per simulated person
    timeout: float = 30.0
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._run, args=(cookie, paths), daemon=True)
            for cookie, paths in self.users
        ]

    def get(self, path: str, cookie: str) -> Answer:
        start = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = connection.getresponse()
            body = response.read()
            return Answer(
                start,
                path,
                response.status,
                time.monotonic() - start,
                body if response.status >= 400 else b"",
                response.getheader("Retry-After") or "",
            )
        except OSError as exc:
            return Answer(start, path, 0, time.monotonic() - start, repr(exc).encode())
        finally:
            connection.close()

    def _run(self, cookie: str, paths: list[str]) -> None:
        turn = 0
        while not self._stop.is_set():
            answer = self.get(paths[turn % len(paths)], cookie)
            turn += 1
            with self._lock:
                self.answers.append(answer)

    def start(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> list[Answer]:
        self._stop.set()
        for thread in self._threads:
            thread.join(self.timeout + 5)
        return self.answers


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0
