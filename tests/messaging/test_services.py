"""Sending a notification's e-mail once, and purging old read notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Notification
from core.notifications import notification_email_send, notifications_purge
from core.notify import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tell(person, key: str = "greeting", email: bool = False) -> Notification:
    (notification,) = notify(
        recipients=[person],
        kind="tests.greeting",
        template="tests/notifications/greeting",
        context={},
        key=key,
        email=email,
    )
    return notification


def test_an_email_is_sent_once_however_often_the_task_runs(mailbox):
    notification = tell(UserFactory(email="mette@example.org"), email=True)

    assert notification_email_send(notification_id=notification.pk) is True
    assert notification_email_send(notification_id=notification.pk) is False

    mailbox.wait_for(2, timeout=0.5)
    assert len(mailbox.to("mette@example.org")) == 1


def test_a_refused_email_is_not_recorded_as_sent_so_it_can_be_retried(mailbox):
    notification = tell(UserFactory(), email=True)
    mailbox.refuse = True

    with pytest.raises(Exception, match="Try again later"):
        notification_email_send(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_a_deleted_notification_sends_nothing(mailbox):
    notification = tell(UserFactory(), email=True)
    notification.delete()

    assert notification_email_send(notification_id=notification.pk) is False
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_a_notification_stored_without_email_is_never_mailed(mailbox):
    notification = tell(UserFactory(), email=False)

    assert notification_email_send(notification_id=notification.pk) is False
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_purge_deletes_only_notifications_read_long_ago():
    person = UserFactory()
    long_ago = timezone.now() - timedelta(days=200)
    old_read = tell(person, "old-read")
    old_unread = tell(person, "old-unread")
    recently_read = tell(person, "recent-read")
    Notification.objects.filter(pk=old_read.pk).update(read_at=long_ago)
    Notification.objects.filter(pk=recently_read.pk).update(
        read_at=timezone.now() - timedelta(days=10)
    )

    assert notifications_purge(older_than_days=180) == 1

    remaining = set(Notification.objects.values_list("pk", flat=True))
    assert remaining == {old_unread.pk, recently_read.pk}
