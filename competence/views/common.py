"""Shared pieces of the competence views: breadcrumbs, the form page, error messages and
file downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from institutions.models import Municipality

from ..models import Network

FORM_TEMPLATE = "core/form.html"


def _crumbs(municipality: Municipality | None, *trail: tuple[str, str]):
    crumbs = [(_("Home"), reverse("home"))]
    if municipality is not None:
        crumbs.append(
            (_("Competence development"), reverse("competence:overview", args=[municipality.pk]))
        )
    return [*crumbs, *trail]


def _form_page(request, form, *, title, crumbs, intro="", submit_label="", cancel_url=""):
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "breadcrumbs": crumbs,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _flash_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _network_crumbs(network: Network, *trail):
    municipality = network.municipality
    return _crumbs(
        municipality,
        (_("Networks"), reverse("competence:networks", args=[municipality.pk])),
        (network.name, reverse("competence:network", args=[network.pk]) if trail else ""),
        *trail,
    )


def _download(stored) -> FileResponse:
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = stored.content_type.startswith("image/") or stored.content_type == "application/pdf"
    response = FileResponse(
        handle, as_attachment=not inline, filename=stored.name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
