"""The notification e-mail sent by a real Celery worker, through Redis, to the SMTP sink."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from celery.signals import before_task_publish, task_retry
from django.utils import timezone

from core.models import Notification
from core.notify import notify
from tests.factories import UserFactory
from tests.smtp import body_text
from tests.worker import tasks_through_redis
from tests.worker import worker as celery_worker

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    """A Celery worker in a thread, fed through the test Redis on a queue of its own."""
    with tasks_through_redis() as queue, celery_worker(queue) as w:
        yield w


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
