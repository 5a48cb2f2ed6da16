"""Access helpers of the devices pages: every object is fetched through the user's scope
(`visible_to`: 404 outside it); the role is checked in permissions.py (403)."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.views import crumbs
from institutions.models import Institution

from ..models import Booking, Device, PurchaseProgramme, RotationPlan, Suitcase, WifiSite


def device_for(request: HttpRequest, pk: int) -> Device:
    return get_object_or_404(
        Device.objects.visible_to(request.user).select_related(
            "institution__municipality", "group", "programme"
        ),
        pk=pk,
    )


def site_for(request: HttpRequest, pk: int) -> WifiSite:
    return get_object_or_404(
        WifiSite.objects.visible_to(request.user).select_related("institution__municipality"),
        pk=pk,
    )


def suitcase_for(request: HttpRequest, pk: int) -> Suitcase:
    return get_object_or_404(
        Suitcase.objects.visible_to(request.user).select_related("municipality", "home_base"),
        pk=pk,
    )


def booking_for(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.visible_to(request.user).select_related(
            "suitcase__municipality", "suitcase__home_base", "institution", "plan"
        ),
        pk=pk,
    )


def plan_for(request: HttpRequest, pk: int) -> RotationPlan:
    return get_object_or_404(
        RotationPlan.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )


def programme_for(request: HttpRequest, pk: int) -> PurchaseProgramme:
    return get_object_or_404(
        PurchaseProgramme.objects.visible_to(request.user).select_related("municipality"),
        pk=pk,
    )


def institution_crumbs(institution: Institution, *trail):
    return crumbs(
        (institution.name, reverse("institutions:detail", args=[institution.pk])),
        (_("Devices"), reverse("devices:institution", args=[institution.pk])),
        *trail,
    )


def suitcase_crumbs(municipality_id: int, *trail):
    return crumbs(
        (_("Digital suitcases"), reverse("devices:suitcases", args=[municipality_id])), *trail
    )


def month_of(request: HttpRequest) -> date:
    """The month shown by a calendar: ?maaned=2026-03, or this month."""
    text = request.GET.get("maaned", "")
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


def neighbours(month: date) -> tuple[str, str]:
    previous = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return previous.strftime("%Y-%m"), following.strftime("%Y-%m")
