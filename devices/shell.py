"""Navigation and home page sections for devices, Wi-Fi and the digital suitcases."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.shell import HomeCard, HomeSection, NavItem, home_provider, nav_provider
from institutions.models import MunicipalRole
from institutions.querysets import STAFF_ROLES

from .querysets import DEVICE_ROLES


@nav_provider
def devices_nav(request, roles):
    municipalities = roles.municipalities()
    for municipality in municipalities:
        label = _("Devices and suitcases")
        if len(municipalities) > 1:
            label = f"{label} ({municipality.name})"
        yield NavItem(label, reverse("devices:municipality", args=[municipality.pk]), order=26)
    institutions = [i for i in roles.institutions(*STAFF_ROLES) if i.is_daycare]
    for institution in institutions:
        label = _("Devices")
        if len(institutions) > 1:
            label = f"{label} ({institution.name})"
        yield NavItem(label, reverse("devices:institution", args=[institution.pk]), order=23)


@home_provider
def devices_sections(request, roles):
    for municipality in roles.municipalities():
        is_admin = MunicipalRole.Role.ADMINISTRATOR in roles.in_municipality(municipality)
        cards = [
            HomeCard(
                _("Devices and Wi-Fi"),
                _("Which daycares have a tablet or PC in every group and home, and Wi-Fi."),
                reverse("devices:municipality", args=[municipality.pk]),
            ),
            HomeCard(
                _("Digital suitcases"),
                _("The suitcases, their bookings, waiting lists and calendars."),
                reverse("devices:suitcases", args=[municipality.pk]),
            ),
            HomeCard(
                _("Rotation plans"),
                _("Lend every suitcase to every daycare in turn, fairly."),
                reverse("devices:plans", args=[municipality.pk]),
            ),
            HomeCard(
                _("Purchase programmes"),
                _("Central purchases distributed to groups and homes."),
                reverse("devices:programmes", args=[municipality.pk]),
            ),
        ]
        if not is_admin:
            cards = cards[:2]
        yield HomeSection(
            title=_("IT and digital suitcases: %(name)s") % {"name": municipality.name},
            intro=_("Devices, Wi-Fi and the digital suitcases lent to the daycares."),
            cards=cards,
            order=16,
        )
    for institution in roles.institutions(*DEVICE_ROLES):
        if not institution.is_daycare:
            continue
        yield HomeSection(
            title=_("Devices and suitcases: %(name)s") % {"name": institution.name},
            intro=_(
                "Register the daycare's tablets and PCs per group and home, keep its Wi-Fi up "
                "to date, and borrow the municipality's digital suitcases."
            ),
            cards=[
                HomeCard(
                    _("Devices"),
                    _("The inventory, coverage per group and home, labels with QR codes."),
                    reverse("devices:institution", args=[institution.pk]),
                ),
                HomeCard(
                    _("Wi-Fi"),
                    _("Coverage per site, with its history."),
                    reverse("devices:wifi", args=[institution.pk]),
                ),
                HomeCard(
                    _("Digital suitcases"),
                    _("Your bookings, offers from the waiting list, and the calendar."),
                    reverse("devices:institution_calendar", args=[institution.pk]),
                ),
            ],
            order=26,
        )
