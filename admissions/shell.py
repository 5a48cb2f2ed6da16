"""Navigation and home page sections for place allocation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.shell import HomeCard, HomeSection, NavItem, home_provider, nav_provider
from institutions.models import Membership

from .models import Signup


@nav_provider
def admissions_nav(request, roles):
    municipalities = roles.municipalities()
    for municipality in municipalities:
        label = _("Place allocation")
        if len(municipalities) > 1:
            label = f"{label} ({municipality.name})"
        yield NavItem(label, reverse("admissions:municipality", args=[municipality.pk]), order=27)
    institutions = roles.institutions(Membership.Role.LEADER)
    for institution in institutions:
        if not institution.is_daycare:
            continue
        label = _("Waiting list")
        if len(institutions) > 1:
            label = f"{label} ({institution.name})"
        yield NavItem(label, reverse("admissions:waiting_list", args=[institution.pk]), order=21)
    if not roles.is_municipal:
        yield NavItem(_("Place in daycare"), reverse("admissions:mine"), order=60)


@home_provider
def admissions_sections(request, roles):
    for municipality in roles.municipalities():
        yield HomeSection(
            title=_("Place allocation: %(name)s") % {"name": municipality.name},
            intro=_("Sign-ups, waiting lists and the place guarantee."),
            cards=[
                HomeCard(
                    _("Sign-ups"),
                    _("Every child on the waiting lists, with wishes and guarantee dates."),
                    reverse("admissions:municipality", args=[municipality.pk]),
                ),
                HomeCard(
                    _("Near the guarantee date"),
                    _("Children whose guarantee date is near without an offer."),
                    reverse("admissions:guarantee", args=[municipality.pk]),
                ),
            ],
            order=17,
        )
    for institution in roles.institutions(Membership.Role.LEADER):
        if not institution.is_daycare:
            continue
        yield HomeSection(
            title=_("Places and waiting list: %(name)s") % {"name": institution.name},
            intro=_(
                "The waiting list in the municipality's priority order, free places per "
                "group and month, offers, and the children moving on to school."
            ),
            cards=[
                HomeCard(
                    _("Waiting list"),
                    _("Offer free places to the children first in line."),
                    reverse("admissions:waiting_list", args=[institution.pk]),
                ),
                HomeCard(
                    _("School start"),
                    _("Move the children who start school on to school and after-school care."),
                    reverse("admissions:moving_on", args=[institution.pk]),
                ),
            ],
            order=21,
        )
    # Families: guardians and whoever has signed a child up. A newcomer without any of
    # it keeps the home page's "no role yet" notice, and finds sign-up in the navigation.
    if (
        not roles.is_municipal
        and not roles.works_in_institution
        and (roles.is_guardian or Signup.objects.filter(parent=request.user).exists())
    ):
        yield HomeSection(
            title=_("Place in daycare"),
            intro=_(
                "Sign a child up for a nursery, kindergarten or childminding, see the place "
                "on the waiting lists and answer offers."
            ),
            cards=[
                HomeCard(
                    _("Your sign-ups"),
                    _("Waiting-list places, the guarantee date, offers and letters."),
                    reverse("admissions:mine"),
                ),
            ],
            # After the news and the children: a family signs up once, reads every day.
            order=3,
            lead=True,
        )
