"""What the wellbeing pages share: fetching through the scopes, breadcrumbs and reading
numbers from a form."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.views import crumbs
from institutions.models import Group, Institution

from ..models import Response, Session
from ..querysets import wellbeing_groups, wellbeing_institutions


def _institution(request: HttpRequest, pk: int) -> Institution:
    return get_object_or_404(
        wellbeing_institutions(request.user).select_related("municipality"), pk=pk
    )


def _group(request: HttpRequest, pk: int) -> Group:
    return get_object_or_404(
        wellbeing_groups(request.user).select_related("institution__municipality"), pk=pk
    )


def _session(request: HttpRequest, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.visible_to(request.user).select_related("group__institution"), pk=pk
    )


def _response(request: HttpRequest, pk: int) -> Response:
    sessions = Session.objects.visible_to(request.user)
    return get_object_or_404(
        Response.objects.filter(session__in=sessions).select_related(
            "session__group__institution", "pseudonym"
        ),
        pk=pk,
    )


def _institution_crumbs(institution: Institution, *trail):
    return crumbs(
        (institution.name, reverse("institutions:detail", args=[institution.pk])),
        (_("The children's own voice"), reverse("wellbeing:institution", args=[institution.pk])),
        *trail,
    )


def _group_crumbs(group: Group, *trail):
    return _institution_crumbs(
        group.institution, (group.name, reverse("wellbeing:group", args=[group.pk])), *trail
    )


def _posted_int(raw) -> int | None:
    """A whole number (an id, a smiley) sent by the browser, or None if it is not a plain one."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def _year(request: HttpRequest, years: list[int]) -> int:
    try:
        year = int(request.GET.get("aar", ""))
    except ValueError:
        return years[0]
    return year if year in years else years[0]
