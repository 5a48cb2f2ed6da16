"""A worker killed in the middle of a task: the task runs again on another worker and the
recipient gets one e-mail, not two."""

from __future__ import annotations

import time

import pytest

from core.models import Notification
from core.notify import notify
from tests.factories import UserFactory

from .services import Worker, wait_until
from .smtp import HoldingSink

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def holding_sink():
    sink = HoldingSink()
    sink.start()
    yield sink
    sink.released.set()
    sink.stop()


def test_a_worker_killed_while_sending_leaves_the_task_to_the_next_worker_and_one_mail_arrives(
    on_redis, holding_sink
):
    person = UserFactory(email="mette@example.org")
    (notification,) = notify(
        recipients=[person],
        kind="tests.greeting",
        template="tests/notifications/greeting",
        key="killed",
    )
    first = Worker(on_redis.url, holding_sink.port).start()
    try:
        assert holding_sink.holding.wait(60), first.output()
        first.kill()  # SIGKILL mid-conversation with the mail server: no ack, no cleanup
    finally:
        first.kill()
    holding_sink.released.set()
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert holding_sink.messages == []

    second = Worker(on_redis.url, holding_sink.port).start()
    try:
        messages = holding_sink.wait_for(1, timeout=60)
        assert [m["To"] for m in messages] == ["mette@example.org"], second.output()
        assert wait_until(lambda: Notification.objects.get(pk=notification.pk).emailed_at)
        time.sleep(4)  # two more visibility timeouts: the task is not handed out again
        assert len(holding_sink.messages) == 1
        assert "messaging.send_notification_email" in second.output()
    finally:
        second.stop()
