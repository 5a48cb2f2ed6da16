"""Logging in: invitation only, e-mail and password through allauth's form, two-factor
login for leaders and administrators, and a limit on failed attempts."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User
from institutions.models import Membership
from privacy.notices import notice_read
from tests.factories import PASSWORD, TOTP_SECRET, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
SIGNUP = reverse("account_signup")
TWO_FACTOR = reverse("mfa_authenticate")


def current_totp_code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def logged_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def test_signup_is_closed_people_are_invited_instead(client):
    response = client.get(SIGNUP)

    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_posting_to_signup_creates_no_account(client):
    response = client.post(
        SIGNUP,
        {"email": "intruder@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert not User.objects.filter(email="intruder@example.org").exists()
    assert logged_in_as(client) is None


def test_the_login_page_is_the_design_systems_form(client):
    html = client.get(LOGIN).content.decode()

    assert 'name="login"' in html
    assert 'name="password"' in html
    assert "form-input" in html
    assert "signup" not in html


def test_a_guardian_logs_in_with_email_in_any_case_and_lands_on_home(client):
    guardian = UserFactory(email="foraelder@example.org", name="Sofie Berg")

    response = log_in(client, "Foraelder@Example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == guardian.pk
    assert "Sofie Berg" in client.get(reverse("home")).content.decode()


def test_a_wrong_password_does_not_log_in(client):
    UserFactory(email="mette@example.org")

    response = in_english(client).post(LOGIN, {"login": "mette@example.org", "password": "nope"})

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert logged_in_as(client) is None


def test_an_inactive_person_cannot_log_in(client):
    UserFactory(email="former@example.org", is_active=False)

    log_in(client, "former@example.org")

    assert logged_in_as(client) is None


def test_a_leader_with_an_authenticator_must_give_a_code_before_getting_in(client):
    membership = MembershipFactory(
        role=Membership.Role.LEADER, user=UserFactory(totp=True, email="leder@example.org")
    )
    leader = membership.user
    # Read before: the notice shown after a first login is tested in tests/privacy.
    notice_read(user=leader, municipality=membership.institution.municipality)

    response = log_in(client, "leder@example.org")

    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR
    assert logged_in_as(client) is None
    assert client.get(reverse("home"))["Location"].startswith(LOGIN)

    response = client.post(TWO_FACTOR, {"code": current_totp_code()})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == leader.pk
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_keeps_the_leader_out(client):
    MembershipFactory(
        role=Membership.Role.LEADER, user=UserFactory(totp=True, email="leder@example.org")
    )
    log_in(client, "leder@example.org")
    wrong = f"{(int(current_totp_code()) + 1) % 1_000_000:06d}"

    response = client.post(TWO_FACTOR, {"code": wrong})

    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_an_administrator_with_an_authenticator_passes_the_code_step(client, world):
    response = log_in(client, "admin@example.org")
    assert response["Location"] == TWO_FACTOR

    client.post(TWO_FACTOR, {"code": current_totp_code()})

    assert logged_in_as(client) == world.user("admin").pk
    assert client.get(reverse("home")).status_code == 200


def test_failed_attempts_lock_the_account_even_for_the_right_password(client):
    UserFactory(email="mette@example.org")
    in_english(client)
    for _attempt in range(5):
        log_in(client, "mette@example.org", "wrong-password")

    response = log_in(client, "mette@example.org")

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert logged_in_as(client) is None


def test_the_lock_is_per_account_others_can_still_log_in(client):
    UserFactory(email="mette@example.org")
    other = UserFactory(email="jonas@example.org")
    for _attempt in range(5):
        log_in(client, "mette@example.org", "wrong-password")

    log_in(client, "jonas@example.org")

    assert logged_in_as(client) == other.pk


def test_fewer_failures_than_the_limit_do_not_lock_the_account(client):
    person = UserFactory(email="mette@example.org")
    for _attempt in range(4):
        log_in(client, "mette@example.org", "wrong-password")

    log_in(client, "mette@example.org")

    assert logged_in_as(client) == person.pk
