"""Who may do what in the children's own voice.

Each function assumes the object was fetched through the scopes in querysets.py (404
outside them) and answers whether the role allows the action (403 when not).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Institution, Membership, Municipality, MunicipalRole
from institutions.selectors import roles_for

from .querysets import STAFF_ROLES

ADMIN = MunicipalRole.Role.ADMINISTRATOR
LEADER = Membership.Role.LEADER


def can_view_questions(user, municipality: Municipality) -> Decision:
    if roles_for(user).in_municipality(municipality):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants see the questions."))


def can_edit_questions(user, municipality: Municipality) -> Decision:
    if ADMIN in roles_for(user).in_municipality(municipality):
        return ALLOW
    return deny(_("Only the municipality's administrators edit the questions."))


def can_view_municipal_results(user, municipality: Municipality) -> Decision:
    return can_view_questions(user, municipality)


def can_view_assessment(user, institution: Institution) -> Decision:
    """Who opens the daycare's results and its environment assessment: the same people as
    the scope `querysets.wellbeing_institutions` (its staff roles, the municipality)."""
    roles = roles_for(user)
    if roles.in_municipality(institution.municipality_id) or (
        roles.in_institution(institution) & set(STAFF_ROLES)
    ):
        return ALLOW
    return deny(_("Only the daycare's staff and the municipality see the children's answers."))


def can_edit_assessment(user, institution: Institution) -> Decision:
    if LEADER in roles_for(user).in_institution(institution):
        return ALLOW
    return deny(_("Only the leader writes the children's environment assessment."))
