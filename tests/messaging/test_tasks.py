"""The notification e-mail sent by a real Celery worker, through Redis, to the SMTP sink."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish, task_postrun, task_retry
from django.conf import settings
from django.db import connections
from django.utils import timezone

from core.models import Notification
from core.notify import notify
from portal.celery import app
from tests.factories import UserFactory
from tests.smtp import body_text

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def _forget_broker_connections() -> None:
    # Eager tasks in earlier tests opened a producer pool on the old broker URL; drop it
    # (what Celery itself does after a fork) so publishing uses the broker set now.
    app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


def _close_worker_connections(**kwargs):
    # The worker thread opens its own database connection; close it after each task so
    # the test database can be flushed and dropped.
    connections.close_all()


@pytest.fixture
def worker():
    """A Celery worker in a thread, fed through the test Redis on a queue of its own."""
    broker = redis.Redis.from_url(settings.TEST_REDIS_URL)
    broker.flushdb()
    queue = f"test-{uuid.uuid4().hex}"
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    app.conf.update(broker_url=settings.TEST_REDIS_URL, task_always_eager=False)
    app.conf.task_default_queue = queue
    _forget_broker_connections()
    task_postrun.connect(_close_worker_connections)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", queues=[queue]) as w:
            yield w
    finally:
        task_postrun.disconnect(_close_worker_connections)
        app.conf.update(saved)
        _forget_broker_connections()
        broker.flushdb()


@pytest.fixture
def quick_retries():
    """Production waits 0–30 s (growing) before retrying a failed e-mail; here the retry
    is published to run 0.3 s later, so the test need not wait. Yields an event that is
    set each time the worker schedules a retry."""
    retried = threading.Event()

    def shorten(headers=None, **kwargs):
        if headers and headers.get("retries"):
            headers["eta"] = (timezone.now() + timedelta(seconds=0.3)).isoformat()

    def record(**kwargs):
        retried.set()

    before_task_publish.connect(shorten)
    task_retry.connect(record)
    yield retried
    before_task_publish.disconnect(shorten)
    task_retry.disconnect(record)


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def tell(person) -> Notification:
    (notification,) = notify(
        recipients=[person],
        kind="tests.greeting",
        template="tests/notifications/greeting",
        context={},
        url="/notifikationer/",
        key="greeting",
    )
    return notification


def emailed(notification: Notification) -> bool:
    return Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists()


def test_a_worker_sends_the_email_and_records_when(worker, mailbox):
    person = UserFactory(email="mette@example.org", language="en")

    notification = tell(person)

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "mette@example.org"
    assert "Written in en" in body_text(message)
    assert wait_until(lambda: emailed(notification))
    time.sleep(0.3)
    assert len(mailbox.messages) == 1


def test_a_refusing_mail_server_makes_the_task_retry_until_the_mail_gets_through(
    worker, mailbox, quick_retries
):
    person = UserFactory(email="mette@example.org")
    mailbox.refuse = True

    notification = tell(person)

    assert quick_retries.wait(10), "the worker did not retry"
    assert mailbox.messages == []
    assert not emailed(notification)

    mailbox.refuse = False

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "mette@example.org"
    assert wait_until(lambda: emailed(notification))
    time.sleep(0.6)  # two more retry periods: nothing is sent twice
    assert len(mailbox.messages) == 1


def test_a_permanent_refusal_is_recorded_by_the_worker_and_never_retried(
    worker, refusing_mailbox, quick_retries
):
    person = UserFactory(email="gone@example.org")

    notification = tell(person)

    assert wait_until(
        lambda: Notification.objects.filter(
            pk=notification.pk, email_failed_at__isnull=False
        ).exists()
    )
    assert not quick_retries.wait(1.0), "the worker retried a permanent refusal"
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert notification.email_error.startswith("550")
    assert notification.email_attempts == 1
