"""One access vocabulary for every view: fetch the tenant object through the user's scope
(`visible_to`), so an outsider gets 404, the same answer as for an object that does not
exist; then, when the page needs a role, check it (`check`: a `can_<verb>_<object>`
function from the app's permissions.py), so a member without the role gets 403."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from core.permissions import Decision, require

from .models import Institution, Municipality

Check = Callable[..., Decision]


def municipality_for(request: HttpRequest, pk: int, *, check: Check | None = None) -> Municipality:
    municipality = get_object_or_404(Municipality.objects.visible_to(request.user), pk=pk)
    if check is not None:
        require(check(request.user, municipality))
    return municipality


def institution_for(request: HttpRequest, pk: int, *, check: Check | None = None) -> Institution:
    institution = get_object_or_404(
        Institution.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    if check is not None:
        require(check(request.user, institution))
    return institution
