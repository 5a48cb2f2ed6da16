"""notify(): the one way the portal tells a person something, in the app and by e-mail."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from core.models import Notification
from core.notify import notify
from tests.factories import UserFactory
from tests.smtp import body_text

pytestmark = pytest.mark.django_db

GREETING = "tests/notifications/greeting"
MEETING_DAY = date(2025, 3, 3)


def greet(recipients, *, key="greeting-1", url="/notifikationer/", email=True):
    return notify(
        recipients=recipients,
        kind="tests.greeting",
        template=GREETING,
        context={"day": MEETING_DAY},
        url=url,
        key=key,
        email=email,
    )


def test_each_recipient_gets_the_notification_in_their_own_language():
    dane = UserFactory(language="da", name="Mette Hansen")
    guest = UserFactory(language="en", name="Liam Smith")

    greet([dane, guest])

    danish = Notification.objects.get(recipient=dane)
    english = Notification.objects.get(recipient=guest)
    assert danish.subject == "[da] Hello Mette Hansen, see you on 3 marts"
    assert danish.body == "Written in da: the meeting is on mandag 3 marts 2025."
    assert english.subject == "[en] Hello Liam Smith, see you on 3 March"
    assert english.body == "Written in en: the meeting is on Monday 3 March 2025."


def test_a_real_notification_template_renders_its_context():
    leader = UserFactory(language="en")

    notify(
        recipients=[leader],
        kind="institutions.invitation_accepted",
        template="institutions/notifications/invitation_accepted",
        context={"name": "Ida Holm", "role": "Staff", "place": "Solstrålen"},
        key="invitation-accepted-1",
    )

    notification = Notification.objects.get(recipient=leader)
    assert notification.kind == "institutions.invitation_accepted"
    assert notification.subject == "Ida Holm accepted your invitation"
    assert notification.body == "Ida Holm now has the role Staff at Solstrålen."


def test_the_email_arrives_with_subject_text_and_an_absolute_link(
    mailbox, django_capture_on_commit_callbacks
):
    guest = UserFactory(language="en", email="liam@example.org", name="Liam Smith")

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = greet([guest], url="/notifikationer/")

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "liam@example.org"
    assert message["Subject"] == "[en] Hello Liam Smith, see you on 3 March"
    assert message["X-Portal-Notification"] == str(notification.pk)
    text = body_text(message)
    assert "Written in en: the meeting is on Monday 3 March 2025." in text
    assert "http://testserver/notifikationer/" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'href="http://testserver/notifikationer/"' in html
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_notifying_twice_with_one_key_stores_one_notification_and_sends_one_email(
    mailbox, django_capture_on_commit_callbacks
):
    guest = UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        first = greet([guest], key="meeting-42")
    with django_capture_on_commit_callbacks(execute=True):
        second = greet([guest], key="meeting-42")

    assert len(first) == 1
    assert second == []
    assert Notification.objects.filter(recipient=guest).count() == 1
    mailbox.wait_for(2, timeout=0.5)
    assert len(mailbox.messages) == 1


def test_the_same_person_listed_twice_is_told_once(mailbox, django_capture_on_commit_callbacks):
    guest = UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        greet([guest, guest])

    assert Notification.objects.filter(recipient=guest).count() == 1
    assert len(mailbox.wait_for(1)) == 1


def test_a_different_key_is_a_new_notification():
    guest = UserFactory(language="en")

    greet([guest], key="meeting-1")
    greet([guest], key="meeting-2")

    assert Notification.objects.filter(recipient=guest).count() == 2


def test_inactive_people_are_not_told(mailbox, django_capture_on_commit_callbacks):
    former = UserFactory(is_active=False, email="former@example.org")
    current = UserFactory(email="current@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        created = greet([former, current])

    assert [n.recipient for n in created] == [current]
    assert not Notification.objects.filter(recipient=former).exists()
    mailbox.wait_for(1)
    assert mailbox.to("former@example.org") == []
    assert len(mailbox.to("current@example.org")) == 1


def test_without_email_only_the_in_app_notification_is_stored(
    mailbox, django_capture_on_commit_callbacks
):
    guest = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (notification,) = greet([guest], email=False)

    assert notification.send_email is False
    assert callbacks == []
    assert mailbox.wait_for(1, timeout=0.3) == []


@pytest.mark.django_db(transaction=True)
def test_the_email_is_sent_only_after_the_transaction_commits(mailbox):
    guest = UserFactory(email="liam@example.org")

    with transaction.atomic():
        greet([guest])
        assert mailbox.wait_for(1, timeout=0.3) == []

    assert len(mailbox.wait_for(1)) == 1
    assert Notification.objects.get(recipient=guest).emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing_and_stores_nothing(mailbox):
    guest = UserFactory(email="liam@example.org")

    with pytest.raises(RuntimeError), transaction.atomic():
        greet([guest])
        raise RuntimeError("the surrounding work failed")

    assert mailbox.wait_for(1, timeout=0.5) == []
    assert not Notification.objects.exists()
