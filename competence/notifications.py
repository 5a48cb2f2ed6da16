"""The iCalendar file attached to event and meeting e-mails (see messaging/attachments.py).

The notification's key names the event or meeting ("competence:event:12:invitation"),
so the file is built when the e-mail is sent, with the times as they are then.
"""

from __future__ import annotations

import re

from django.utils import translation

from messaging.attachments import Attachment, attachment_provider

from . import ical
from .models import Event, Meeting

_KEY = re.compile(r"^competence:(event|meeting):(\d+):")


@attachment_provider(
    "competence.event_invitation",
    "competence.event_registered",
    "competence.event_promoted",
    "competence.event_reminder",
    "competence.meeting_reminder",
)
def calendar_file(notification) -> list[Attachment]:
    match = _KEY.match(notification.key)
    if match is None:
        return []
    what, pk = match.group(1), int(match.group(2))
    with translation.override(notification.recipient.language):
        if what == "event":
            event = Event.objects.filter(pk=pk).first()
            entry = ical.event_entry(event) if event else None
            filename = "arrangement.ics"
        else:
            meeting = Meeting.objects.select_related("network").filter(pk=pk).first()
            entry = ical.meeting_entry(meeting) if meeting else None
            filename = "moede.ics"
        if entry is None:
            return []
        content = ical.calendar([entry])
    return [Attachment(filename, content, "text/calendar")]
