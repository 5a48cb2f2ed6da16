"""Navigation and home page sections for the roles this app owns."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.shell import HomeCard, HomeSection, NavItem, home_provider, nav_provider

from .models import Child, Membership, MunicipalRole
from .querysets import STAFF_ROLES

ROLE_INTROS = {
    Membership.Role.LEADER: gettext_lazy(
        "As leader you set the daycare's goals for digital media, name its digital "
        "ambassador, invite staff and guardians, and follow the daycare's indicators."
    ),
    Membership.Role.AMBASSADOR: gettext_lazy(
        "As digital ambassador you drive the local work with the leader: you share "
        "experience with colleagues and keep track of devices and suitcases."
    ),
    Membership.Role.STAFF: gettext_lazy(
        "Here you find the children in your groups and what the daycare works on."
    ),
    Membership.Role.CHILDMINDER: gettext_lazy(
        "Here you find the children in your childminder home and what the childminding "
        "unit works on."
    ),
    Membership.Role.BOARD_MEMBER: gettext_lazy(
        "As a member of the parent board you can read the daycare's goals and discussions."
    ),
}


@nav_provider
def institution_nav(request, roles):
    municipalities = roles.municipalities()
    for municipality in municipalities:
        label = _("Institutions")
        if len(municipalities) > 1:
            label = f"{label} ({municipality.name})"
        yield NavItem(label, reverse("institutions:municipality", args=[municipality.pk]), order=10)
    for institution in roles.institutions(*STAFF_ROLES):
        yield NavItem(
            institution.name, reverse("institutions:detail", args=[institution.pk]), order=20
        )


@home_provider
def municipal_sections(request, roles):
    for municipality in roles.municipalities():
        held = roles.in_municipality(municipality)
        is_admin = MunicipalRole.Role.ADMINISTRATOR in held
        # The dashboard leads in the roof's own section ("Status of the strategy").
        cards = [
            HomeCard(
                _("Institutions"),
                _("Every daycare, school and after-school care in the municipality."),
                reverse("institutions:municipality", args=[municipality.pk]),
            ),
        ]
        if is_admin:
            cards += [
                HomeCard(
                    _("The municipality's workbook"),
                    _(
                        "Daycares, groups, staff, children and guardians from the "
                        "municipality's own systems, kept in step month by month."
                    ),
                    reverse("institutions:workbook", args=[municipality.pk]),
                ),
                HomeCard(
                    _("Import"),
                    _("Institutions, groups and children counts from CSV or Excel."),
                    reverse("institutions:municipality_import", args=[municipality.pk]),
                ),
                HomeCard(
                    _("Municipal staff"),
                    _("Administrators and pedagogical consultants: invite and remove."),
                    reverse("institutions:municipality_people", args=[municipality.pk]),
                ),
                HomeCard(
                    _("Letters and complaint guidance"),
                    _("The letterhead and how to complain, printed on every decision letter."),
                    reverse("institutions:letterhead", args=[municipality.pk]),
                ),
            ]
        role_label = (
            MunicipalRole.Role.ADMINISTRATOR.label
            if is_admin
            else MunicipalRole.Role.CONSULTANT.label
        )
        yield HomeSection(
            title=f"{municipality.name}: {role_label}",
            intro=_(
                "You follow the municipality's strategy for digitalisation in daycare: the "
                "institutions, their people and how far each has come."
            ),
            cards=cards,
            order=6,
            lead=True,
        )


@home_provider
def institution_sections(request, roles):
    """Each daycare role's own section. It leads for staff and board members; a leader's
    home page leads with the day's tasks (the indicators not met among them), and this
    section follows in brief."""
    for institution in roles.institutions():
        held = roles.in_institution(institution)
        primary = next(role for role in Membership.Role if role in held)
        cards = [
            HomeCard(
                institution.name,
                _("Groups, key people and the daycare's indicators."),
                reverse("institutions:detail", args=[institution.pk]),
            )
        ]
        if held & set(STAFF_ROLES):
            cards.append(
                HomeCard(
                    _("Children"),
                    _("The children of the institution, by group, and their guardians."),
                    reverse("institutions:children", args=[institution.pk]),
                )
            )
            cards.append(
                HomeCard(
                    _("Staff and roles"),
                    _("Who works here and in which role."),
                    reverse("institutions:people", args=[institution.pk]),
                )
            )
        if Membership.Role.LEADER in held:
            cards.append(
                HomeCard(
                    _("Invite a person"),
                    _("Staff, the digital ambassador, childminders and board members."),
                    reverse("institutions:invite", args=[institution.pk]),
                )
            )
        yield HomeSection(
            title=f"{institution.name}: {Membership.Role(primary).label}",
            intro=ROLE_INTROS[primary],
            cards=cards,
            order=6,
            lead=Membership.Role.LEADER not in held,
        )


@home_provider
def guardian_section(request, roles):
    if not roles.is_guardian:
        return
    children = (
        Child.objects.current()
        .filter(guardianships__guardian=request.user)
        .select_related("group__institution")
        .order_by("first_name")
    )
    yield HomeSection(
        title=_("Your children"),
        intro=_(
            "Here you follow your children's daycare, school and after-school care: news, "
            "messages and what the daycare works on."
        ),
        order=2,
        lead=True,
        template="institutions/partials/home_children.html",
        context={"children": children},
    )
