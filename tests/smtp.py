"""A real SMTP server for tests: mail leaves Django over SMTP and lands here."""

from __future__ import annotations

import email
import socket
import threading
import time
from email.message import Message
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        if self.sink.refuse:
            return "451 Try again later"
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 OK"


class SmtpSink:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Message] = []
        self.lock = threading.Lock()
        self.refuse = False
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
        self.refuse = False

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if address in (m["To"] or "")]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)


def body_text(message: Message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""
