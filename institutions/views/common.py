"""What the institution pages share: the breadcrumbs of a daycare."""

from __future__ import annotations

from django.urls import reverse

from core.views import crumbs

from ..models import (
    Institution,
)


def _institution_crumbs(institution: Institution, *trail: tuple[str, str]):
    return crumbs((institution.name, reverse("institutions:detail", args=[institution.pk])), *trail)
