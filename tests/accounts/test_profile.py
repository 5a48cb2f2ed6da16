"""A person edits their own name, phone and language; the change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


@pytest.fixture
def person(client):
    user = UserFactory(name="Mette Hansen", phone="", language="da")
    client.force_login(user)
    return user


def test_the_profile_page_shows_the_login_address(client, person):
    response = client.get(PROFILE)

    assert response.status_code == 200
    assert person.email in response.content.decode()


def test_saving_the_profile_stores_it_and_records_who_changed_what(client, person):
    response = client.post(
        PROFILE, {"name": "  Mette Holm  ", "phone": "12 34 56 78", "language": "en"}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.phone, person.language) == ("Mette Holm", "12 34 56 78", "en")
    entry = AuditEntry.objects.get(action="user.profile_updated")
    assert entry.actor == person
    assert entry.object_id == str(person.pk)
    assert entry.changes == {
        "name": ["Mette Hansen", "Mette Holm"],
        "phone": ["", "12 34 56 78"],
        "language": ["da", "en"],
    }


def test_saving_an_unchanged_profile_records_nothing(client, person):
    client.post(PROFILE, {"name": "Mette Hansen", "phone": "", "language": "da"})

    assert not AuditEntry.objects.exists()


def test_the_next_page_speaks_the_language_just_chosen(client, person):
    client.post(PROFILE, {"name": "Mette Hansen", "phone": "", "language": "en"})

    response = client.get(PROFILE)

    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_an_empty_name_is_refused_and_nothing_is_saved(client, person):
    response = client.post(PROFILE, {"name": "", "phone": "99", "language": "en"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    person.refresh_from_db()
    assert (person.name, person.phone, person.language) == ("Mette Hansen", "", "da")
    assert not AuditEntry.objects.exists()


def test_an_unknown_language_is_refused(client, person):
    response = client.post(PROFILE, {"name": "Mette Hansen", "phone": "", "language": "xx"})

    assert response.context["form"].errors["language"]
    person.refresh_from_db()
    assert person.language == "da"
