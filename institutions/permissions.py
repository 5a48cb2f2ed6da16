"""Who may do what with institutions, groups, people and children.

Each function assumes the object was already fetched through `visible_to(user)`, so it
only answers whether the user's role allows the action (403 when not).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny

from .models import Child, Institution, Membership, Municipality, MunicipalRole
from .querysets import STAFF_ROLES
from .selectors import roles_for

ADMIN = MunicipalRole.Role.ADMINISTRATOR
LEADER = Membership.Role.LEADER
# The daycare roles that follow the strategy's indicators.
INDICATOR_ROLES = ("leader", "ambassador")


def _is_admin(user, municipality_id: int) -> bool:
    return ADMIN in roles_for(user).in_municipality(municipality_id)


def _is_municipal(user, municipality_id: int) -> bool:
    return bool(roles_for(user).in_municipality(municipality_id))


def _institution_roles(user, institution: Institution) -> set[str]:
    return roles_for(user).in_institution(institution)


def can_view_municipality(user, municipality: Municipality) -> Decision:
    if _is_municipal(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants have access."))


def can_administer_municipality(user, municipality: Municipality) -> Decision:
    if _is_admin(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators have access."))


def can_view_institution(user, institution: Institution) -> Decision:
    if _is_municipal(user, institution.municipality_id) or _institution_roles(user, institution):
        return ALLOW
    return deny(_("Only the institution's staff and the municipality have access."))


def can_edit_institution(user, institution: Institution) -> Decision:
    if _is_admin(user, institution.municipality_id):
        return ALLOW
    return deny(_("Only the municipality's administrators can change an institution."))


def can_manage_groups(user, institution: Institution) -> Decision:
    if _is_admin(user, institution.municipality_id) or LEADER in _institution_roles(
        user, institution
    ):
        return ALLOW
    return deny(_("Only the leader and the municipality's administrators can change groups."))


def can_view_people(user, institution: Institution) -> Decision:
    if _is_municipal(user, institution.municipality_id) or _institution_roles(
        user, institution
    ) & set(STAFF_ROLES):
        return ALLOW
    return deny(_("Only the institution's staff and the municipality can see who works here."))


def invitable_roles(user, institution: Institution) -> list[str]:
    """The institution roles this user may invite people to."""
    if _is_admin(user, institution.municipality_id):
        return [role.value for role in Membership.Role]
    if LEADER in _institution_roles(user, institution):
        return [role.value for role in Membership.Role if role != LEADER]
    return []


def can_invite_to_institution(user, institution: Institution, role: str | None = None) -> Decision:
    allowed = invitable_roles(user, institution)
    if allowed and (role is None or role in allowed):
        return ALLOW
    if allowed:
        return deny(_("Only the municipality's administrators can appoint a leader."))
    return deny(_("Only the leader and the municipality's administrators can invite people."))


def can_remove_membership(user, membership: Membership) -> Decision:
    if membership.user_id == user.pk and membership.role == LEADER:
        return deny(_("A leader cannot remove their own leader role."))
    if _is_admin(user, membership.institution.municipality_id):
        return ALLOW
    if LEADER in _institution_roles(user, membership.institution) and membership.role != LEADER:
        return ALLOW
    return deny(_("Only the leader and the municipality's administrators can remove roles."))


def can_view_children(user, institution: Institution) -> Decision:
    if _institution_roles(user, institution) & set(STAFF_ROLES):
        return ALLOW
    return deny(_("Only the institution's staff can see its children."))


def can_manage_children(user, institution: Institution) -> Decision:
    if LEADER in _institution_roles(user, institution):
        return ALLOW
    return deny(_("Only the leader can change the children register."))


def can_invite_guardian(user, child: Child) -> Decision:
    return can_manage_children(user, child.group.institution)


def can_view_children_counts(user, institution: Institution) -> Decision:
    if _is_municipal(user, institution.municipality_id) or LEADER in _institution_roles(
        user, institution
    ):
        return ALLOW
    return deny(_("Only the leader and the municipality can see children counts."))


def can_manage_children_counts(user, institution: Institution) -> Decision:
    if _is_admin(user, institution.municipality_id):
        return ALLOW
    return deny(_("Only the municipality's administrators can record children counts."))


def can_view_institution_indicators(user, institution: Institution) -> Decision:
    roles = roles_for(user)
    if roles.in_municipality(institution.municipality_id):
        return ALLOW
    if roles.in_institution(institution) & set(INDICATOR_ROLES):
        return ALLOW
    return deny(
        _("Only the leader, the digital ambassador and the municipality see the indicators.")
    )


def can_work_on_indicators(user, institution: Institution) -> bool:
    """Whether the indicators' links to where each is done are shown: to the daycare's
    leader, who may act on every one of them. Others (the ambassador, the municipality)
    read the evidence and would meet pages they may not use."""
    return LEADER in roles_for(user).in_institution(institution)
