"""Who reaches what: `visible_to(user)` for every role, on one shared world.

The world (tests/conftest.py): Køge with our daycare Solstrålen (groups Myren, Egernet;
the child Alma in Myren), the neighbour Troldehøjen (Uglen, Otto) and Dagplejen (a
childminding unit); Solrød with Havtornen (Krabben, Freja).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from institutions.models import Child, Group, Institution, Membership, Municipality
from institutions.selectors import roles_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KOEGE_INSTITUTIONS = {"Dagplejen", "Solstrålen", "Troldehøjen"}


def _user(world, role):
    if role == "anonymous":
        return AnonymousUser()
    if role == "outsider":
        return UserFactory()
    return world.user(role)


def _names(queryset) -> set[str]:
    return {obj.name for obj in queryset}


@pytest.mark.parametrize(
    "role,expected",
    [
        ("admin", KOEGE_INSTITUTIONS),
        ("consultant", KOEGE_INSTITUTIONS),
        ("other_admin", {"Havtornen"}),
        ("leader", {"Solstrålen"}),
        ("ambassador", {"Solstrålen"}),
        ("staff", {"Solstrålen"}),
        ("board_member", {"Solstrålen"}),
        ("childminder", {"Dagplejen"}),
        ("other_leader", {"Troldehøjen"}),
        ("guardian", {"Solstrålen"}),
        ("outsider", set()),
        ("anonymous", set()),
    ],
)
def test_institutions_visible_to_each_role(shared_world, role, expected):
    assert _names(Institution.objects.visible_to(_user(shared_world, role))) == expected


@pytest.mark.parametrize(
    "role,expected",
    [
        ("admin", {"Myren", "Egernet", "Uglen"}),
        ("consultant", {"Myren", "Egernet", "Uglen"}),
        ("other_admin", {"Krabben"}),
        ("leader", {"Myren", "Egernet"}),
        ("ambassador", {"Myren", "Egernet"}),
        ("staff", {"Myren", "Egernet"}),
        ("board_member", set()),
        ("other_leader", {"Uglen"}),
        ("guardian", {"Myren"}),
        ("outsider", set()),
        ("anonymous", set()),
    ],
)
def test_groups_visible_to_each_role(shared_world, role, expected):
    assert _names(Group.objects.visible_to(_user(shared_world, role))) == expected


@pytest.mark.parametrize(
    "role,expected",
    [
        # The municipality works with counts, never with individual children.
        ("admin", set()),
        ("consultant", set()),
        ("other_admin", set()),
        ("leader", {"Alma"}),
        ("ambassador", {"Alma"}),
        ("staff", {"Alma"}),
        # Board members are parents with a seat on the board, not staff.
        ("board_member", set()),
        ("childminder", set()),
        ("other_leader", {"Otto"}),
        ("guardian", {"Alma"}),
        ("outsider", set()),
        ("anonymous", set()),
    ],
)
def test_children_visible_to_each_role(shared_world, role, expected):
    children = Child.objects.visible_to(_user(shared_world, role))
    assert {child.first_name for child in children} == expected


@pytest.mark.parametrize(
    "role,expected",
    [
        (
            "admin",
            {
                "leder@example.org",
                "ambassador@example.org",
                "paedagog@example.org",
                "bestyrelse@example.org",
                "dagplejer@example.org",
                "leder2@example.org",
            },
        ),
        (
            "consultant",
            {
                "leder@example.org",
                "ambassador@example.org",
                "paedagog@example.org",
                "bestyrelse@example.org",
                "dagplejer@example.org",
                "leder2@example.org",
            },
        ),
        ("other_admin", {"leder@solrod.example.org"}),
        (
            "staff",
            {
                "leder@example.org",
                "ambassador@example.org",
                "paedagog@example.org",
                "bestyrelse@example.org",
            },
        ),
        ("board_member", set()),
        ("guardian", set()),
        ("other_leader", {"leder2@example.org"}),
        ("outsider", set()),
        ("anonymous", set()),
    ],
)
def test_memberships_visible_to_each_role(shared_world, role, expected):
    memberships = Membership.objects.visible_to(_user(shared_world, role)).select_related("user")
    assert {m.user.email for m in memberships} == expected


@pytest.mark.parametrize(
    "role,expected",
    [
        ("admin", {"Køge Kommune"}),
        ("consultant", {"Køge Kommune"}),
        ("leader", {"Køge Kommune"}),
        ("board_member", {"Køge Kommune"}),
        ("childminder", {"Køge Kommune"}),
        ("guardian", {"Køge Kommune"}),
        ("other_admin", {"Solrød Kommune"}),
        ("outsider", set()),
        ("anonymous", set()),
    ],
)
def test_municipalities_visible_to_each_role(shared_world, role, expected):
    assert _names(Municipality.objects.visible_to(_user(shared_world, role))) == expected


@pytest.mark.parametrize(
    "role,required",
    [
        ("admin", True),
        ("leader", True),
        ("consultant", False),
        ("ambassador", False),
        ("staff", False),
        ("board_member", False),
        ("guardian", False),
    ],
)
def test_two_factor_is_required_of_administrators_and_leaders_only(shared_world, role, required):
    assert roles_for(shared_world.user(role)).requires_two_factor is required
