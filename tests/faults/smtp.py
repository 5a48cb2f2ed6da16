"""SMTP servers that misbehave on purpose: one that holds a delivery mid-conversation,
one that can be switched off and on again on the same port."""

from __future__ import annotations

import asyncio
import threading

from aiosmtpd.controller import Controller

from tests.smtp import SmtpSink, _Handler


class _HoldingHandler(_Handler):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        sink = self.sink
        if sink.hold_next:
            sink.hold_next = False
            sink.holding.set()
            # Keep the sender waiting for the answer to RCPT TO until released.
            while not sink.released.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"


class HoldingSink(SmtpSink):
    """Delivers mail like the test sink, but holds the next delivery at RCPT TO."""

    def __init__(self) -> None:
        super().__init__()
        self.hold_next = True
        self.holding = threading.Event()
        self.released = threading.Event()
        self.controller = Controller(_HoldingHandler(self), hostname="127.0.0.1", port=self.port)


class SwitchableSink(SmtpSink):
    """A sink that can go down (its port refuses connections) and come back."""

    def __init__(self) -> None:
        super().__init__()
        self.running = False

    def start(self) -> None:
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False
