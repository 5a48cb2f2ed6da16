"""Access helpers and breadcrumbs shared by the grants views."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.views import crumbs
from institutions.models import Institution

from .. import permissions
from ..models import Application, Pool

State = Application.State


def _pool(request: HttpRequest, pk: int) -> Pool:
    return get_object_or_404(
        Pool.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "pool__municipality",
            "institution__municipality",
            "decided_by",
            "created_by",
            "local_goal",
        ),
        pk=pk,
    )


def _pool_crumbs(request, pool: Pool, *trail):
    if permissions.can_view_pools(request.user, pool.municipality):
        first = (_("Pools"), reverse("grants:municipality", args=[pool.municipality_id]))
        return crumbs(first, (pool.name, reverse("grants:pool", args=[pool.pk])), *trail)
    return crumbs((pool.name, reverse("grants:pool", args=[pool.pk])), *trail)


def _institution_crumbs(institution: Institution, *trail):
    return crumbs(
        (institution.name, reverse("institutions:detail", args=[institution.pk])),
        (_("Grants"), reverse("grants:institution", args=[institution.pk])),
        *trail,
    )


def _application_crumbs(application: Application, *trail):
    return _institution_crumbs(
        application.institution,
        (application.project, reverse("grants:application", args=[application.pk])),
        *trail,
    )
