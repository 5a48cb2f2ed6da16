"""Navigation and home page sections for the people who work with the strategy's money."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.shell import HomeCard, HomeSection, NavItem, home_provider, nav_provider
from institutions.models import MunicipalRole

from .querysets import GRANT_ROLES


@nav_provider
def grants_nav(request, roles):
    municipalities = roles.municipalities()
    for municipality in municipalities:
        label = _("Pools")
        if len(municipalities) > 1:
            label = f"{label} ({municipality.name})"
        yield NavItem(label, reverse("grants:municipality", args=[municipality.pk]), order=25)
    institutions = roles.institutions(*GRANT_ROLES)
    for institution in institutions:
        label = _("Grants")
        if len(institutions) > 1:
            label = f"{label} ({institution.name})"
        yield NavItem(label, reverse("grants:institution", args=[institution.pk]), order=22)


@home_provider
def grants_sections(request, roles):
    for municipality in roles.municipalities():
        cards = [
            HomeCard(
                _("Pools"),
                _("Every pool with what is committed, spent and left; applications to decide."),
                reverse("grants:municipality", args=[municipality.pk]),
            )
        ]
        if MunicipalRole.Role.ADMINISTRATOR in roles.in_municipality(municipality):
            cards.append(
                HomeCard(
                    _("New pool"),
                    _("A pool daycares apply to, or money shared by number of children."),
                    reverse("grants:pool_create", args=[municipality.pk]),
                    icon="plus",
                )
            )
        yield HomeSection(
            title=_("The strategy's money: %(name)s") % {"name": municipality.name},
            intro=_("Pools, applications and decisions, shares by number of children."),
            cards=cards,
            order=15,
        )
    for institution in roles.institutions(*GRANT_ROLES):
        yield HomeSection(
            title=_("Grants and budget: %(name)s") % {"name": institution.name},
            intro=_(
                "Apply to the municipality's pools, see your share and what is left per "
                "earmark, book expenses and plan the daycare's budget for digital purchases."
            ),
            cards=[
                HomeCard(
                    _("Grants and pools"),
                    _("What the daycare received, spent and has left; pools open to apply to."),
                    reverse("grants:institution", args=[institution.pk]),
                ),
                HomeCard(
                    _("Budget for digital purchases"),
                    _("The daycare's own budget per year, beside what it received."),
                    reverse("grants:budget", args=[institution.pk]),
                ),
            ],
            order=25,
        )
