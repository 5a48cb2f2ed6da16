"""Who sees the dashboard. Objects were fetched through `visible_to` first (404 outside
it); these answer whether the role allows it (403). Who sees one daycare's indicators is
the daycare's own question (institutions/permissions.py): its page shows them too."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Municipality
from institutions.selectors import roles_for


def can_view_dashboard(user, municipality: Municipality) -> Decision:
    if roles_for(user).in_municipality(municipality):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants see the dashboard."))
