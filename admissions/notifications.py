"""The PDF letter attached to the e-mail of each step (see core/attachments.py).

The notification names the letter by its id, so the file sent is the one stored for that
step.
"""

from __future__ import annotations

from core.attachments import Attachment, attachment_provider

from .models import Letter

LETTER_KINDS = tuple(f"admissions.{kind}" for kind in Letter.Kind.values)


@attachment_provider(*LETTER_KINDS)
def letter_file(letter_id: int, notification) -> list[Attachment]:
    letter = Letter.objects.filter(pk=letter_id).exclude(pdf="").first()
    if letter is None:
        return []
    with letter.pdf.open("rb") as handle:
        content = handle.read()
    return [Attachment(letter.filename, content, "application/pdf")]
