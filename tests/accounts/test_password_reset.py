"""Password reset by e-mail: the link arrives over SMTP and lets the person choose a new
password; the old one stops working."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.smtp import body_text

pytestmark = pytest.mark.django_db

RESET = reverse("account_reset_password")
NEW_PASSWORD = "Blaa-hvaler-synger-77"


def reset_link(message) -> str:
    match = re.search(r"http://testserver(/konto/password/reset/key/\S+/)", body_text(message))
    assert match, body_text(message)
    return match.group(1)


def log_in(client, email: str, password: str) -> bool:
    client.logout()
    client.post(reverse("account_login"), {"login": email, "password": password})
    return SESSION_KEY in client.session


def test_the_reset_link_arrives_by_email_and_sets_a_new_password(client, mailbox):
    person = UserFactory(email="mette@example.org")

    response = client.post(RESET, {"email": "Mette@Example.org"})

    assert response.status_code == 302
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "mette@example.org"
    assert message["Subject"].startswith("Dagtilbudsportalen: ")

    response = client.get(reset_link(message), follow=True)
    form_url = response.request["PATH_INFO"]
    assert form_url.endswith("-set-password/")
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert log_in(client, "mette@example.org", NEW_PASSWORD)
    assert not log_in(client, "mette@example.org", PASSWORD)


def test_a_reset_link_works_only_once(client, mailbox):
    UserFactory(email="mette@example.org")
    client.post(RESET, {"email": "mette@example.org"})
    link = reset_link(mailbox.wait_for(1)[0])
    form_url = client.get(link, follow=True).request["PATH_INFO"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    response = client.get(link, follow=True)

    assert response.context["token_fail"] is True


def test_a_weak_new_password_is_refused(client, mailbox):
    person = UserFactory(email="mette@example.org")
    client.post(RESET, {"email": "mette@example.org"})
    form_url = client.get(reset_link(mailbox.wait_for(1)[0]), follow=True).request["PATH_INFO"]

    response = client.post(form_url, {"password1": "12345678", "password2": "12345678"})

    assert response.status_code == 200
    assert response.context["form"].errors
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mailbox):
    UserFactory(email="mette@example.org")

    unknown = client.post(RESET, {"email": "stranger@example.org"})
    known = client.post(RESET, {"email": "mette@example.org"})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    mailbox.wait_for(2, timeout=1)
    assert mailbox.to("stranger@example.org") == []
    assert len(mailbox.to("mette@example.org")) == 1
