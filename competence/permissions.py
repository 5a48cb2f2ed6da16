"""Who may do what in competence development.

Each function assumes the object was fetched through `visible_to(user)` (so the user
works in its municipality) and answers whether the role allows the action (403 if not).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Institution, Membership, Municipality, MunicipalRole
from institutions.querysets import STAFF_ROLES
from institutions.selectors import roles_for

from .models import Comment, Event, Meeting, Network, Post, Registration

ADMIN = MunicipalRole.Role.ADMINISTRATOR
LEADER = Membership.Role.LEADER
AMBASSADOR = Membership.Role.AMBASSADOR


def _municipality_id(municipality: Municipality | int) -> int:
    return getattr(municipality, "pk", municipality)


def is_admin(user, municipality: Municipality | int) -> bool:
    return ADMIN in roles_for(user).in_municipality(_municipality_id(municipality))


def is_municipal(user, municipality: Municipality | int) -> bool:
    return bool(roles_for(user).in_municipality(_municipality_id(municipality)))


def staff_institutions(user, municipality: Municipality | int) -> list[Institution]:
    """The active daycares of `municipality` where the user holds a staff role."""
    pk = _municipality_id(municipality)
    return [
        i
        for i in roles_for(user).institutions(*STAFF_ROLES)
        if i.municipality_id == pk and i.is_daycare and i.is_active
    ]


def led_institutions(user, municipality: Municipality | int) -> list[Institution]:
    pk = _municipality_id(municipality)
    return [
        i
        for i in roles_for(user).institutions(LEADER)
        if i.municipality_id == pk and i.is_daycare and i.is_active
    ]


def works_in_municipality(user, municipality: Municipality | int) -> bool:
    pk = _municipality_id(municipality)
    return is_municipal(user, pk) or any(
        m.role in STAFF_ROLES and m.institution.municipality_id == pk
        for m in roles_for(user).memberships
    )


# The municipality's competence pages --------------------------------------------------


def can_view_competence(user, municipality: Municipality) -> Decision:
    if works_in_municipality(user, municipality):
        return ALLOW
    return deny(_("Only the municipality's staff and the staff of its daycares have access."))


def can_view_plans_overview(user, municipality: Municipality) -> Decision:
    if is_municipal(user, municipality):
        return ALLOW
    return deny(_("Only the municipality sees every daycare's competence plan."))


def can_manage_events(user, municipality: Municipality) -> Decision:
    if is_admin(user, municipality):
        return ALLOW
    return deny(_("Only the municipality's administrators can plan events."))


def can_view_registrations(user, event: Event) -> Decision:
    if is_municipal(user, event.municipality_id):
        return ALLOW
    return deny(_("Only the municipality can see every daycare's registrations."))


def can_check_in(user, event: Event) -> Decision:
    if is_municipal(user, event.municipality_id):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants take attendance."))


def can_register(user, event: Event) -> Decision:
    if staff_institutions(user, event.municipality_id):
        return ALLOW
    return deny(_("Only staff of the municipality's daycares can register for events."))


def registrable_people(user, event: Event) -> dict[Institution, bool]:
    """The daycares the user may register people from: {institution: may register others}.
    A leader registers anyone who works in her daycare; others register themselves."""
    led = {i.pk for i in led_institutions(user, event.municipality_id)}
    return {i: i.pk in led for i in staff_institutions(user, event.municipality_id)}


def can_cancel_registration(user, registration: Registration) -> Decision:
    if registration.user_id == user.pk:
        return ALLOW
    if is_admin(user, registration.event.municipality_id):
        return ALLOW
    if LEADER in roles_for(user).in_institution(registration.institution_id):
        return ALLOW
    return deny(_("Only the person, the daycare's leader and the municipality can cancel."))


# Networks ---------------------------------------------------------------------------


def can_create_network(user, municipality: Municipality) -> Decision:
    if is_admin(user, municipality):
        return ALLOW
    return deny(_("Only the municipality's administrators can set up networks."))


def can_manage_network(user, network: Network) -> Decision:
    if network.organiser_id == user.pk or is_admin(user, network.municipality_id):
        return ALLOW
    return deny(_("Only the network's organiser and the municipality's administrators can."))


def can_manage_meeting(user, meeting: Meeting) -> Decision:
    return can_manage_network(user, meeting.network)


# Competence plans -------------------------------------------------------------------


def can_view_plan(user, institution: Institution) -> Decision:
    if is_municipal(user, institution.municipality_id) or roles_for(user).in_institution(
        institution
    ) & set(STAFF_ROLES):
        return ALLOW
    return deny(_("Only the daycare's staff and the municipality can see its competence plan."))


def can_edit_plan(user, institution: Institution) -> Decision:
    if LEADER in roles_for(user).in_institution(institution):
        return ALLOW
    return deny(_("Only the leader sets aside money and hours for competence development."))


def can_manage_activities(user, institution: Institution) -> Decision:
    if roles_for(user).in_institution(institution) & {LEADER, AMBASSADOR}:
        return ALLOW
    return deny(_("Only the leader and the digital ambassador can change the activities."))


# Knowledge sharing ------------------------------------------------------------------


def can_share_experience(user, municipality: Municipality) -> Decision:
    if staff_institutions(user, municipality):
        return ALLOW
    return deny(_("Only staff of the municipality's daycares can share experiences."))


def can_edit_post(user, post: Post) -> Decision:
    if post.author_id == user.pk:
        return ALLOW
    return deny(_("Only the author can change a shared experience."))


def can_delete_post(user, post: Post) -> Decision:
    if post.author_id == user.pk or is_admin(user, post.institution.municipality_id):
        return ALLOW
    return deny(_("Only the author and the municipality's administrators can delete it."))


def can_mark_useful(user, post: Post) -> Decision:
    if post.author_id == user.pk:
        return deny(_("You cannot mark your own experience as useful."))
    return ALLOW


def can_delete_comment(user, comment: Comment) -> Decision:
    if comment.author_id == user.pk or is_admin(user, comment.post.institution.municipality_id):
        return ALLOW
    return deny(_("Only the author and the municipality's administrators can delete it."))
