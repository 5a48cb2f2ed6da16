"""Sessions end after SESSION_IDLE_TIMEOUT without activity."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.middleware import LAST_SEEN_KEY
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory(language="en")
    client.force_login(user)
    return user


def last_seen(client, seconds_ago: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_a_request_records_when_the_person_was_last_seen(client, person):
    client.get(reverse("home"))

    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5


def test_a_person_active_within_the_timeout_stays_logged_in(client, person):
    client.get(reverse("home"))
    last_seen(client, settings.SESSION_IDLE_TIMEOUT - 60)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert client.session[SESSION_KEY] == str(person.pk)


def test_a_person_idle_longer_than_the_timeout_is_logged_out(client, person):
    client.get(reverse("home"))
    last_seen(client, settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get(reverse("home"), follow=True)

    assert response.request["PATH_INFO"] == reverse("account_login")
    assert SESSION_KEY not in client.session
    assert "inactive for a while" in response.content.decode()


def test_an_idle_person_is_logged_out_on_any_page_even_a_public_one(client, person):
    client.get(reverse("home"))
    last_seen(client, settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert 'action="/konto/logout/"' not in response.content.decode()


def test_activity_moves_the_last_seen_time_forward(client, person):
    client.get(reverse("home"))
    last_seen(client, 120)

    client.get(reverse("home"))

    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5


def test_the_session_cookie_ends_with_the_browser(client, person):
    client.logout()

    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
