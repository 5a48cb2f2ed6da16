"""The Danish of logging in reads as Danish, not as allauth's translation: the portal's
catalogue (first in LOCALE_PATHS) wins over allauth's for the strings in
accounts/allauth_danish.py. And no form label carries "(optional)" the form adds itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.allauth_danish import ALLAUTH_STRINGS
from tests.factories import PASSWORD, UserFactory
from tests.portal.test_translations import BASE_DIR, catalogues, messages, parse_po

pytestmark = pytest.mark.django_db

PROJECT_CATALOGUE = BASE_DIR / "locale" / "da" / "LC_MESSAGES" / "django.po"
ALLAUTH_CATALOGUE = (
    Path(__import__("allauth").__file__).parent / "locale" / "da" / "LC_MESSAGES" / "django.po"
)


def test_the_message_after_login_is_plain_danish(client):
    UserFactory(email="mor@example.org", name="Mette Holm")

    response = client.post(
        reverse("account_login"), {"login": "mor@example.org", "password": PASSWORD}, follow=True
    )

    html = response.content.decode()
    assert "Du er logget ind som Mette Holm." in html
    assert "succesfuldt" not in html


def test_the_password_reset_email_reads_danish(client, mailbox):
    UserFactory(email="mor@example.org")

    client.post(reverse("account_reset_password"), {"email": "mor@example.org"})

    [mail] = mailbox.messages
    assert mail["Subject"] == "Dagtilbudsportalen: Nulstil din adgangskode"
    body = mail.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert body.startswith("Hej\n")
    assert "har bedt om at nulstille adgangskoden" in body
    assert "Password" not in body and "email" not in body


def test_the_portals_danish_wins_over_allauths_for_every_string_it_overrides():
    ours = {e.msgid: e.msgstr[0] for e in messages(parse_po(PROJECT_CATALOGUE))}
    theirs = {e.msgid: e.msgstr[0] for e in messages(parse_po(ALLAUTH_CATALOGUE))}
    with translation.override("da"):
        shown = {msgid: translation.gettext(msgid) for msgid in ALLAUTH_STRINGS}
    assert shown == {msgid: ours[msgid] for msgid in ALLAUTH_STRINGS}
    assert all(shown[m] != theirs[m] for m in ALLAUTH_STRINGS if m in theirs)


def test_no_danish_translation_says_please_as_a_translation_would():
    found = [
        f"{catalogue}: {entry.msgid!r} = {text!r}"
        for catalogue in catalogues()
        for entry in messages(parse_po(BASE_DIR / catalogue))
        for text in entry.msgstr
        if "venligst" in text or "succesfuld" in text.lower()
    ]
    assert not found, "\n".join(found)


def test_no_label_says_optional_itself():
    """templates/forms/field.html adds "(frivilligt)" to every optional field."""
    found = [
        f"{catalogue}: {entry.msgid!r}"
        for catalogue in catalogues()
        for entry in messages(parse_po(BASE_DIR / catalogue))
        if "(optional)" in entry.msgid
        or entry.msgid.startswith("Optional")
        or any("(valgfri" in text for text in entry.msgstr)
    ]
    assert not found, "\n".join(found)
