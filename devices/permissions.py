"""Who may do what with devices, Wi-Fi, suitcases, bookings, plans and programmes.

Each function assumes the object was fetched through `visible_to(user)` (outsiders got
404 already) and answers only whether the role allows the action (403 when not).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Institution, Municipality, MunicipalRole
from institutions.querysets import STAFF_ROLES
from institutions.selectors import roles_for

from .models import Booking, Suitcase, WaitingListEntry
from .querysets import DEVICE_ROLES

ADMIN = MunicipalRole.Role.ADMINISTRATOR


def _is_admin(user, municipality_id: int) -> bool:
    return ADMIN in roles_for(user).in_municipality(municipality_id)


def _is_municipal(user, municipality_id: int) -> bool:
    return bool(roles_for(user).in_municipality(municipality_id))


def _roles(user, institution: Institution | int | None) -> set[str]:
    if institution is None:
        return set()
    return roles_for(user).in_institution(institution)


# A daycare's devices and Wi-Fi ------------------------------------------------------


def can_view_devices(user, institution: Institution) -> Decision:
    if _is_municipal(user, institution.municipality_id) or _roles(user, institution) & set(
        STAFF_ROLES
    ):
        return ALLOW
    return deny(_("Only the daycare's staff and the municipality see its devices."))


def can_manage_devices(user, institution: Institution) -> Decision:
    if _is_admin(user, institution.municipality_id) or _roles(user, institution) & set(
        DEVICE_ROLES
    ):
        return ALLOW
    return deny(
        _(
            "Only the leader, the digital ambassador and the municipality's administrators "
            "can register devices and Wi-Fi."
        )
    )


def device_institutions(user, municipality_id: int) -> list[Institution]:
    """The daycares in the municipality for which the user books suitcases."""
    return [
        m.institution
        for m in roles_for(user).memberships
        if m.role in DEVICE_ROLES
        and m.institution.municipality_id == municipality_id
        and m.institution.is_daycare
    ]


# The municipality's overview, suitcases, plans and programmes --------------------------


def can_view_municipality(user, municipality: Municipality) -> Decision:
    if _is_municipal(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants have access."))


def can_manage_municipality(user, municipality: Municipality) -> Decision:
    if _is_admin(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators can do this."))


def can_view_suitcases(user, municipality: Municipality) -> Decision:
    roles = roles_for(user)
    if _is_municipal(user, municipality.pk) or any(
        m.role in STAFF_ROLES and m.institution.municipality_id == municipality.pk
        for m in roles.memberships
    ):
        return ALLOW
    return deny(_("Only the daycares' staff and the municipality see the suitcases."))


def can_manage_suitcase(user, suitcase: Suitcase) -> Decision:
    return can_manage_municipality(user, suitcase.municipality)


def can_book(user, suitcase: Suitcase) -> Decision:
    if _is_admin(user, suitcase.municipality_id) or device_institutions(
        user, suitcase.municipality_id
    ):
        return ALLOW
    return deny(
        _("Only leaders, digital ambassadors and the municipality's administrators book suitcases.")
    )


def can_hand_over(user, booking: Booking) -> Decision:
    """Hand-over and return: the municipality's administrators and the home base."""
    suitcase = booking.suitcase
    if _is_admin(user, suitcase.municipality_id) or _roles(user, suitcase.home_base_id) & set(
        DEVICE_ROLES
    ):
        return ALLOW
    return deny(
        _(
            "Only the suitcase's home base and the municipality's administrators register "
            "hand-over and return."
        )
    )


def can_cancel_booking(user, booking: Booking) -> Decision:
    if _is_admin(user, booking.suitcase.municipality_id) or _roles(
        user, booking.institution_id
    ) & set(DEVICE_ROLES):
        return ALLOW
    return deny(_("Only the daycare's leader and digital ambassador can cancel its booking."))


def can_view_booking(user, booking: Booking) -> Decision:
    if (
        _is_municipal(user, booking.suitcase.municipality_id)
        or _roles(user, booking.institution_id) & set(STAFF_ROLES)
        or _roles(user, booking.suitcase.home_base_id) & set(DEVICE_ROLES)
    ):
        return ALLOW
    return deny(_("Only the borrowing daycare, the home base and the municipality see a booking."))


def can_answer_offer(user, entry: WaitingListEntry) -> Decision:
    if _roles(user, entry.institution_id) & set(DEVICE_ROLES) or _is_admin(
        user, entry.suitcase.municipality_id
    ):
        return ALLOW
    return deny(_("Only the daycare's leader and digital ambassador answer an offer."))
