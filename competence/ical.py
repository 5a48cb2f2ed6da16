"""iCalendar (.ics) for events and meetings: attached to invitations and reminders, and
served as a person's subscribed calendar feed. Built with the `icalendar` library.

Each event and meeting keeps one UID, so a calendar that already has it updates the
entry (a moved meeting moves) instead of adding a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.views import absolute_url

from .models import Event, Meeting

PRODID = "-//Dagtilbudsportalen//Kompetenceudvikling//DA"
UID_DOMAIN = "dagtilbudsportalen.dk"


@dataclass(frozen=True)
class Entry:
    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str
    url: str
    updated_at: datetime | None = None


def event_entry(event: Event) -> Entry:
    location = ", ".join(part for part in (event.place, event.address) if part)
    return Entry(
        uid=f"competence-event-{event.pk}@{UID_DOMAIN}",
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=location,
        description=event.programme,
        url=absolute_url(reverse("competence:event", args=[event.pk])),
    )


def meeting_entry(meeting: Meeting) -> Entry:
    network = meeting.network
    return Entry(
        uid=f"competence-meeting-{meeting.pk}@{UID_DOMAIN}",
        summary=_("%(network)s: meeting") % {"network": network.name},
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.place or network.usual_place,
        description=meeting.agenda,
        url=absolute_url(reverse("competence:meeting", args=[meeting.pk])),
    )


def calendar(entries: Iterable[Entry], *, name: str = "") -> bytes:
    """A VCALENDAR with one VEVENT per entry, times in Europe/Copenhagen."""
    entries = list(entries)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = datetime.now(UTC).replace(microsecond=0)
    local = timezone.get_default_timezone()
    for entry in entries:
        vevent = icalendar.Event()
        vevent.add("uid", entry.uid)
        vevent.add("dtstamp", stamp)
        vevent.add("summary", entry.summary)
        vevent.add("dtstart", entry.starts_at.astimezone(local).replace(microsecond=0))
        vevent.add("dtend", entry.ends_at.astimezone(local).replace(microsecond=0))
        if entry.location:
            vevent.add("location", entry.location)
        description = "\n\n".join(part for part in (entry.description, entry.url) if part)
        if description:
            vevent.add("description", description)
        vevent.add("url", entry.url)
        cal.add_component(vevent)
    if entries:
        first = min(e.starts_at for e in entries).date() - timedelta(days=366)
        last = max(e.ends_at for e in entries).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=max(first, date(1970, 1, 1)), last_date=last)
    return cal.to_ical()
