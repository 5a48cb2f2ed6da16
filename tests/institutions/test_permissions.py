"""permissions.py: every decision for every role, on our daycare Solstrålen in Køge, and
the reason a refusal gives (shown on the 403 page)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.permissions import ALLOW, Decision, deny, require
from institutions import permissions
from institutions.models import Membership

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "guardian",
    "board_member",
    "staff",
    "ambassador",
    "leader",
    "childminder",
    "other_leader",
    "consultant",
    "admin",
    "other_admin",
)

# check name -> (how to call it on the world, the roles it allows)
CHECKS = {
    "view_municipality": (
        lambda w, u: permissions.can_view_municipality(u, w.municipality),
        {"consultant", "admin"},
    ),
    "administer_municipality": (
        lambda w, u: permissions.can_administer_municipality(u, w.municipality),
        {"admin"},
    ),
    "view_institution": (
        lambda w, u: permissions.can_view_institution(u, w.institution),
        {"board_member", "staff", "ambassador", "leader", "consultant", "admin"},
    ),
    "edit_institution": (
        lambda w, u: permissions.can_edit_institution(u, w.institution),
        {"admin"},
    ),
    "manage_groups": (
        lambda w, u: permissions.can_manage_groups(u, w.institution),
        {"leader", "admin"},
    ),
    "view_people": (
        lambda w, u: permissions.can_view_people(u, w.institution),
        {"staff", "ambassador", "leader", "consultant", "admin"},
    ),
    "invite_to_institution": (
        lambda w, u: permissions.can_invite_to_institution(u, w.institution),
        {"leader", "admin"},
    ),
    "view_children": (
        lambda w, u: permissions.can_view_children(u, w.institution),
        {"staff", "ambassador", "leader"},
    ),
    "manage_children": (
        lambda w, u: permissions.can_manage_children(u, w.institution),
        {"leader"},
    ),
    "invite_guardian": (
        lambda w, u: permissions.can_invite_guardian(u, w.objects["child"]),
        {"leader"},
    ),
    "view_children_counts": (
        lambda w, u: permissions.can_view_children_counts(u, w.institution),
        {"leader", "consultant", "admin"},
    ),
    "manage_children_counts": (
        lambda w, u: permissions.can_manage_children_counts(u, w.institution),
        {"admin"},
    ),
}


def _user(world, role):
    return AnonymousUser() if role == "anonymous" else world.user(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("check", sorted(CHECKS))
def test_decision_for_every_role(shared_world, check, role):
    call, allowed = CHECKS[check]

    decision = call(shared_world, _user(shared_world, role))

    assert isinstance(decision, Decision)
    assert decision.allowed is (role in allowed), f"{check} for {role}"
    if decision:
        assert decision.reason == ""
    else:
        assert decision.reason, f"{check} refuses {role} without a reason"


@pytest.mark.parametrize(
    "check,role,reason",
    [
        (
            "view_municipality",
            "leader",
            "Only the municipality's administrators and consultants have access.",
        ),
        (
            "administer_municipality",
            "consultant",
            "Only the municipality's administrators have access.",
        ),
        (
            "edit_institution",
            "leader",
            "Only the municipality's administrators can change an institution.",
        ),
        (
            "view_people",
            "board_member",
            "Only the institution's staff and the municipality can see who works here.",
        ),
        ("view_children", "admin", "Only the institution's staff can see its children."),
        ("manage_children", "staff", "Only the leader can change the children register."),
        (
            "invite_to_institution",
            "ambassador",
            "Only the leader and the municipality's administrators can invite people.",
        ),
        (
            "view_children_counts",
            "staff",
            "Only the leader and the municipality can see children counts.",
        ),
        (
            "manage_children_counts",
            "leader",
            "Only the municipality's administrators can record children counts.",
        ),
    ],
)
def test_refusal_names_who_may(shared_world, check, role, reason):
    call, _allowed = CHECKS[check]
    with translation.override("en"):
        assert call(shared_world, shared_world.user(role)).reason == reason


@pytest.mark.parametrize(
    "role,expected",
    [
        ("admin", ["leader", "ambassador", "staff", "childminder", "board_member"]),
        ("leader", ["ambassador", "staff", "childminder", "board_member"]),
        ("ambassador", []),
        ("staff", []),
        ("consultant", []),
        ("other_leader", []),
        ("other_admin", []),
    ],
)
def test_invitable_roles(shared_world, role, expected):
    assert (
        permissions.invitable_roles(shared_world.user(role), shared_world.institution) == expected
    )


def test_leader_may_invite_staff_but_not_appoint_a_leader(shared_world):
    leader, institution = shared_world.user("leader"), shared_world.institution

    assert permissions.can_invite_to_institution(leader, institution, Membership.Role.STAFF)
    assert permissions.can_invite_to_institution(leader, institution, Membership.Role.AMBASSADOR)
    with translation.override("en"):
        refused = permissions.can_invite_to_institution(leader, institution, Membership.Role.LEADER)
    assert not refused
    assert refused.reason == "Only the municipality's administrators can appoint a leader."


def test_administrator_may_appoint_a_leader(shared_world):
    assert permissions.can_invite_to_institution(
        shared_world.user("admin"), shared_world.institution, Membership.Role.LEADER
    )


def _membership(world, role: str, user_role: str) -> Membership:
    # Unsaved: the check reads only the user, the institution and the role.
    return Membership(user=world.user(user_role), institution=world.institution, role=role)


@pytest.mark.parametrize(
    "actor,membership_role,member,allowed",
    [
        ("leader", "staff", "staff", True),
        ("leader", "ambassador", "ambassador", True),
        ("leader", "board_member", "board_member", True),
        ("admin", "leader", "leader", True),
        ("admin", "staff", "staff", True),
        # A co-leader is appointed and removed by the municipality.
        ("leader", "leader", "ambassador", False),
        ("ambassador", "staff", "staff", False),
        ("staff", "staff", "staff", False),
        ("consultant", "staff", "staff", False),
        ("other_leader", "staff", "staff", False),
        ("other_admin", "staff", "staff", False),
    ],
)
def test_who_may_remove_a_role(shared_world, actor, membership_role, member, allowed):
    membership = _membership(shared_world, membership_role, member)
    decision = permissions.can_remove_membership(shared_world.user(actor), membership)
    assert decision.allowed is allowed


def test_leader_cannot_remove_their_own_leader_role(shared_world):
    leader = shared_world.user("leader")
    own = Membership.objects.get(user=leader, institution=shared_world.institution)

    with translation.override("en"):
        decision = permissions.can_remove_membership(leader, own)

    assert not decision
    assert decision.reason == "A leader cannot remove their own leader role."


def test_a_role_in_one_institution_gives_nothing_in_the_next(shared_world):
    other_leader = shared_world.user("other_leader")
    assert permissions.can_manage_groups(other_leader, shared_world.neighbour)
    assert not permissions.can_manage_groups(other_leader, shared_world.institution)
    assert not permissions.can_view_children(other_leader, shared_world.institution)


def test_a_municipal_role_gives_nothing_in_another_municipality(shared_world):
    admin = shared_world.user("admin")
    assert permissions.can_edit_institution(admin, shared_world.neighbour)
    assert not permissions.can_edit_institution(admin, shared_world.foreign)
    assert not permissions.can_view_municipality(admin, shared_world.other_municipality)


def test_decision_is_truthy_only_when_allowed_and_require_raises_the_reason():
    assert ALLOW
    refused = deny("Nej")
    assert not refused
    assert refused.reason == "Nej"

    require(ALLOW)
    with pytest.raises(PermissionDenied, match="Nej"):
        require(refused)
