"""Navigation and the home page section for competence development: the municipality's
administrators and consultants, and everyone who works in one of its daycares."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.shell import (
    HomeCard,
    HomeSection,
    NavItem,
    TodayItem,
    home_provider,
    nav_provider,
    today_provider,
)
from institutions.models import Membership
from institutions.querysets import STAFF_ROLES

from .selectors import calendar_events, calendar_meetings

# A leader's day lists the network meetings and events of this coming span.
COMING = timedelta(days=14)


def _municipalities(roles) -> list:
    """Municipalities where the person works: a municipal role or a staff role."""
    found = {m.pk: m for m in roles.municipalities()}
    for institution in roles.institutions(*STAFF_ROLES):
        found.setdefault(institution.municipality_id, institution.municipality)
    return sorted(found.values(), key=lambda m: m.name)


@nav_provider
def competence_nav(request, roles):
    municipalities = _municipalities(roles)
    for municipality in municipalities:
        label = _("Competence")
        if len(municipalities) > 1:
            label = f"{label} ({municipality.name})"
        yield NavItem(label, reverse("competence:overview", args=[municipality.pk]), order=40)


@home_provider
def competence_section(request, roles):
    year = timezone.localdate().year
    for municipality in _municipalities(roles):
        cards = [
            HomeCard(
                _("Knowledge sharing"),
                _("Experiences with digital media from colleagues in every daycare."),
                reverse("competence:posts", args=[municipality.pk]),
                icon="forum",
            ),
            HomeCard(
                _("Events and networks"),
                _("The conference, theme days and the networks' meetings."),
                reverse("competence:overview", args=[municipality.pk]),
                icon="calendar-month",
            ),
        ]
        for institution in roles.institutions(*STAFF_ROLES):
            if institution.municipality_id == municipality.pk and institution.is_daycare:
                cards.append(
                    HomeCard(
                        _("Competence plan %(year)d") % {"year": year},
                        _("Money, hours and activities of %(name)s.") % {"name": institution.name},
                        reverse("competence:plan", args=[institution.pk, year]),
                        icon="payments",
                    )
                )
        cards.append(
            HomeCard(
                _("Your calendar"),
                _("Your meetings and events in your phone's or Outlook's calendar."),
                reverse("competence:calendar"),
                icon="time",
            )
        )
        yield HomeSection(
            title=_("Competence development in %(name)s") % {"name": municipality.name},
            intro=_(
                "Digital ambassadors, the conference, networks on a fixed cadence and "
                "experiences shared across the daycares."
            ),
            cards=cards,
            order=25,
        )


@today_provider
def coming_meetings(request, roles):
    """For a leader: network meetings and events they take part in, the next two weeks
    (two queries)."""
    if not roles.institutions(Membership.Role.LEADER):
        return
    now = timezone.now()
    for meeting in calendar_meetings(request.user, since=now).filter(starts_at__lte=now + COMING):
        yield TodayItem(
            text=_("Network meeting: %(network)s") % {"network": meeting.network.name},
            url=reverse("competence:meeting", args=[meeting.pk]),
            where=_("Competence"),
            due=timezone.localdate(meeting.starts_at),
            deadline=False,
        )
    for event in calendar_events(request.user).filter(
        starts_at__gte=now, starts_at__lte=now + COMING
    ):
        yield TodayItem(
            text=event.title,
            url=reverse("competence:event", args=[event.pk]),
            where=_("Competence"),
            due=timezone.localdate(event.starts_at),
            deadline=False,
        )
