"""The authorization matrix: every URL of the project, for every role, answers as
expected. The cases live next to each app's tests (`tests/<app>/matrix.py`); a URL that
no module lists fails `test_every_url_is_in_the_matrix`.

Roles (see tests/conftest.py): anonymous; a guardian and a board member of our daycare;
staff, ambassador and leader of our daycare; a childminder in another unit of the same
municipality; the leader of a neighbouring daycare; the municipality's consultant and
administrator; the administrator of another municipality.

Expected answers: 200, 403 (visible but not allowed), 404 (outside the person's reach),
405 (wrong method), 302 (done, then redirected), LOGIN (redirected to the login page).
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.urls import reverse

from tests.conftest import ROLES
from tests.security.matrix import LOGIN, all_cases
from tests.security.urls import all_patterns

ADMIN_PATH = "teknisk-admin/"
MATRIX = all_cases()


def _app_patterns() -> list[str]:
    return sorted({name for name, pattern in all_patterns() if not pattern.startswith(ADMIN_PATH)})


def _admin_patterns() -> list[tuple[str, str]]:
    return sorted((name, p) for name, p in all_patterns() if p.startswith(ADMIN_PATH))


def _admin_path(pattern: str) -> str:
    """A concrete path for an admin pattern, with made-up values for its parameters."""
    path = re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: "institutions" if m.group(1) == "app_label" else "1", pattern
    )
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "institutions", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path.replace("^", "").replace("$", "")


def _mismatch(response, expected, role: str) -> str:
    """Why the answer differs from what `role` should get, or "" when it matches."""
    login_url = reverse("account_login")
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        if status != 302 or not location.startswith(login_url):
            return f"{role}: {status} {location}, expected a redirect to the login page"
    elif status != expected:
        return f"{role}: {status}, expected {expected}"
    elif expected == 302 and location.startswith(login_url):
        return f"{role}: sent to the login page, expected to be let through"
    return ""


def test_every_url_is_in_the_matrix():
    patterns = all_patterns()
    unnamed = [p for name, p in patterns if not name and not p.startswith(ADMIN_PATH)]
    assert not unnamed, f"URL patterns without a name cannot be in the matrix: {unnamed}"
    missing = [name for name in _app_patterns() if name not in MATRIX]
    assert not missing, f"URLs missing from the authorization matrix: {missing}"
    stale = [name for name in MATRIX if name not in _app_patterns()]
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_every_role_as_expected(name, client, matrix_world):
    """Each role's request runs in a savepoint that is rolled back, so a POST that
    succeeds for one role does not change what the next role sees."""
    world = matrix_world
    case = MATRIX[name]
    path = case.path(world)
    mismatches = []
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            user = world.user(role)
            if user is not None:
                client.force_login(user)
            response = getattr(client, case.method)(path, data=case.data)
            mismatches.append(_mismatch(response, case.expected[role], role))
            transaction.set_rollback(True)
    mismatches = [m for m in mismatches if m]
    assert not mismatches, f"{name} ({case.method.upper()} {path}):\n" + "\n".join(mismatches)


@pytest.mark.django_db
@pytest.mark.parametrize("name,pattern", _admin_patterns())
def test_technical_admin_is_closed_to_every_portal_role(name, pattern, client, matrix_world):
    """Django's admin site is for technical staff (is_staff) only; no portal role opens it.
    A stranger is sent to the portal's own login (the admin has none of its own); a
    person logged in with a portal role is refused."""
    world = matrix_world
    path = _admin_path(pattern)
    login_url = reverse("account_login")
    for role in ROLES:
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        final = client.get(path, follow=True)
        if user is None:
            assert final.request["PATH_INFO"] == login_url, (name, role, path)
        else:
            assert final.status_code == 403, (name, role, path, final.status_code)
