"""The privacy app's home card: every person can see and download their own data."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.shell import HomeCard, HomeSection, home_provider


@home_provider
def my_data_section(request, roles):
    if not roles.has_any:
        return
    yield HomeSection(
        title=_("Your data"),
        order=900,
        cards=[
            HomeCard(
                _("My data"),
                _("See when and why your or your children's data was looked up, and download it."),
                reverse("privacy:my_data"),
            )
        ],
    )
