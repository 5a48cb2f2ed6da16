"""The technical admin (/teknisk-admin/) has no door of its own: it is entered through
the portal's login, throttled like every login, and only by technical staff who set up
two-factor login and gave a code in this very session. Its logout and password change
are the portal's."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from institutions.selectors import roles_for
from tests.accounts.helpers import (
    ADMIN,
    LOGIN,
    log_in_with_code,
    technical_staff,
)
from tests.accounts.test_login import current_totp_code, in_english
from tests.accounts.test_two_factor import code_for, has_totp
from tests.factories import PASSWORD
from tests.security.urls import all_patterns

pytestmark = pytest.mark.django_db

ACTIVATE = reverse("mfa_activate_totp")
REAUTHENTICATE = reverse("mfa_reauthenticate")
DJANGO_LOGIN_FORM = 'id="login-form"'


def logged_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def test_an_anonymous_visitor_is_sent_to_the_portals_login(client):
    response = client.get(ADMIN, follow=True)

    assert response.request["PATH_INFO"] == LOGIN
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next={quote(ADMIN, safe='')}"
    html = response.content.decode()
    assert 'name="login"' in html and 'name="password"' in html
    assert DJANGO_LOGIN_FORM not in html


def test_the_admins_own_login_form_logs_nobody_in(client):
    staff = technical_staff()

    response = client.post(
        f"{ADMIN}login/", {"username": staff.email, "password": PASSWORD, "next": ADMIN}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert logged_in_as(client) is None


def test_fifteen_wrong_passwords_at_the_admins_door_are_throttled(client):
    staff = technical_staff()
    in_english(client)
    login_page = client.get(ADMIN, follow=True).redirect_chain[-1][0]
    for _attempt in range(15):
        client.post(login_page, {"login": staff.email, "password": "wrong-password"})

    response = client.post(login_page, {"login": staff.email, "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert logged_in_as(client) is None
    assert client.get(ADMIN).status_code == 302


def test_technical_staff_must_use_two_factor_login():
    assert roles_for(technical_staff(totp=False)).requires_two_factor


def test_staff_give_password_and_code_at_the_portals_login_and_reach_the_admin(client):
    staff = technical_staff()

    response = log_in_with_code(client, staff.email)

    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert logged_in_as(client) == staff.pk
    page = client.get(ADMIN)
    assert page.status_code == 200
    assert "Dagtilbudsportalen: teknisk administration" in page.content.decode()


def test_staff_without_an_authenticator_are_sent_to_set_one_up_first(client):
    staff = technical_staff(totp=False)

    response = client.post(
        f"{LOGIN}?next={ADMIN}", {"login": staff.email, "password": PASSWORD}, follow=True
    )

    assert response.request["PATH_INFO"] == ACTIVATE
    assert client.get(ADMIN)["Location"] == ACTIVATE
    assert client.get(f"{ADMIN}institutions/child/")["Location"] == ACTIVATE

    client.post(ACTIVATE, {"code": code_for(client.session[SECRET_SESSION_KEY])})

    # The code that set up the authenticator was given after this login: it counts.
    assert has_totp(staff)
    assert client.get(ADMIN).status_code == 200


def test_staff_with_an_authenticator_who_skipped_the_code_do_not_get_in(client):
    staff = technical_staff()
    # A session begun without the code: before two-factor login was set up, or by any
    # other way in than the portal's login.
    client.force_login(staff)

    for path in (ADMIN, f"{ADMIN}institutions/child/", f"{ADMIN}accounts/user/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{REAUTHENTICATE}?next="), path

    response = client.post(f"{REAUTHENTICATE}?next={ADMIN}", {"code": current_totp_code()})

    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_portal_role_is_refused_even_with_its_code(client, world):
    leader = world.user("leader")

    log_in_with_code(client, leader.email)

    assert logged_in_as(client) == leader.pk
    assert client.get(ADMIN, follow=True).status_code == 403


def test_logging_out_of_the_admin_is_the_portals_logout(client):
    staff = technical_staff()
    log_in_with_code(client, staff.email)

    response = client.post(f"{ADMIN}logout/", follow=True)

    assert logged_in_as(client) is None
    assert response.redirect_chain[0] == (reverse("account_logout"), 307)
    assert client.get(ADMIN)["Location"].startswith(f"{ADMIN}login/")


def test_changing_the_password_in_the_admin_is_the_portals_form(client):
    staff = technical_staff()
    log_in_with_code(client, staff.email)

    for path in (f"{ADMIN}password_change/", f"{ADMIN}password_change/done/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("account_change_password")


def test_setting_another_persons_password_in_the_admin_is_refused(client, world):
    staff = technical_staff()
    log_in_with_code(client, staff.email)
    leader = world.user("leader")
    before = leader.password

    page = client.get(f"{ADMIN}accounts/user/{leader.pk}/password/", follow=True)
    client.post(
        f"{ADMIN}accounts/user/{leader.pk}/password/",
        {"password1": "Et-nyt-kodeord-42", "password2": "Et-nyt-kodeord-42"},
    )

    assert "Glemt din adgangskode?" in page.content.decode()
    leader.refresh_from_db()
    assert leader.password == before


def _admin_paths() -> list[str]:
    from tests.security.test_authorization_matrix import ADMIN_PATH, _admin_path

    return sorted({_admin_path(p) for _name, p in all_patterns() if p.startswith(ADMIN_PATH)})


def test_no_admin_url_answers_with_djangos_login_form(client):
    """Every URL of the admin, opened by a stranger, ends at the portal's own login page
    (with its link to reset the password), never at Django's login form."""
    reset = reverse("account_reset_password")
    wrong = []
    for path in _admin_paths():
        response = client.get(path, follow=True)
        html = response.content.decode()
        if (
            response.request["PATH_INFO"] != LOGIN
            or DJANGO_LOGIN_FORM in html
            or f'href="{reset}"' not in html
        ):
            wrong.append(f"{path}: {response.status_code} {response.request['PATH_INFO']}")
    assert not wrong, "\n".join(wrong)
