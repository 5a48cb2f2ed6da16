"""A notification's e-mail carries the file of the object it names by id: the provider
the sending app registered for the kind is asked with that id, whatever the key says."""

from __future__ import annotations

import pytest

from core import attachments
from core.attachments import Attachment, attachment_provider
from core.notifications import notification_email_send
from core.notify import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt_provider(monkeypatch):
    monkeypatch.setattr(attachments, "_providers", dict(attachments._providers))

    @attachment_provider("tests.receipt")
    def receipt(object_id: int, notification) -> list[Attachment]:
        return [
            Attachment(f"kvittering-{object_id}.txt", f"Kvittering nr. {object_id}", "text/plain")
        ]

    return receipt


def tell(person, **extra):
    (notification,) = notify(
        recipients=[person],
        kind="tests.receipt",
        template="tests/notifications/greeting",
        context={"day": "i dag"},
        key="a key that names nothing",
        **extra,
    )
    return notification


def test_the_file_of_the_named_object_rides_along(receipt_provider, mailbox):
    notification = tell(UserFactory(email="mette@example.org"), object_id=41)

    notification_email_send(notification_id=notification.pk)

    (message,) = mailbox.wait_for(1)
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "kvittering-41.txt"
    assert attached.get_content().strip() == "Kvittering nr. 41"


def test_a_notification_naming_no_object_has_no_file(receipt_provider, mailbox):
    notification = tell(UserFactory(email="mette@example.org"))

    notification_email_send(notification_id=notification.pk)

    (message,) = mailbox.wait_for(1)
    assert list(message.iter_attachments()) == []
