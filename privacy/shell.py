"""The privacy app's home cards: every person can see and download their own data and
read the privacy notice; the municipality's administrators change it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.shell import HomeCard, HomeSection, home_provider
from institutions.models import MunicipalRole


@home_provider
def my_data_section(request, roles):
    if not roles.has_any:
        return
    cards = [
        HomeCard(
            _("My data"),
            _("See when and why your or your children's data was looked up, and download it."),
            reverse("privacy:my_data"),
        ),
        HomeCard(
            _("Privacy notice"),
            _("Why the portal holds your data, for how long, and your rights."),
            reverse("privacy"),
        ),
    ]
    for municipality in roles.municipalities(MunicipalRole.Role.ADMINISTRATOR):
        cards.append(
            HomeCard(
                _("Change the privacy notice"),
                _("What %(name)s tells parents and staff about their data.")
                % {"name": municipality.name},
                reverse("privacy:notice_edit", args=[municipality.pk]),
            )
        )
    yield HomeSection(title=_("Your data"), order=900, cards=cards)
