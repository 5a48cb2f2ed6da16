"""Navigation and home page sections for families, staff and the municipality."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core.shell import (
    HomeCard,
    HomeSection,
    NavItem,
    TodayItem,
    home_provider,
    nav_provider,
    today_provider,
)
from institutions.models import Membership, MunicipalRole
from institutions.querysets import STAFF_ROLES

from .selectors import awaiting_answer, family_glance


@nav_provider
def messaging_nav(request, roles):
    if roles.is_guardian:
        yield NavItem(_("News"), reverse("messaging:feed"), order=40)
    if roles.is_guardian or roles.works_in_institution:
        yield NavItem(pgettext("conversations", "Messages"), reverse("messaging:inbox"), order=41)


@home_provider
def family_section(request, roles):
    """A guardian's home page opens with the news and the answers from the staff."""
    if not roles.is_guardian:
        return
    glance = family_glance(request.user)
    unread_posts = (
        ngettext("%(count)d unread post.", "%(count)d unread posts.", glance.unread_posts)
        % {"count": glance.unread_posts}
        if glance.unread_posts
        else _("Posts from your children's institutions.")
    )
    unread_threads = (
        ngettext(
            "%(count)d conversation with something unread.",
            "%(count)d conversations with something unread.",
            glance.unread_thread_count,
        )
        % {"count": glance.unread_thread_count}
        if glance.unread_thread_count
        else _("Write to the staff or the leader, and read their answers.")
    )
    yield HomeSection(
        title=_("News and messages"),
        cards=[
            HomeCard(_("News"), unread_posts, reverse("messaging:feed")),
            HomeCard(
                pgettext("conversations", "Messages"), unread_threads, reverse("messaging:inbox")
            ),
        ],
        order=1,
        lead=True,
        template="messaging/partials/home_family.html",
        context={"glance": glance},
    )
    yield HomeSection(
        title=_("Photos and e-mail"),
        cards=[
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
    """Staff start the day in the shared inbox and the posts: that section leads their
    home page. A leader finds the waiting conversations among the day's tasks instead."""
    institutions = roles.institutions(*STAFF_ROLES)
    if not institutions:
        return
    led = {i.pk for i in institutions if Membership.Role.LEADER in roles.in_institution(i)}
    # Counted where the section leads; where it is in brief, its cards are bare links.
    waiting = awaiting_answer(request.user, [i for i in institutions if i.pk not in led])
    for institution in institutions:
        count = waiting.get(institution.pk, 0)
        yield HomeSection(
            title=_("Families at %(name)s") % {"name": institution.name},
            intro=_(
                "Posts and messages to and from the families. Digital communication does "
                "not replace talking face to face."
            ),
            cards=[
                HomeCard(
                    _("Shared inbox"),
                    ngettext(
                        "%(count)d conversation awaits an answer.",
                        "%(count)d conversations await an answer.",
                        count,
                    )
                    % {"count": count}
                    if count
                    else _("Every conversation with the families; anyone on the staff can answer."),
                    reverse("messaging:institution_inbox", args=[institution.pk]),
                ),
                HomeCard(
                    _("Posts"),
                    _("Practical information and insight into your pedagogical work."),
                    reverse("messaging:institution_posts", args=[institution.pk]),
                ),
                HomeCard(
                    _("New post"),
                    _("To the whole daycare or to chosen groups, with photos and files."),
                    reverse("messaging:post_create", args=[institution.pk]),
                    icon="plus",
                ),
                HomeCard(
                    _("Families we reach"),
                    _("Who has not activated access or read anything for a month."),
                    reverse("messaging:reach", args=[institution.pk]),
                ),
            ],
            order=5,
            lead=institution.pk not in led,
        )


@today_provider
def waiting_families(request, roles):
    """Conversations in a led institution's shared inbox that wait for an answer."""
    institutions = roles.institutions(Membership.Role.LEADER)
    if not institutions:
        return
    waiting = awaiting_answer(request.user, institutions)
    for institution in institutions:
        count = waiting.get(institution.pk, 0)
        if not count:
            continue
        where = _("Shared inbox")
        if len(institutions) > 1:
            where = f"{where}, {institution.name}"
        yield TodayItem(
            text=ngettext(
                "%(count)d conversation awaits an answer",
                "%(count)d conversations await an answer",
                count,
            )
            % {"count": count},
            url=reverse("messaging:institution_inbox", args=[institution.pk]) + "?vis=venter",
            where=where,
            urgent=True,
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
