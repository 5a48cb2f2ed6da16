"""Two workers at once, against PostgreSQL: an e-mail is sent once, a post is delivered
once per guardian, and "answered by" follows the last reply."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from core import notifications
from core.models import Notification
from core.notify import notify
from messaging import services
from messaging.models import Post, PostDelivery
from tests.conftest import build_world
from tests.factories import UserFactory
from tests.messaging.helpers import build_family

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    """Run the calls in threads that start together; return their results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_workers_sending_the_same_email_send_it_once(mailbox):
    person = UserFactory(email="mette@example.org")
    (notification,) = notify(
        recipients=[person],
        kind="messaging.message",
        template="tests/notifications/greeting",
        context={},
        key="once",
        email=False,
    )
    Notification.objects.filter(pk=notification.pk).update(send_email=True)
    connection.close()

    results = at_once(
        lambda: notifications.notification_email_send(notification_id=notification.pk),
        lambda: notifications.notification_email_send(notification_id=notification.pk),
    )

    assert sorted(results) == [False, True]
    mailbox.wait_for(2, timeout=0.5)
    assert len(mailbox.to("mette@example.org")) == 1


def test_two_workers_publishing_one_post_deliver_it_once_per_guardian():
    world = build_world()
    family = build_family(world)
    post = Post.objects.create(
        municipality=family.daycare.municipality,
        institution=family.daycare,
        audience=Post.Audience.INSTITUTION,
        author=family.staff,
        kind=Post.Kind.PRACTICAL,
        title="Til alle",
        body="<p>Hej</p>",
        publish_at=timezone.now(),
    )
    connection.close()

    results = at_once(
        lambda: services.post_publish(post_id=post.pk),
        lambda: services.post_publish(post_id=post.pk),
    )

    assert sorted(results) == [0, 2]
    assert PostDelivery.objects.filter(post=post).count() == 2
    assert Notification.objects.filter(key=f"post-{post.pk}").count() == 2


def test_two_staff_answering_at_once_both_messages_are_kept():
    world = build_world()
    family = build_family(world)
    thread = services.thread_start(
        guardian=family.guardian, child=family.alma, to="group", subject="Syg", body="Feber"
    )
    connection.close()

    results = at_once(
        lambda: services.message_reply(author=family.staff, thread=thread, body="Svar 1"),
        lambda: services.message_reply(author=family.colleague, thread=thread, body="Svar 2"),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    thread.refresh_from_db()
    assert thread.messages.count() == 3
    last = thread.messages.order_by("-created_at", "-id").first()
    assert thread.answered_by_id == last.author_id
