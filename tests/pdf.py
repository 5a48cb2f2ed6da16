"""Reading a PDF the way its reader sees it: the text of each page, the lines, and the
words a line break cut in two with a hyphen that the source never had."""

from __future__ import annotations

import io
import re
from html import unescape

# What a hyphenating typesetter may put at the end of a line: the hyphen-minus, the
# Unicode hyphen (WeasyPrint's default) and the soft hyphen.
HYPHENS = "-\u2010\u00ad"
_BROKEN = re.compile(rf"(\w+)[{HYPHENS}][ \t]*\n[ \t]*(\w+)")


def page_texts(data: bytes) -> list[str]:
    """The text of each page, lines kept, non-breaking spaces made ordinary."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text().replace("\u00a0", " ") for page in reader.pages]


def plain(text: str) -> str:
    """Text with the non-breaking spaces of "12.000,00 kr." made ordinary, and lines joined."""
    return " ".join(text.replace("\u00a0", " ").split())


def pdf_text(data: bytes) -> str:
    """The text a reader of the PDF sees, all pages, spaces normalised by plain()."""
    return plain("\n".join(page_texts(data)))


def page_of(data: bytes, text: str) -> int:
    """The number (from 1) of the first page whose text holds `text` (spaces normalised)."""
    for number, page in enumerate(page_texts(data), start=1):
        if plain(text) in plain(page):
            return number
    raise AssertionError(f"{text!r} is on no page")


def html_text(html: str) -> str:
    """The text an HTML document shows: tags and the style sheet gone, entities read."""
    html = re.sub(r"(?is)<(style|script|title)\b.*?</\1>", " ", html)
    return plain(unescape(re.sub(r"<[^>]+>", " ", html)))


def broken_words(data: bytes, source_html: str) -> list[str]:
    """Words split over two lines with a hyphen that the source does not have there
    ("ansøg-" / "ning"). A hyphen the source has ("e-mail") may end a line."""
    source = html_text(source_html)
    found = []
    for page in page_texts(data):
        for first, rest in _BROKEN.findall(page):
            if f"{first}-{rest}" not in source and f"{first}- {rest}" not in source:
                found.append(f"{first}-|{rest}")
    return found
