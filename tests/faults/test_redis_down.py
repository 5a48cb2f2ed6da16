"""Redis down: pages still answer, and what should have been queued waits in PostgreSQL
(the outbox) until Redis is back, then goes out. Nothing is lost, nothing sent twice."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from core.notify import notify
from institutions.models import Invitation
from outbox.models import OutboxMessage
from tests.factories import UserFactory

from .services import Worker, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def queued_in_redis(server) -> list[str]:
    """The names of the tasks waiting in Redis's default queue."""
    return [json.loads(raw)["headers"]["task"] for raw in server.client().lrange("celery", 0, -1)]


def test_pages_answer_while_redis_is_down_and_the_invitation_is_sent_once_it_is_back(
    on_redis, world, client, mailbox, settings
):
    leader = world.users["leader"]
    client.force_login(leader)
    institution = world.institution
    on_redis.stop()

    for name in ("home", "institutions:detail", "institutions:people", "institutions:invite"):
        args = [] if name == "home" else [institution.pk]
        assert client.get(reverse(name, args=args)).status_code == 200, name
    response = client.post(
        reverse("institutions:invite", args=[institution.pk]),
        {"name": "Ida Hansen", "email": "ida@example.org", "role": "staff", "language": "da"},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="ida@example.org").exists()
    people = [UserFactory(email=f"forælder{i}@example.org") for i in range(3)]
    notify(
        recipients=people,
        kind="tests.greeting",
        template="tests/notifications/greeting",
        key="outage",
    )
    waiting = list(OutboxMessage.objects.values_list("task", flat=True))
    assert sorted(waiting) == [
        "institutions.send_invitation_email",
        *["messaging.send_notification_email"] * 3,
    ]
    health = client.get(reverse("healthz"))
    assert health.status_code == 503 and health.json()["down"] == ["redis"]
    time.sleep(0.5)
    assert mailbox.messages == []

    on_redis.start()
    worker = Worker(on_redis.url, mailbox.port).start()
    try:
        # What beat does every minute once Redis answers: relay the outbox.
        from outbox.tasks import relay_outbox

        relay_outbox.apply_async(retry=False)
        messages = mailbox.wait_for(4, timeout=30)
        assert sorted(m["To"] for m in messages) == sorted(
            ["ida@example.org", *[p.email for p in people]]
        ), worker.output()
        assert wait_until(lambda: not OutboxMessage.objects.exists())
        time.sleep(1)
        assert len(mailbox.messages) == 4
    finally:
        worker.stop()


def test_a_task_queued_in_a_rolled_back_transaction_never_reaches_the_outbox(on_redis):
    from django.db import transaction

    from core.queue import enqueue
    from core.tasks import send_notification_email

    with transaction.atomic():
        enqueue(send_notification_email, 1)
        assert OutboxMessage.objects.count() == 1
        transaction.set_rollback(True)

    assert not OutboxMessage.objects.exists()
    assert queued_in_redis(on_redis) == []


def test_with_redis_up_the_task_goes_straight_to_redis_and_leaves_no_row(on_redis):
    from core.queue import enqueue
    from core.tasks import send_notification_email

    enqueue(send_notification_email, 7)

    assert queued_in_redis(on_redis) == ["messaging.send_notification_email"]
    assert not OutboxMessage.objects.exists()


def test_the_first_task_queued_after_redis_returns_brings_the_waiting_ones_along(on_redis):
    from core.queue import enqueue
    from core.tasks import send_notification_email

    on_redis.stop()
    enqueue(send_notification_email, 1)
    enqueue(send_notification_email, 2)
    assert OutboxMessage.objects.count() == 2

    on_redis.start()
    enqueue(send_notification_email, 3)

    assert not OutboxMessage.objects.exists()
    waiting = [json.loads(raw) for raw in on_redis.client().lrange("celery", 0, -1)]
    assert sorted(json.loads(__import__("base64").b64decode(m["body"]))[0][0] for m in waiting) == [
        1,
        2,
        3,
    ]
