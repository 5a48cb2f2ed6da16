"""Who may do what in place allocation.

Each function assumes the object was fetched through `visible_to(user)` (outsiders got
404 already) and answers only whether the role allows the action (403 when not). Whether
the object's state allows it (a deadline passed, a place taken) is the services' check.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Institution, Membership, Municipality, MunicipalRole
from institutions.selectors import roles_for

from .models import Offer, Signup

ADMIN = MunicipalRole.Role.ADMINISTRATOR
LEADER = Membership.Role.LEADER


def _is_admin(user, municipality_id: int) -> bool:
    return ADMIN in roles_for(user).in_municipality(municipality_id)


def _is_municipal(user, municipality_id: int) -> bool:
    return bool(roles_for(user).in_municipality(municipality_id))


def _is_leader(user, institution: Institution | int) -> bool:
    return LEADER in roles_for(user).in_institution(institution)


# The municipality ---------------------------------------------------------------------


def can_view_admissions(user, municipality: Municipality) -> Decision:
    if _is_municipal(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants have access."))


def can_manage_policy(user, municipality: Municipality) -> Decision:
    if _is_admin(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators can change the rules."))


def can_register_paper_signup(user, municipality: Municipality) -> Decision:
    return can_view_admissions(user, municipality)


def can_assess_needs(user, signup: Signup) -> Decision:
    if _is_municipal(user, signup.municipality_id):
        return ALLOW
    return deny(_("Only the municipality assesses a child's needs."))


# A daycare ----------------------------------------------------------------------------


def can_view_waiting_list(user, institution: Institution) -> Decision:
    if _is_leader(user, institution) or _is_municipal(user, institution.municipality_id):
        return ALLOW
    return deny(_("Only the leader and the municipality see the waiting list."))


def can_make_offer(user, institution: Institution) -> Decision:
    if _is_leader(user, institution) or _is_admin(user, institution.municipality_id):
        return ALLOW
    return deny(_("Only the leader and the municipality's administrators offer places."))


def can_manage_capacity(user, institution: Institution) -> Decision:
    if _is_admin(user, institution.municipality_id):
        return ALLOW
    return deny(_("Only the municipality's administrators set the places."))


def can_move_children_on(user, institution: Institution) -> Decision:
    if _is_leader(user, institution):
        return ALLOW
    return deny(_("Only the leader moves children on to school."))


# A family's sign-up ---------------------------------------------------------------------


def _on_behalf(user, signup: Signup) -> bool:
    """The municipality acts for a family that signed up on paper."""
    return signup.channel == Signup.Channel.PAPER and _is_municipal(user, signup.municipality_id)


def can_change_signup(user, signup: Signup) -> Decision:
    if signup.parent_id == user.pk or _on_behalf(user, signup):
        return ALLOW
    return deny(_("Only the parent who signed the child up can change the sign-up."))


def can_answer_offer(user, offer: Offer) -> Decision:
    return can_change_signup(user, offer.signup)


def can_read_letters(user, signup: Signup) -> Decision:
    if signup.parent_id == user.pk or _is_municipal(user, signup.municipality_id):
        return ALLOW
    return deny(_("The letters are for the family and the municipality."))
