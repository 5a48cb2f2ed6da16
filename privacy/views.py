"""A person's own data: who looked at it and why, and a download of all of it."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from institutions.models import Membership, MunicipalRole

from .export import lookups, personal_data
from .models import PersonalDataAccess

ROLE_LABELS = {
    **dict(Membership.Role.choices),
    **dict(MunicipalRole.Role.choices),
    PersonalDataAccess.TECHNICAL_SUPPORT: _lazy("Technical support"),
}


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """When and why staff looked up the person's or their children's data. No names."""
    rows = lookups(request.user).select_related("child", "signup", "institution")
    page = Paginator(rows, 50).get_page(request.GET.get("side"))
    entries = [
        {
            "at": row.at,
            "about": row.child.first_name
            if row.child_id
            else row.signup.child_first_name
            if row.signup_id
            else _("You"),
            "action": row.get_action_display(),
            "purpose": _(row.purpose),
            "reason": row.reason,
            "who": ROLE_LABELS.get(row.actor_role, _("Staff")),
            # Technical support works for the whole installation, not at the daycare.
            "where": row.institution.name
            if row.institution_id and row.actor_role != PersonalDataAccess.TECHNICAL_SUPPORT
            else "",
        }
        for row in page
    ]
    return render(
        request,
        "privacy/my_data.html",
        {"entries": entries, "page": page, "breadcrumbs": [(_("My data"), "")]},
    )


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    """Everything the portal holds about the person and their children, as JSON."""
    data = personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    name = f"mine-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


__all__ = ["PersonalDataAccess", "download", "my_data"]
