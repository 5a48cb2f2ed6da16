"""The authorization matrix: every URL of the project, for every role, answers as
expected. A URL added without an entry here fails `test_every_url_is_in_the_matrix`.

Roles (see tests/conftest.py): anonymous; a guardian and a board member of our daycare;
staff, ambassador and leader of our daycare; a childminder in another unit of the same
municipality; the leader of a neighbouring daycare; the municipality's consultant and
administrator; the administrator of another municipality.

Expected answers: 200, 403 (visible but not allowed), 404 (outside the person's reach),
405 (wrong method), 302 (done, then redirected), LOGIN (redirected to the login page).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from messaging.models import Notification
from tests.conftest import ROLES, World, build_world
from tests.security.urls import all_patterns

LOGIN = "login"


def expect(default, **by_role) -> dict[str, object]:
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    return {role: by_role.get(role, default) for role in ROLES}


@dataclass
class Case:
    path: Callable[[World], str]
    expected: dict[str, object]
    method: str = "get"
    data: dict = field(default_factory=dict)


# Outsiders of our daycare: a childminder elsewhere in the municipality, the neighbouring
# leader, and the other municipality's administrator cannot even see it.
INSTITUTION = {"anonymous": LOGIN, "childminder": 404, "other_leader": 404, "other_admin": 404}
MUNICIPAL_READ = expect(403, anonymous=LOGIN, consultant=200, admin=200, other_admin=404)
MUNICIPAL_ADMIN = expect(403, anonymous=LOGIN, admin=200, other_admin=404)
EVERYONE = expect(200)
LOGGED_IN = expect(200, anonymous=LOGIN)


def inst(name: str, *extra: str) -> Callable[[World], str]:
    def build(w: World) -> str:
        args = [w.institution.pk] + [_object_pk(w, key) for key in extra]
        return reverse(f"institutions:{name}", args=args)

    return build


def muni(name: str, *extra) -> Callable[[World], str]:
    def build(w: World) -> str:
        args = [w.municipality.pk] + [
            _object_pk(w, key) if isinstance(key, str) and key in w.objects else key
            for key in extra
        ]
        return reverse(name, args=args)

    return build


def _object_pk(w: World, key: str):
    return w.objects[key].pk


def plain(name: str, **kwargs) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs=kwargs or None)


def _leaders_notification(w: World) -> str:
    notification = Notification.objects.create(
        recipient=w.users["leader"], kind="test", subject="Hej", key="matrix", url="/"
    )
    return reverse("messaging:notification_open", args=[notification.pk])


def _invitation_link(w: World) -> str:
    return reverse("institutions:invitation_accept", args=[w.objects["invitation"].token])


MATRIX: dict[str, Case] = {
    # The shell
    "home": Case(plain("home"), LOGGED_IN),
    "healthz": Case(plain("healthz"), EVERYONE),
    "set_language": Case(
        plain("set_language"), expect(302), method="post", data={"language": "en"}
    ),
    "accessibility": Case(plain("accessibility"), EVERYONE),
    "privacy": Case(plain("privacy"), EVERYONE),
    "accounts:profile": Case(plain("accounts:profile"), LOGGED_IN),
    "indicators:municipality": Case(muni("indicators:municipality"), MUNICIPAL_READ),
    # Notifications
    "messaging:notifications": Case(plain("messaging:notifications"), LOGGED_IN),
    "messaging:notification_open": Case(
        _leaders_notification, expect(404, anonymous=LOGIN, leader=302)
    ),
    "messaging:notifications_read_all": Case(
        plain("messaging:notifications_read_all"), expect(302, anonymous=LOGIN), method="post"
    ),
    # The municipality
    "institutions:municipality": Case(muni("institutions:municipality"), MUNICIPAL_READ),
    "institutions:create": Case(muni("institutions:create"), MUNICIPAL_ADMIN),
    "institutions:municipality_people": Case(
        muni("institutions:municipality_people"), MUNICIPAL_ADMIN
    ),
    "institutions:municipal_role_remove": Case(
        muni("institutions:municipal_role_remove", "consultant_role"),
        expect(403, anonymous=LOGIN, admin=302, other_admin=404),
        method="post",
    ),
    "institutions:municipality_import": Case(
        muni("institutions:municipality_import"), MUNICIPAL_ADMIN
    ),
    "institutions:import_template": Case(
        muni("institutions:import_template", "institutions"), MUNICIPAL_ADMIN
    ),
    # One institution
    "institutions:detail": Case(
        inst("detail"),
        expect(
            403,
            **INSTITUTION,
            board_member=200,
            staff=200,
            ambassador=200,
            leader=200,
            consultant=200,
            admin=200,
        ),
    ),
    "institutions:edit": Case(inst("edit"), expect(403, **INSTITUTION, admin=200)),
    "institutions:group_create": Case(
        inst("group_create"), expect(403, **INSTITUTION, leader=200, admin=200)
    ),
    "institutions:group_edit": Case(
        inst("group_edit", "room"), expect(403, **INSTITUTION, leader=200, admin=200)
    ),
    "institutions:people": Case(
        inst("people"),
        expect(
            403, **INSTITUTION, staff=200, ambassador=200, leader=200, consultant=200, admin=200
        ),
    ),
    "institutions:invite": Case(inst("invite"), expect(403, **INSTITUTION, leader=200, admin=200)),
    "institutions:membership_remove": Case(
        inst("membership_remove", "staff_membership"),
        expect(403, **INSTITUTION, leader=302, admin=302),
        method="post",
    ),
    "institutions:invitation_revoke": Case(
        inst("invitation_revoke", "invitation"),
        expect(403, **INSTITUTION, leader=302, admin=302),
        method="post",
    ),
    "institutions:children": Case(
        inst("children"), expect(403, **INSTITUTION, staff=200, ambassador=200, leader=200)
    ),
    "institutions:child_create": Case(inst("child_create"), expect(403, **INSTITUTION, leader=200)),
    "institutions:child": Case(
        inst("child", "child"), expect(403, **INSTITUTION, staff=200, ambassador=200, leader=200)
    ),
    "institutions:counts": Case(
        inst("counts"), expect(403, **INSTITUTION, leader=200, consultant=200, admin=200)
    ),
    "institutions:invitation_accept": Case(_invitation_link, EVERYONE),
    # Accounts (allauth). Logged-in people are sent on from the login pages.
    "account_login": Case(plain("account_login"), expect(302, anonymous=200)),
    "account_logout": Case(plain("account_logout"), expect(200, anonymous=302)),
    "account_inactive": Case(plain("account_inactive"), EVERYONE),
    "account_signup": Case(plain("account_signup"), expect(302, anonymous=200)),
    "account_reauthenticate": Case(plain("account_reauthenticate"), LOGGED_IN),
    "account_email": Case(plain("account_email"), LOGGED_IN),
    "account_email_verification_sent": Case(plain("account_email_verification_sent"), EVERYONE),
    "account_change_password": Case(plain("account_change_password"), LOGGED_IN),
    "account_set_password": Case(plain("account_set_password"), expect(302, anonymous=LOGIN)),
    "account_reset_password": Case(plain("account_reset_password"), EVERYONE),
    "account_reset_password_done": Case(plain("account_reset_password_done"), EVERYONE),
    "account_reset_password_from_key": Case(
        plain("account_reset_password_from_key", uidb36="0", key="set-password"), EVERYONE
    ),
    "account_reset_password_from_key_done": Case(
        plain("account_reset_password_from_key_done"), EVERYONE
    ),
    "account_confirm_login_code": Case(
        plain("account_confirm_login_code"), expect(302, anonymous=LOGIN)
    ),
    "account_confirm_email": Case(plain("account_confirm_email", key="not-a-key"), EVERYONE),
    # Two-factor login. Only leaders and administrators have an authenticator here.
    "mfa_index": Case(plain("mfa_index"), LOGGED_IN),
    # Only reachable in the middle of a login; otherwise people are sent on.
    "mfa_authenticate": Case(plain("mfa_authenticate"), expect(302, anonymous=LOGIN)),
    "mfa_reauthenticate": Case(
        plain("mfa_reauthenticate"),
        expect(302, anonymous=LOGIN, leader=200, other_leader=200, admin=200, other_admin=200),
    ),
    # Setting up an authenticator asks for the password again (a fresh authentication).
    "mfa_activate_totp": Case(plain("mfa_activate_totp"), expect(302, anonymous=LOGIN)),
    # Changing two-factor settings first asks the person to authenticate again; whether
    # a leader may then switch it off is tested in tests/accounts.
    "mfa_deactivate_totp": Case(
        plain("mfa_deactivate_totp"),
        expect(404, anonymous=LOGIN, leader=302, other_leader=302, admin=302, other_admin=302),
    ),
    "mfa_view_recovery_codes": Case(plain("mfa_view_recovery_codes"), expect(404, anonymous=LOGIN)),
    "mfa_generate_recovery_codes": Case(
        plain("mfa_generate_recovery_codes"), expect(302, anonymous=LOGIN)
    ),
    "mfa_download_recovery_codes": Case(
        plain("mfa_download_recovery_codes"), expect(404, anonymous=LOGIN)
    ),
}

ADMIN_PATH = "teknisk-admin/"


def _admin_path(pattern: str) -> str:
    """A concrete path for an admin pattern, with made-up values for its parameters."""
    path = re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: "institutions" if m.group(1) == "app_label" else "1", pattern
    )
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "institutions", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path.replace("^", "").replace("$", "")


def _assert_answer(response, expected, role: str, name: str) -> None:
    where = f"{name} as {role}"
    if expected == LOGIN:
        assert response.status_code == 302, (
            f"{where}: {response.status_code}, expected a login redirect"
        )
        assert response["Location"].startswith(reverse("account_login")), (
            f"{where}: {response['Location']}"
        )
    else:
        assert response.status_code == expected, (
            f"{where}: {response.status_code}, expected {expected}"
        )
        if expected == 302:
            assert not response["Location"].startswith(reverse("account_login")), (
                f"{where}: sent to the login page, expected to be let through"
            )


def _app_patterns() -> list[str]:
    return sorted({name for name, pattern in all_patterns() if not pattern.startswith(ADMIN_PATH)})


def _admin_patterns() -> list[tuple[str, str]]:
    return sorted((name, p) for name, p in all_patterns() if p.startswith(ADMIN_PATH))


def test_every_url_is_in_the_matrix():
    patterns = all_patterns()
    unnamed = [p for name, p in patterns if not name and not p.startswith(ADMIN_PATH)]
    assert not unnamed, f"URL patterns without a name cannot be in the matrix: {unnamed}"
    missing = [name for name in _app_patterns() if name not in MATRIX]
    assert not missing, f"URLs missing from the authorization matrix: {missing}"
    stale = [name for name in MATRIX if name not in _app_patterns()]
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_as_expected(name, role, client):
    world = build_world()
    case = MATRIX[name]
    path = case.path(world)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, case.method)(path, data=case.data)
    _assert_answer(response, case.expected[role], role, name)


@pytest.mark.django_db
@pytest.mark.parametrize("name,pattern", _admin_patterns())
def test_technical_admin_is_closed_to_every_portal_role(name, pattern, client):
    """Django's admin site is for technical staff (is_staff) only; no portal role opens it."""
    world = build_world()
    path = _admin_path(pattern)
    for role in ROLES:
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        if name == "admin:logout":
            # Logging out of the admin is harmless; it never shows admin content.
            assert response.status_code in (302, 405), (role, response.status_code)
            continue
        if name == "admin:login":
            assert response.status_code == 200, (role, path)
            assert b'name="password"' in response.content or role != "anonymous"
        else:
            assert response.status_code == 302, (name, role, path, response.status_code)
            assert "/teknisk-admin/login/" in response["Location"], (
                name,
                role,
                response["Location"],
            )
