"""Who may ask for and open status reports. Objects were fetched through `visible_to`
(404 outside it); these answer whether the role allows it (403)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Institution, Municipality
from institutions.selectors import roles_for
from portal.models import REPORT_ROLES, StatusReport


def can_request_municipality_report(user, municipality: Municipality) -> Decision:
    if roles_for(user).in_municipality(municipality):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants make its report."))


def can_request_institution_report(user, institution: Institution) -> Decision:
    roles = roles_for(user)
    if roles.in_municipality(institution.municipality_id):
        return ALLOW
    if roles.in_institution(institution) & set(REPORT_ROLES):
        return ALLOW
    return deny(_("Only the leader, the digital ambassador and the municipality make the report."))


def can_view_report(user, report: StatusReport) -> Decision:
    """The people who may see the data in the report: for a daycare's report, its leader
    and digital ambassador and the municipality; for the municipality's, the municipality."""
    if report.institution_id:
        return can_request_institution_report(user, report.institution)
    return can_request_municipality_report(user, report.municipality)
