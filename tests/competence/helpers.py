"""Helpers for the competence tests: calendar files in e-mails, what a Danish page shows."""

from __future__ import annotations

import icalendar
from django.utils import translation
from django.utils.html import escape


def ics_attachments(message) -> list[icalendar.Calendar]:
    """Every iCalendar file attached to an e-mail, parsed with the icalendar library."""
    found = []
    for part in message.iter_attachments():
        if part.get_filename("").endswith(".ics"):
            content = part.get_content()
            if isinstance(content, str):
                content = content.encode()
            found.append(icalendar.Calendar.from_ical(content))
    return found


def vevents(calendar: icalendar.Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def shown(message: str, **params) -> str:
    with translation.override("da"):
        text = translation.gettext(message)
    return escape(text % params if params else text)
