"""Who may do what with pools, applications, grants, expenses and budgets.

Each function assumes the object was fetched through `visible_to(user)` (outsiders got
404 already) and answers only whether the role allows the action (403 when not). Whether
the object's state allows it (a deadline passed, a decision made) is the services' check.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Institution, Membership, Municipality, MunicipalRole
from institutions.selectors import roles_for

from .models import Application, Grant, Pool
from .querysets import GRANT_ROLES

ADMIN = MunicipalRole.Role.ADMINISTRATOR
LEADER = Membership.Role.LEADER


def _is_admin(user, municipality_id: int) -> bool:
    return ADMIN in roles_for(user).in_municipality(municipality_id)


def _is_municipal(user, municipality_id: int) -> bool:
    return bool(roles_for(user).in_municipality(municipality_id))


def _works_with_money(user, institution: Institution | int) -> bool:
    return bool(roles_for(user).in_institution(institution) & set(GRANT_ROLES))


def _is_leader(user, institution: Institution | int) -> bool:
    return LEADER in roles_for(user).in_institution(institution)


def _leads_with_money_in(user, municipality_id: int) -> bool:
    return any(
        m.role in GRANT_ROLES and m.institution.municipality_id == municipality_id
        for m in roles_for(user).memberships
    )


# Pools -------------------------------------------------------------------------------


def can_view_pools(user, municipality: Municipality) -> Decision:
    if _is_municipal(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants have access."))


def can_manage_pools(user, municipality: Municipality) -> Decision:
    if _is_admin(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators can manage pools."))


def can_view_pool(user, pool: Pool) -> Decision:
    if _is_municipal(user, pool.municipality_id) or _leads_with_money_in(
        user, pool.municipality_id
    ):
        return ALLOW
    return deny(_("Only leaders, digital ambassadors and the municipality see the pools."))


def can_edit_pool(user, pool: Pool) -> Decision:
    return can_manage_pools(user, pool.municipality)


def money_institution_ids(user, municipality_id: int) -> set[int]:
    """The daycares in the municipality where the user is leader or digital ambassador."""
    return {
        m.institution_id
        for m in roles_for(user).memberships
        if m.role in GRANT_ROLES and m.institution.municipality_id == municipality_id
    }


def apply_as(user, pool: Pool) -> list[Institution]:
    """The daycares for which this user may draft an application to `pool`."""
    return [
        m.institution
        for m in roles_for(user).memberships
        if m.role in GRANT_ROLES
        and m.institution.municipality_id == pool.municipality_id
        and pool.accepts(m.institution)
    ]


# A daycare's money -------------------------------------------------------------------


def can_view_grants(user, institution: Institution) -> Decision:
    if _is_municipal(user, institution.municipality_id) or _works_with_money(user, institution):
        return ALLOW
    return deny(
        _("Only the leader, the digital ambassador and the municipality see the daycare's grants.")
    )


def can_apply(user, institution: Institution) -> Decision:
    if _works_with_money(user, institution):
        return ALLOW
    return deny(_("Only the leader and the digital ambassador can apply for funding."))


def can_manage_budget(user, institution: Institution) -> Decision:
    if _is_leader(user, institution):
        return ALLOW
    return deny(_("Only the leader can change the daycare's budget."))


# Applications ------------------------------------------------------------------------


def can_view_application(user, application: Application) -> Decision:
    return can_view_grants(user, application.institution)


def can_edit_application(user, application: Application) -> Decision:
    return can_apply(user, application.institution)


def can_submit_application(user, application: Application) -> Decision:
    if _is_leader(user, application.institution_id):
        return ALLOW
    return deny(_("Only the leader can submit or withdraw the daycare's applications."))


def can_withdraw_application(user, application: Application) -> Decision:
    return can_submit_application(user, application)


def can_review_application(user, application: Application) -> Decision:
    if _is_admin(user, application.institution.municipality_id):
        return ALLOW
    return deny(_("Only the municipality's administrators review and decide applications."))


def can_comment_application(user, application: Application) -> Decision:
    if _is_admin(user, application.institution.municipality_id) or _is_leader(
        user, application.institution_id
    ):
        return ALLOW
    return deny(_("Only the administrators and the daycare's leader can write comments."))


def can_report(user, application: Application) -> Decision:
    if _is_leader(user, application.institution_id):
        return ALLOW
    return deny(_("Only the leader can submit the final report."))


def can_download_letter(user, application: Application) -> Decision:
    return can_view_application(user, application)


# Grants and expenses -----------------------------------------------------------------


def can_view_grant(user, grant: Grant) -> Decision:
    return can_view_grants(user, grant.institution)


def can_book_expense(user, grant: Grant) -> Decision:
    if _works_with_money(user, grant.institution_id):
        return ALLOW
    return deny(_("Only the leader and the digital ambassador can book expenses."))


def can_close_grant(user, grant: Grant) -> Decision:
    if _is_admin(user, grant.institution.municipality_id):
        return ALLOW
    return deny(_("Only the municipality's administrators can close a grant."))
