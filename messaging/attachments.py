"""Files attached to a notification's e-mail, e.g. an iCalendar invitation.

An app registers a provider for the notification kinds it sends:

    @attachment_provider("competence.event_invitation", "competence.meeting_reminder")
    def calendar_file(notification) -> list[Attachment]:
        return [Attachment("moede.ics", ics_bytes, "text/calendar")]

The provider runs when the e-mail is sent, so the file shows the object as it is then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Attachment(NamedTuple):
    filename: str
    content: bytes | str
    mimetype: str


Provider = Callable[[object], list[Attachment]]
_providers: dict[str, Provider] = {}


def attachment_provider(*kinds: str) -> Callable[[Provider], Provider]:
    def register(func: Provider) -> Provider:
        for kind in kinds:
            _providers[kind] = func
        return func

    return register


def attachments_for(notification) -> list[Attachment]:
    provider = _providers.get(notification.kind)
    return list(provider(notification)) if provider else []
