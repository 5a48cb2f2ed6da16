"""Who may do what with the strategy, local goals, action plans, discussions, evaluations
and projects.

Each function assumes the object was fetched through the user's scope (see
querysets.py), so it only answers whether the role allows the action (403 when not).

- Leaders and digital ambassadors edit their daycare's goals, plans, discussions and
  evaluations.
- Staff and childminders read them; they add evidence to, and set the status of, the
  steps they own.
- Board members (parents on the board) read goals, plans and discussions, not evidence
  (it may show children).
- The municipality's administrators and consultants read everything in the
  municipality; administrators edit the municipal level: the strategy and the
  municipality's projects.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Institution, Membership, Municipality, MunicipalRole
from institutions.querysets import STAFF_ROLES
from institutions.selectors import roles_for

from .models import ActionStep, Evidence, Project

ADMIN = MunicipalRole.Role.ADMINISTRATOR
EDITORS = frozenset({Membership.Role.LEADER, Membership.Role.AMBASSADOR})
READERS = frozenset({*STAFF_ROLES, Membership.Role.BOARD_MEMBER})


def _held(user, institution: Institution | int) -> set[str]:
    return roles_for(user).in_institution(institution)


def _municipal(user, municipality_id: int) -> set[str]:
    return roles_for(user).in_municipality(municipality_id)


def _is_editor(user, institution: Institution) -> bool:
    return bool(_held(user, institution) & EDITORS)


# The strategy -------------------------------------------------------------------------


def can_view_strategy(user, municipality: Municipality) -> Decision:
    """The strategy is the municipality's public steering document: everyone who belongs
    to the municipality (municipal staff, daycare staff, board members, guardians) reads it."""
    roles = roles_for(user)
    if (
        roles.in_municipality(municipality)
        or any(m.institution.municipality_id == municipality.pk for m in roles.memberships)
        or roles.is_guardian
    ):
        return ALLOW
    return deny(_("Only people in the municipality can read its strategy."))


def can_edit_strategy(user, municipality: Municipality) -> Decision:
    if ADMIN in _municipal(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators can change the strategy."))


def can_view_goal_overview(user, municipality: Municipality) -> Decision:
    if _municipal(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants have access."))


# A daycare's goals ----------------------------------------------------------------------


def can_view_goals(user, institution: Institution) -> Decision:
    if _municipal(user, institution.municipality_id) or _held(user, institution) & READERS:
        return ALLOW
    return deny(
        _("Only the daycare's staff, its parent board and the municipality can read its goals.")
    )


def can_edit_goals(user, institution: Institution) -> Decision:
    if _is_editor(user, institution):
        return ALLOW
    return deny(_("Only the leader and the digital ambassador can change the daycare's goals."))


def can_view_evidence(user, institution: Institution, kind: str | None = None) -> Decision:
    """The daycare's staff see all evidence; the municipality all but photos, which may
    show children; board members none."""
    if _held(user, institution) & set(STAFF_ROLES):
        return ALLOW
    if kind != Evidence.Kind.PHOTO and _municipal(user, institution.municipality_id):
        return ALLOW
    return deny(_("Only the daycare's staff can see this documentation."))


def _owns(user, step: ActionStep, institution: Institution) -> bool:
    return step.owner_id == user.pk and bool(_held(user, institution) & set(STAFF_ROLES))


def can_update_step(user, step: ActionStep, institution: Institution) -> Decision:
    """Change a step's status or add evidence: the editors, and the step's owner."""
    if _is_editor(user, institution) or _owns(user, step, institution):
        return ALLOW
    return deny(
        _("Only the step's owner, the leader and the digital ambassador can update this step.")
    )


def can_delete_evidence(user, evidence: Evidence, institution: Institution) -> Decision:
    if _is_editor(user, institution):
        return ALLOW
    if evidence.added_by_id == user.pk and _held(user, institution) & set(STAFF_ROLES):
        return ALLOW
    return deny(_("Only the person who added it, the leader and the ambassador can remove it."))


# Discussions and evaluations ------------------------------------------------------------


def can_view_discussions(user, institution: Institution) -> Decision:
    if _municipal(user, institution.municipality_id) or _held(user, institution) & READERS:
        return ALLOW
    return deny(_("Only the daycare's staff, its parent board and the municipality have access."))


def can_edit_discussions(user, institution: Institution) -> Decision:
    if _is_editor(user, institution):
        return ALLOW
    return deny(_("Only the leader and the digital ambassador can record discussions."))


def can_view_evaluations(user, institution: Institution) -> Decision:
    return can_view_discussions(user, institution)


def can_edit_evaluations(user, institution: Institution) -> Decision:
    if _is_editor(user, institution):
        return ALLOW
    return deny(_("Only the leader and the digital ambassador can record evaluations."))


# Projects -------------------------------------------------------------------------------


def can_view_projects(user, municipality: Municipality) -> Decision:
    """Projects are shared across the municipality's daycares, to learn from each other."""
    roles = roles_for(user)
    if roles.in_municipality(municipality) or any(
        m.institution.municipality_id == municipality.pk for m in roles.memberships
    ):
        return ALLOW
    return deny(_("Only the municipality and its daycares can see the projects."))


def can_create_municipal_project(user, municipality: Municipality) -> Decision:
    if ADMIN in _municipal(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators can create the municipality's projects."))


def can_create_institution_project(user, institution: Institution) -> Decision:
    if _is_editor(user, institution):
        return ALLOW
    return deny(_("Only the leader and the digital ambassador can create the daycare's projects."))


def can_edit_project(user, project: Project) -> Decision:
    if project.owner_institution_id is None:
        return can_create_municipal_project(user, project.municipality)
    if _held(user, project.owner_institution_id) & EDITORS:
        return ALLOW
    return deny(_("Only the leader and the digital ambassador of the owning daycare can edit it."))
