"""enqueue(): a task queued inside a transaction runs only once that transaction commits.
Services name the task (its Celery name), so they need not import the module that does it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import Notification
from core.queue import enqueue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PURGE = "messaging.purge_old_notifications"


@pytest.fixture
def old_read_notification() -> Notification:
    return Notification.objects.create(
        recipient=UserFactory(),
        kind="tests.old",
        subject="Old news",
        key="old",
        read_at=timezone.now() - timedelta(days=365),
    )


def exists(notification: Notification) -> bool:
    return Notification.objects.filter(pk=notification.pk).exists()


def test_the_task_waits_for_the_commit(old_read_notification):
    with transaction.atomic():
        enqueue(PURGE)
        assert exists(old_read_notification), "the task ran before the commit"

    assert not exists(old_read_notification)


def test_a_rolled_back_transaction_never_runs_the_task(old_read_notification):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(PURGE)
        raise RuntimeError("the work failed")

    assert exists(old_read_notification)


def test_a_savepoint_rolled_back_inside_a_committed_transaction_drops_its_task(
    old_read_notification,
):
    with transaction.atomic(), pytest.raises(RuntimeError), transaction.atomic():
        enqueue(PURGE)
        raise RuntimeError("this part failed")

    assert exists(old_read_notification)


def test_outside_a_transaction_the_task_is_sent_at_once(old_read_notification):
    enqueue(PURGE)

    assert not exists(old_read_notification)


def test_a_task_queued_by_the_task_object_runs_the_same(old_read_notification):
    from core.tasks import purge_old_notifications

    with transaction.atomic():
        enqueue(purge_old_notifications)

    assert not exists(old_read_notification)


def test_an_unknown_task_name_fails_loudly_at_the_commit():
    with pytest.raises(KeyError), transaction.atomic():
        enqueue("messaging.no_such_task")
