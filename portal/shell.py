"""The roof's own entries in the shell: the indicators and the status reports."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.shell import HomeCard, HomeSection, NavItem, home_provider, nav_provider
from institutions.permissions import INDICATOR_ROLES
from institutions.selectors import Roles


@nav_provider
def portal_nav(request: HttpRequest, roles: Roles) -> Iterable[NavItem]:
    yield NavItem(_("Home"), reverse("home"), order=0)
    municipalities = roles.municipalities()
    for municipality in municipalities:
        yield NavItem(
            _("Indicators"), reverse("indicators:municipality", args=[municipality.pk]), order=30
        )
    if municipalities:
        return
    institutions = roles.institutions(*INDICATOR_ROLES)
    for institution in institutions:
        label = _("Indicators")
        if len(institutions) > 1:
            label = f"{label} ({institution.name})"
        yield NavItem(label, reverse("indicators:institution", args=[institution.pk]), order=30)


@home_provider
def portal_sections(request: HttpRequest, roles: Roles) -> Iterable[HomeSection]:
    for municipality in roles.municipalities():
        yield HomeSection(
            title=_("Status of the strategy: %(name)s") % {"name": municipality.name},
            intro=_("Where every daycare stands on each goal, the trend, and reports in PDF."),
            # The dashboard itself has its card in the institutions section ("Indicators").
            cards=[
                HomeCard(
                    _("Status reports"),
                    _("The municipality's report in PDF; one is made on the first of the month."),
                    reverse("reports:municipality", args=[municipality.pk]),
                    icon="file-pdf",
                ),
            ],
            order=12,
        )
    for institution in roles.institutions(*INDICATOR_ROLES):
        yield HomeSection(
            title=_("Your daycare and the strategy: %(name)s") % {"name": institution.name},
            intro=_(
                "The same indicators the municipality sees, what is missing and what to do next."
            ),
            cards=[
                HomeCard(
                    _("Our indicators"),
                    _("Status, evidence and links to where each thing is done."),
                    reverse("indicators:institution", args=[institution.pk]),
                    icon="analytics",
                ),
                HomeCard(
                    _("Status report"),
                    _("The daycare's status report in PDF, for the board or the municipality."),
                    reverse("reports:institution", args=[institution.pk]),
                    icon="file-pdf",
                ),
            ],
            order=12,
        )
