"""The PDF letter attached to the e-mail of each step (see messaging/attachments.py).

The notification's key names the letter ("admissions:letter:12"), so the file sent is
the one stored for that step.
"""

from __future__ import annotations

import re

from messaging.attachments import Attachment, attachment_provider

from .models import Letter

_KEY = re.compile(r"^admissions:letter:(\d+)$")

LETTER_KINDS = tuple(f"admissions.{kind}" for kind in Letter.Kind.values)


@attachment_provider(*LETTER_KINDS)
def letter_file(notification) -> list[Attachment]:
    match = _KEY.match(notification.key)
    if match is None:
        return []
    letter = Letter.objects.filter(pk=int(match.group(1))).exclude(pdf="").first()
    if letter is None:
        return []
    with letter.pdf.open("rb") as handle:
        content = handle.read()
    return [Attachment(letter.filename, content, "application/pdf")]
