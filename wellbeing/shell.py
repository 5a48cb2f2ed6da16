"""Navigation and home page sections for the children's own voice."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.shell import HomeCard, HomeSection, NavItem, home_provider, nav_provider

from .querysets import STAFF_ROLES, wellbeing_groups


@nav_provider
def wellbeing_nav(request, roles):
    for municipality in roles.municipalities():
        yield NavItem(
            _("Children's voice"), reverse("wellbeing:municipality", args=[municipality.pk]), 35
        )
    institutions = roles.institutions(*STAFF_ROLES)
    for institution in institutions:
        label = _("Children's voice")
        if len(institutions) > 1:
            label = f"{label} ({institution.name})"
        yield NavItem(label, reverse("wellbeing:institution", args=[institution.pk]), order=24)


@home_provider
def wellbeing_sections(request, roles):
    for municipality in roles.municipalities():
        yield HomeSection(
            title=_("The children's own voice: %(name)s") % {"name": municipality.name},
            intro=_("The talking questionnaire children answer on the tablet, and its results."),
            cards=[
                HomeCard(
                    _("The children's answers"),
                    _("Results per daycare and for the municipality; never for fewer than five."),
                    reverse("wellbeing:municipality", args=[municipality.pk]),
                ),
                HomeCard(
                    _("Questions for the children"),
                    _("The questions, their pictures and their sound."),
                    reverse("wellbeing:questions", args=[municipality.pk]),
                ),
            ],
            order=40,
        )
    if not roles.works_in_institution:
        return
    groups = list(
        wellbeing_groups(request.user).select_related("institution").order_by("name")[:12]
    )
    for institution in roles.institutions(*STAFF_ROLES):
        cards = [
            HomeCard(
                _("Questionnaire: %(group)s") % {"group": group.name},
                _("Start the talking questionnaire on the tablet; results and relations map."),
                reverse("wellbeing:group", args=[group.pk]),
            )
            for group in groups
            if group.institution_id == institution.pk
        ]
        cards.append(
            HomeCard(
                _("Children's environment assessment"),
                _("Physical, psychological and aesthetic, with the children's answers beside it."),
                reverse("wellbeing:assessment", args=[institution.pk]),
            )
        )
        yield HomeSection(
            title=_("The children's own voice: %(name)s") % {"name": institution.name},
            intro=_("What the children aged four to six tell about their daycare."),
            cards=cards,
            order=45,
        )
