"""E-mail per person and kind (at once, daily digest, off), permanent refusals recorded
and not retried, one idempotency key per notification and recipient, nothing lost."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.models import AuditEntry, DigestEmail, EmailPreference, Notification
from core.notifications import (
    digest_send,
    email_preferences_set,
    notification_email_send,
    unsent_email_ids,
)
from core.notify import category_for, notify
from core.tasks import resend_unsent_emails, send_digests, send_notification_email
from tests.factories import UserFactory
from tests.smtp import body_text

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 26)


def tell(person, *, kind="messaging.post", key="k1", urgent=False, email=True):
    return notify(
        recipients=[person],
        kind=kind,
        template="tests/notifications/greeting",
        context={"day": DAY},
        url="/opslag/",
        key=key,
        urgent=urgent,
        email=email,
    )


def prefer(person, **frequencies):
    email_preferences_set(user=person, frequencies=frequencies)


def test_kinds_fall_into_posts_messages_and_other():
    assert category_for("messaging.post") == "posts"
    assert category_for("messaging.message") == "messages"
    assert category_for("institutions.invitation_accepted") == "other"
    assert category_for("goals.step_due") == "other"


def test_by_default_an_email_goes_out_at_once(mailbox, django_capture_on_commit_callbacks):
    person = UserFactory(email="mette@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(person)

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "mette@example.org"
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.email_attempts == 1


def test_off_stores_the_notification_but_sends_no_email(
    mailbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    prefer(person, posts="off")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (notification,) = tell(person)

    assert notification.send_email is False
    assert callbacks == []
    assert mailbox.wait_for(1, timeout=0.3) == []
    # Only posts are off: a message still goes out.
    with django_capture_on_commit_callbacks(execute=True):
        tell(person, kind="messaging.message", key="k2")
    assert len(mailbox.wait_for(1)) == 1


def test_settings_are_audited_and_stored_per_kind():
    person = UserFactory()

    prefer(person, posts="digest", messages="immediate", other="off")
    prefer(person, posts="off")

    assert dict(person.email_preferences.values_list("category", "frequency")) == {
        "posts": "off",
        "messages": "immediate",
        "other": "off",
    }
    assert AuditEntry.objects.filter(action="email_preferences.updated").count() == 2
    with pytest.raises(ValueError):
        prefer(person, posts="hourly")


def test_the_digest_collects_a_days_notifications_in_one_email_once(
    mailbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="mette@example.org", language="da", name="Mette Hansen")
    prefer(person, posts="digest")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = tell(person, key="a")[0]
        second = tell(person, key="b")[0]
    assert callbacks == []
    assert mailbox.wait_for(1, timeout=0.3) == []

    assert send_digests() == 1  # eager: the per-person task ran too

    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Dagtilbudsportalen: 2 nye siden i går"
    text = body_text(message)
    assert "2 nye ting i Dagtilbudsportalen siden i går" in text
    assert f"http://testserver/notifikationer/{first.pk}/" in text
    assert f"http://testserver/notifikationer/{second.pk}/" in text
    assert message["X-Portal-Idempotency-Key"].startswith(f"digest-{person.pk}-")
    assert Notification.objects.filter(recipient=person, emailed_at=None).count() == 0

    assert digest_send(recipient_id=person.pk, day=timezone.localdate()) is False
    assert send_digests() == 0
    mailbox.wait_for(2, timeout=0.3)
    assert len(mailbox.messages) == 1
    assert DigestEmail.objects.get(recipient=person).notification_count == 2


def test_the_digest_is_written_in_the_recipients_language(mailbox):
    person = UserFactory(language="en")
    prefer(person, messages="digest")
    tell(person, kind="messaging.message")

    assert digest_send(recipient_id=person.pk, day=DAY) is True

    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Dagtilbudsportalen: 1 new since yesterday"
    assert "One new thing in Dagtilbudsportalen since yesterday" in body_text(message)


def test_an_urgent_notification_skips_the_digest_but_not_off(
    mailbox, django_capture_on_commit_callbacks
):
    digest_reader = UserFactory(email="digest@example.org")
    prefer(digest_reader, posts="digest")
    silent = UserFactory(email="silent@example.org")
    prefer(silent, posts="off")

    with django_capture_on_commit_callbacks(execute=True):
        tell(digest_reader, urgent=True)
        tell(silent, urgent=True)

    mailbox.wait_for(2, timeout=0.5)
    assert [m["To"] for m in mailbox.messages] == ["digest@example.org"]


def test_every_attempt_carries_the_same_idempotency_key(mailbox):
    person = UserFactory(email="mette@example.org")
    (notification,) = tell(person, email=False)
    Notification.objects.filter(pk=notification.pk).update(send_email=True)

    notification_email_send(notification_id=notification.pk)

    (message,) = mailbox.wait_for(1)
    key = f"notification-{notification.pk}-to-{person.pk}"
    assert message["X-Portal-Idempotency-Key"] == key
    assert message["Message-ID"] == f"<{key}@dagtilbudsportalen.dk>"


def test_a_permanent_refusal_is_recorded_and_not_retried(
    refusing_mailbox, django_capture_on_commit_callbacks
):
    gone = UserFactory(email="gone@example.org")
    fine = UserFactory(email="fine@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        (refused,) = tell(gone, key="a")
        (delivered,) = tell(fine, key="b")

    refused.refresh_from_db()
    assert refused.emailed_at is None
    assert refused.email_failed_at is not None
    assert refused.email_error.startswith("550")
    assert refused.email_attempts == 1
    # Running the task again does not knock on the server again.
    assert notification_email_send(notification_id=refused.pk) is False
    assert refused.pk not in unsent_email_ids(now=timezone.now() + timedelta(hours=1))
    refusing_mailbox.wait_for(1)
    assert [m["To"] for m in refusing_mailbox.messages] == ["fine@example.org"]
    delivered.refresh_from_db()
    assert delivered.emailed_at is not None


def test_a_temporary_failure_raises_so_the_task_retries(mailbox):
    person = UserFactory()
    (notification,) = tell(person, email=False)
    Notification.objects.filter(pk=notification.pk).update(send_email=True)
    mailbox.refuse = True

    with pytest.raises(Exception, match="Try again later"):
        send_notification_email.run(notification.pk)

    notification.refresh_from_db()
    assert notification.email_failed_at is None and notification.emailed_at is None
    assert send_notification_email.max_retries == 12


def test_the_sweeper_sends_what_an_outage_left_behind_and_only_that(
    mailbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="mette@example.org")
    mailbox.refuse = True
    with (
        pytest.raises(Exception, match="Try again later"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tell(person, key="lost")
    lost = Notification.objects.get(key="lost")
    assert lost.emailed_at is None
    sent = tell(person, key="sent", email=False)[0]
    Notification.objects.filter(pk=sent.pk).update(emailed_at=timezone.now())
    digest_prefs = UserFactory()
    prefer(digest_prefs, posts="digest")
    tell(digest_prefs, key="digest")
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=30))

    assert unsent_email_ids() == [lost.pk]

    mailbox.refuse = False
    assert resend_unsent_emails() == 1
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "mette@example.org"
    assert unsent_email_ids() == []


def test_a_notification_that_is_too_old_is_given_up(mailbox):
    person = UserFactory()
    (notification,) = tell(person, email=False)
    Notification.objects.filter(pk=notification.pk).update(
        send_email=True, created_at=timezone.now() - timedelta(days=4)
    )

    assert unsent_email_ids() == []


def test_notifying_many_people_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    few = [UserFactory() for _ in range(3)]
    many = [UserFactory() for _ in range(40)]

    def tell_all(people, key):
        notify(
            recipients=people,
            kind="messaging.post",
            template="tests/notifications/greeting",
            context={"day": DAY},
            key=key,
        )

    with django_assert_max_num_queries(8):
        tell_all(few, "few")
    with django_assert_max_num_queries(8):
        tell_all(many, "many")
    assert Notification.objects.filter(key="many").count() == 40
    assert EmailPreference.objects.count() == 0
