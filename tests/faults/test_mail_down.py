"""The mail server down for a while: e-mails are retried with growing pauses and every
one arrives, once, when it is back."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish, task_postrun
from django.db import connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.models import Notification
from core.notify import notify
from core.tasks import send_notification_email
from portal.celery import app
from tests.factories import UserFactory

from .services import wait_until
from .smtp import SwitchableSink

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_server(settings):
    sink = SwitchableSink()
    settings.EMAIL_PORT = sink.port
    yield sink
    sink.stop()


@pytest.fixture
def retries():
    """Records the pause Celery chose before each retry, then shortens it to 0.2 s so the
    test need not wait out production's back-off (30 s, doubling, up to 30 min)."""
    pauses: list[float] = []
    lock = threading.Lock()

    def shorten(headers=None, **kwargs):
        if headers and headers.get("retries") and headers.get("eta"):
            pause = (parse_datetime(headers["eta"]) - timezone.now()).total_seconds()
            with lock:
                pauses.append(pause)
            headers["eta"] = (timezone.now() + timedelta(seconds=0.2)).isoformat()

    def close(**kwargs):
        connections.close_all()

    before_task_publish.connect(shorten)
    task_postrun.connect(close)
    yield pauses
    before_task_publish.disconnect(shorten)
    task_postrun.disconnect(close)


def test_mails_wait_out_a_mail_server_outage_with_back_off_and_all_arrive_once(
    on_redis, mail_server, retries
):
    people = [UserFactory(email=f"person{i}@example.org") for i in range(3)]
    queue = "faults-mail"
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", queues=[queue]):
            notify(
                recipients=people,
                kind="tests.greeting",
                template="tests/notifications/greeting",
                key="outage",
            )
            # Down: every attempt is refused at the door; each is retried after a pause.
            assert wait_until(lambda: len(retries) >= 6, timeout=30), retries
            assert all(pause > 0 for pause in retries), retries
            assert mail_server.messages == []
            assert not Notification.objects.filter(emailed_at__isnull=False).exists()

            mail_server.start()
            messages = mail_server.wait_for(3, timeout=30)
            assert sorted(m["To"] for m in messages) == [p.email for p in people]
            assert wait_until(
                lambda: Notification.objects.filter(emailed_at__isnull=False).count() == 3
            )
            time.sleep(1)
            assert len(mail_server.messages) == 3
    finally:
        app.conf.task_default_queue = "celery"


def test_an_outage_longer_than_the_retries_is_covered_by_the_sweeper():
    """Back-off doubles from 30 s up to 30 min, about three and a half hours in all; after
    that the sweeper (every 15 minutes) queues unsent mails again for two days."""
    from core.notifications import GIVE_UP_AFTER, unsent_email_ids
    from core.schedule import SCHEDULE

    task = send_notification_email
    assert task.retry_backoff == 30 and task.retry_backoff_max == 1800
    assert sum(min(30 * 2**n, 1800) for n in range(task.max_retries)) > 3 * 3600
    assert "messaging.resend_unsent_emails" in SCHEDULE
    assert timedelta(days=1) <= GIVE_UP_AFTER
    person = UserFactory(email="late@example.org")
    notification = Notification.objects.create(
        recipient=person, kind="tests.greeting", subject="Hej", key="late", send_email=True
    )
    later = timezone.now() + timedelta(hours=6)
    assert unsent_email_ids(now=later) == [notification.pk]
