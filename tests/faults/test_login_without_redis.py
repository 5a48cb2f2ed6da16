"""Redis down: people still log in (with their code too), wrong passwords are still
throttled, and logging out or changing the password ends a session for good, also once
Redis comes back holding what it held before."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.accounts.test_login import current_totp_code, logged_in_as
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

LOGIN = reverse("account_login")
LOGOUT = reverse("account_logout")
TWO_FACTOR = reverse("mfa_authenticate")
CHANGE_PASSWORD = reverse("account_change_password")
HOME = reverse("home")
NEW_PASSWORD = "Ny-og-bedre-hest-42"


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def with_cookie(value: str) -> Client:
    """A browser that holds someone's session cookie (a copy left on a shared computer)."""
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = value
    return browser


def is_let_in(browser: Client) -> bool:
    return browser.get(HOME).status_code == 200


def test_a_parent_logs_in_while_redis_is_down(on_redis, client):
    person = UserFactory(email="mette@example.org")
    on_redis.stop()

    response = log_in(client, "mette@example.org")

    assert response.status_code == 302, response.content.decode()[:300]
    assert logged_in_as(client) == person.pk
    assert client.get(HOME).status_code == 200


def test_a_leader_gives_the_code_and_gets_in_while_redis_is_down(on_redis, client):
    leader = UserFactory(email="leder@example.org", totp=True)
    on_redis.stop()

    response = log_in(client, "leder@example.org")
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"code": current_totp_code()})

    assert response.status_code == 302, response.content.decode()[:300]
    assert logged_in_as(client) == leader.pk


def test_a_used_code_is_refused_a_second_time_while_redis_is_down(on_redis, client):
    UserFactory(email="leder@example.org", totp=True)
    on_redis.stop()
    code = current_totp_code()
    log_in(client, "leder@example.org")
    client.post(TWO_FACTOR, {"code": code})

    thief = Client()
    log_in(thief, "leder@example.org")
    response = thief.post(TWO_FACTOR, {"code": code})

    assert response.status_code == 200
    assert logged_in_as(thief) is None


def test_wrong_passwords_are_still_throttled_while_redis_is_down(on_redis, client):
    UserFactory(email="mette@example.org")
    on_redis.stop()
    for _attempt in range(5):
        log_in(client, "mette@example.org", "forkert-kodeord")

    response = log_in(client, "mette@example.org")

    assert "Der er for mange mislykkede logonforsøg" in response.content.decode()
    assert logged_in_as(client) is None


def test_failed_attempts_counted_before_redis_went_down_still_count(on_redis, client):
    UserFactory(email="mette@example.org")
    for _attempt in range(3):
        log_in(client, "mette@example.org", "forkert-kodeord")
    on_redis.stop()
    for _attempt in range(2):
        log_in(client, "mette@example.org", "forkert-kodeord")

    response = log_in(client, "mette@example.org")

    assert "Der er for mange mislykkede logonforsøg" in response.content.decode()
    assert logged_in_as(client) is None


def test_too_many_logins_from_one_address_get_the_portals_danish_page_while_redis_is_down(
    on_redis, client
):
    UserFactory(email="mette@example.org")
    on_redis.stop()
    for attempt in range(30):
        response = client.post(LOGIN, {"login": f"ukendt{attempt}@example.org", "password": "x"})
        assert response.status_code == 200, attempt

    response = log_in(client, "mette@example.org")

    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="da">' in page
    assert "For mange forsøg" in page
    assert "dkfds.min.css" in page
    assert logged_in_as(client) is None


def test_logging_out_while_redis_is_down_ends_the_session_for_good(on_redis, client):
    UserFactory(email="mette@example.org")
    log_in(client, "mette@example.org")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert is_let_in(with_cookie(cookie))
    on_redis.stop()

    response = client.post(LOGOUT)
    assert response.status_code == 302
    on_redis.start()

    assert not is_let_in(with_cookie(cookie))


def test_changing_the_password_while_redis_is_down_ends_every_other_session_for_good(
    on_redis, client
):
    UserFactory(email="mette@example.org")
    phone = Client()
    log_in(phone, "mette@example.org")
    log_in(client, "mette@example.org")
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    on_phone = phone.cookies[settings.SESSION_COOKIE_NAME].value
    on_redis.stop()

    response = client.post(
        CHANGE_PASSWORD,
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:300]
    on_redis.start()

    assert not is_let_in(with_cookie(on_phone))
    assert not is_let_in(with_cookie(before))
    # The person who changed it carries on in a session of its own.
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert is_let_in(client)
