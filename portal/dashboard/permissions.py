"""Who sees the dashboard. Objects were fetched through `visible_to` first (404 outside
it); these answer whether the role allows it (403)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Institution, Municipality
from institutions.selectors import roles_for
from portal.models import REPORT_ROLES


def can_view_dashboard(user, municipality: Municipality) -> Decision:
    if roles_for(user).in_municipality(municipality):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants see the dashboard."))


def can_view_institution_indicators(user, institution: Institution) -> Decision:
    roles = roles_for(user)
    if roles.in_municipality(institution.municipality_id):
        return ALLOW
    if roles.in_institution(institution) & set(REPORT_ROLES):
        return ALLOW
    return deny(
        _("Only the leader, the digital ambassador and the municipality see the indicators.")
    )


def can_work_on_indicators(user, institution: Institution) -> bool:
    """Whether the indicators' links to where each is done are shown: to the daycare's
    leader, who may act on every one of them. Others (the ambassador, the municipality)
    read the evidence and would meet pages they may not use."""
    return "leader" in roles_for(user).in_institution(institution)
