"""Access helpers and small shared pieces of the goals views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.views import crumbs
from institutions.models import Institution, Municipality


def goal_crumbs(institution: Institution, *trail: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs(
        (institution.name, reverse("institutions:detail", args=[institution.pk])),
        (_("Goals and action plans"), reverse("goals:board", args=[institution.pk])),
        *trail,
    )


def strategy_crumbs(municipality: Municipality, *trail: tuple[str, str]):
    return crumbs((_("Strategy"), reverse("goals:strategy", args=[municipality.pk])), *trail)


def form_page(
    request: HttpRequest,
    *,
    form,
    title: str,
    cancel_url: str,
    breadcrumbs,
    intro: str = "",
    submit_label: str = "",
) -> HttpResponse:
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs,
        },
    )


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the posted `next` address when it is ours, else to `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
