"""The iCalendar file attached to event and meeting e-mails (see core/attachments.py).

The notification names the event or meeting by its id, so the file is built when the
e-mail is sent, with the times as they are then.
"""

from __future__ import annotations

from django.utils import translation

from core.attachments import Attachment, attachment_provider

from . import ical
from .models import Event, Meeting


@attachment_provider(
    "competence.event_invitation",
    "competence.event_registered",
    "competence.event_promoted",
    "competence.event_reminder",
)
def event_calendar(event_id: int, notification) -> list[Attachment]:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return []
    with translation.override(notification.recipient.language):
        content = ical.calendar([ical.event_entry(event)])
    return [Attachment("arrangement.ics", content, "text/calendar")]


@attachment_provider("competence.meeting_reminder")
def meeting_calendar(meeting_id: int, notification) -> list[Attachment]:
    meeting = Meeting.objects.select_related("network").filter(pk=meeting_id).first()
    if meeting is None:
        return []
    with translation.override(notification.recipient.language):
        content = ical.calendar([ical.meeting_entry(meeting)])
    return [Attachment("moede.ics", content, "text/calendar")]
