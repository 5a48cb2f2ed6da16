"""Two-factor login is required of leaders and municipal administrators: they are led to
set it up before anything else, and cannot switch it off. Others may use it freely."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from institutions.models import Membership
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    MunicipalRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACTIVATE = reverse("mfa_activate_totp")
DEACTIVATE = reverse("mfa_deactivate_totp")
REAUTHENTICATE = reverse("account_reauthenticate")


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.fixture
def leader_without_totp(client):
    leader = MembershipFactory(role=Membership.Role.LEADER, user__email="leder@example.org").user
    client.force_login(leader)
    return leader


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("messaging:notifications"),
        reverse("accounts:profile"),
        reverse("account_change_password"),
    ],
)
def test_a_leader_without_an_authenticator_is_sent_to_set_one_up(client, leader_without_totp, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_a_leader_without_an_authenticator_cannot_open_their_own_daycare(
    client, leader_without_totp
):
    institution = leader_without_totp.memberships.get().institution

    response = client.get(reverse("institutions:detail", args=[institution.pk]))

    assert response["Location"] == ACTIVATE


def test_an_administrator_without_an_authenticator_is_sent_to_set_one_up(client):
    admin = MunicipalRoleFactory(user__totp=False).user
    client.force_login(admin)

    response = client.get(reverse("home"))

    assert response["Location"] == ACTIVATE


@pytest.mark.parametrize("url", [reverse("accessibility"), reverse("privacy"), reverse("healthz")])
def test_the_statements_and_health_check_stay_reachable_during_set_up(
    client, leader_without_totp, url
):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [Membership.Role.STAFF, Membership.Role.AMBASSADOR])
def test_staff_without_an_authenticator_go_straight_to_work(client, role):
    client.force_login(MembershipFactory(role=role).user)

    assert client.get(reverse("home")).status_code == 200


def test_a_guardian_without_an_authenticator_goes_straight_to_work(client, world):
    client.force_login(world.user("guardian"))

    assert client.get(reverse("home")).status_code == 200


def test_a_leader_logs_in_sets_up_an_authenticator_and_is_let_through(client):
    leader = MembershipFactory(role=Membership.Role.LEADER, user__email="leder@example.org").user

    response = client.post(
        reverse("account_login"), {"login": "leder@example.org", "password": PASSWORD}, follow=True
    )
    # The municipality's privacy notice comes first; two-factor set-up right after it.
    notice = reverse("privacy:notice", args=[leader.memberships.get().institution.municipality_id])
    assert response.request["PATH_INFO"] == notice
    response = client.post(
        reverse("privacy:notice_read", args=[response.context["municipality"].pk]),
        {"next": "/"},
        follow=True,
    )
    # The password was typed a moment ago: set-up does not ask for it a second time.
    assert [url for url, _status in response.redirect_chain] == [reverse("home"), ACTIVATE]
    assert response.request["PATH_INFO"] == ACTIVATE
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    client.post(ACTIVATE, {"code": code_for(secret)})

    assert has_totp(leader)
    assert client.get(reverse("home")).status_code == 200


def reauthenticate(client) -> None:
    response = client.post(REAUTHENTICATE, {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def test_a_leader_cannot_switch_two_factor_login_off_even_after_reauthenticating(client, world):
    leader = world.user("leader")
    client.force_login(leader)
    reauthenticate(client)

    page = client.get(DEACTIVATE)
    response = client.post(DEACTIVATE)

    assert page.status_code == 200
    assert response.status_code == 200
    assert response.context["form"].errors
    assert has_totp(leader)


def test_an_administrator_cannot_switch_two_factor_login_off(client, world):
    admin = world.user("admin")
    client.force_login(admin)
    reauthenticate(client)

    client.post(DEACTIVATE)

    assert has_totp(admin)


def test_staff_who_chose_two_factor_login_may_switch_it_off(client):
    staff = MembershipFactory(role=Membership.Role.STAFF, user=UserFactory(totp=True)).user
    client.force_login(staff)
    reauthenticate(client)

    response = client.post(DEACTIVATE)

    assert response.status_code == 302
    assert not has_totp(staff)
