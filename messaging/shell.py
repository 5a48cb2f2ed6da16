"""Navigation and home page sections for families, staff and the municipality."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.shell import HomeCard, HomeSection, NavItem, home_provider, nav_provider
from institutions.models import MunicipalRole
from institutions.querysets import STAFF_ROLES


@nav_provider
def messaging_nav(request, roles):
    if roles.is_guardian:
        yield NavItem(_("News"), reverse("messaging:feed"), order=40)
    if roles.is_guardian or roles.works_in_institution:
        yield NavItem(pgettext("conversations", "Messages"), reverse("messaging:inbox"), order=41)


@home_provider
def family_section(request, roles):
    if not roles.is_guardian:
        return
    yield HomeSection(
        title=_("News and messages"),
        intro=_(
            "One feed and one inbox for all your children: daycare, school and after-school care."
        ),
        cards=[
            HomeCard(
                _("News"), _("Posts from your children's institutions."), reverse("messaging:feed")
            ),
            HomeCard(
                pgettext("conversations", "Messages"),
                _("Write to the staff or the leader, and read their answers."),
                reverse("messaging:inbox"),
            ),
            HomeCard(
                _("Photo consent"),
                _("Decide whether photos of your children may be shown to other families."),
                reverse("messaging:photo_consent"),
            ),
            HomeCard(
                _("E-mail settings"),
                _("At once, a daily digest, or no e-mail."),
                reverse("messaging:email_settings"),
            ),
        ],
        order=31,
    )


@home_provider
def staff_section(request, roles):
    for institution in roles.institutions(*STAFF_ROLES):
        yield HomeSection(
            title=_("Families at %(name)s") % {"name": institution.name},
            intro=_(
                "Posts and messages to and from the families. Digital communication does "
                "not replace talking face to face."
            ),
            cards=[
                HomeCard(
                    _("Shared inbox"),
                    _("Every conversation with the families; anyone on the staff can answer."),
                    reverse("messaging:institution_inbox", args=[institution.pk]),
                ),
                HomeCard(
                    _("Posts"),
                    _("Practical information and insight into your pedagogical work."),
                    reverse("messaging:institution_posts", args=[institution.pk]),
                ),
                HomeCard(
                    _("Families we reach"),
                    _("Who has not activated access or read anything for a month."),
                    reverse("messaging:reach", args=[institution.pk]),
                ),
            ],
            order=25,
        )


@home_provider
def municipal_section(request, roles):
    for municipality in roles.municipalities():
        is_admin = MunicipalRole.Role.ADMINISTRATOR in roles.in_municipality(municipality)
        yield HomeSection(
            title=_("Posts to the families in %(name)s") % {"name": municipality.name},
            intro=_("Information from the municipality to the families of every institution.")
            if is_admin
            else _("What the municipality has told the families."),
            cards=[
                HomeCard(
                    _("Posts to the institutions"),
                    _("Write to every institution or to chosen ones.")
                    if is_admin
                    else _("Posts and how many families have read them."),
                    reverse("messaging:municipality_posts", args=[municipality.pk]),
                )
            ],
            order=15,
        )
