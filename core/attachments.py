"""Files attached to a notification's e-mail, e.g. a decision letter or an iCalendar
invitation, found by the id of the object the notification is about.

The app that sends a kind of notification names the object (`notify(..., object_id=pk)`)
and registers a provider for that kind:

    @attachment_provider("competence.meeting_reminder")
    def meeting_calendar(object_id, notification) -> list[Attachment]:
        meeting = Meeting.objects.filter(pk=object_id).first()
        return [Attachment("moede.ics", ics_bytes, "text/calendar")] if meeting else []

The provider runs when the e-mail is sent, so the file shows the object as it is then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Attachment(NamedTuple):
    filename: str
    content: bytes | str
    mimetype: str


Provider = Callable[[int, object], list[Attachment]]
_providers: dict[str, Provider] = {}


def attachment_provider(*kinds: str) -> Callable[[Provider], Provider]:
    def register(func: Provider) -> Provider:
        for kind in kinds:
            _providers[kind] = func
        return func

    return register


def attachments_for(notification) -> list[Attachment]:
    provider = _providers.get(notification.kind)
    if provider is None or notification.object_id is None:
        return []
    return list(provider(notification.object_id, notification))
