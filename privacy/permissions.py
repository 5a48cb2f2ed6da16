"""Who may do what with the privacy notices. Everyone may read every municipality's
notice (it is the public information the law requires); only the municipality's own
administrators may change it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Municipality, MunicipalRole
from institutions.selectors import roles_for


def can_edit_notice(user, municipality: Municipality) -> Decision:
    if MunicipalRole.Role.ADMINISTRATOR in roles_for(user).in_municipality(municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators can change its privacy notice."))
