"""Text typed by people: the Unicode controls that can make it read differently than it is.

The bidirectional embedding, override and isolate controls (U+202A–U+202E,
U+2066–U+2069) reorder what follows them: "invoice‮fdp.exe" shows as "invoiceexe.pdf".
The plain direction marks (U+200E, U+200F) do not reorder a run on their own but can
still nudge one around a dot. A subject or message holding a reordering control is
refused; a file name loses every one of them, since no name needs them.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REORDERING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
MARKS = "\u200e\u200f"
_REORDERING = re.compile(f"[{REORDERING}]")
_ANY_DIRECTION = re.compile(f"[{REORDERING}{MARKS}]")


def has_bidi_controls(text: str) -> bool:
    return bool(_REORDERING.search(text or ""))


def strip_bidi_controls(text: str) -> str:
    """`text` without any direction control or mark (for file names)."""
    return _ANY_DIRECTION.sub("", text or "")


def reject_bidi_controls(text: str) -> None:
    """A form field validator: text that reorders itself is refused, with a Danish reason."""
    if has_bidi_controls(text):
        raise ValidationError(
            _(
                "The text contains invisible characters that change the direction of the "
                "text. Remove them, e.g. by typing the text again instead of pasting it."
            ),
            code="bidi_control",
        )
