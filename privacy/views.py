"""A person's own data: who looked at it and why, and a download of all of it."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from institutions.access import municipality_for
from institutions.models import Membership, Municipality, MunicipalRole

from . import notices, permissions
from .export import lookups, personal_data
from .forms import NoticeForm
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


def _next(request: HttpRequest) -> str:
    """Where to go after reading the notice: a page of this site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _notice_page(request: HttpRequest, municipality: Municipality, crumbs) -> HttpResponse:
    notice = notices.notice_for(municipality)
    user = request.user
    mine = user.is_authenticated and municipality in notices.municipalities_of(user)
    return render(
        request,
        "privacy/notice.html",
        {
            "notice": notice,
            "municipality": municipality,
            "to_confirm": mine and not notices.has_read(user, notice),
            "can_edit": user.is_authenticated and permissions.can_edit_notice(user, municipality),
            "next": _next(request) if request.GET.get("next") else "",
            "breadcrumbs": crumbs,
        },
    )


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The privacy notice: the person's own municipality's, or a choice of municipality
    for those with several or none (before logging in)."""
    mine = notices.municipalities_of(request.user)
    if len(mine) == 1:
        return _notice_page(request, mine[0], [(_("Privacy"), "")])
    choices = mine or list(Municipality.objects.order_by("name"))
    return render(
        request,
        "privacy/notice_choice.html",
        {"municipalities": choices, "breadcrumbs": [(_("Privacy"), "")]},
    )


@require_GET
def notice(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """A municipality's privacy notice; public, as the law asks it to be."""
    municipality = get_object_or_404(Municipality, pk=municipality_id)
    crumbs = [(_("Privacy"), reverse("privacy")), (municipality.name, "")]
    return _notice_page(request, municipality, crumbs)


@login_required
@require_POST
def notice_read(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """Confirms "I have read it" for the current version, then shows the next
    municipality's notice not yet read (a person may belong to two), else goes on to
    where the person was going."""
    municipality = municipality_for(request, municipality_id)
    notices.notice_read(user=request.user, municipality=municipality)
    target = _next(request)
    unread = notices.unread_notice(request.user)
    if unread is not None:
        url = reverse("privacy:notice", args=[unread.pk])
        return redirect(f"{url}?{urlencode({'next': target})}")
    return redirect(target)


@login_required
def notice_edit(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_edit_notice)
    current = notices.notice_for(municipality)
    form = NoticeForm(
        request.POST or None,
        initial={name: getattr(current, name) for name in notices.NOTICE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            notices.notice_update(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The privacy notice is saved. Everyone is shown it after their next login."),
            )
            return redirect("privacy:notice", municipality.pk)
    return render(
        request,
        "privacy/notice_form.html",
        {
            "form": form,
            "municipality": municipality,
            "notice": current,
            "breadcrumbs": [
                (_("Privacy"), reverse("privacy:notice", args=[municipality.pk])),
                (_("Change"), ""),
            ],
        },
        status=400 if form.errors else 200,
    )


__all__ = ["PersonalDataAccess", "download", "my_data", "notice", "notice_edit", "overview"]
