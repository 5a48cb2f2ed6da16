"""Names of downloaded files: Danish words, lower case, and Danish letters spelt out the
way Danes write them without æ, ø and å ("Køge" → "koege"), so no letter is dropped."""

from __future__ import annotations

from datetime import date

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def slug(text: str) -> str:
    """ "Køge Kommune" → "koege-kommune"; other accents lose only the accent ("é" → "e")."""
    return slugify(str(text).translate(_DANISH))


def download_name(*words: str, day: date | None = None, extension: str) -> str:
    """download_name("indikatorer", "Køge Kommune", day=…, extension="xlsx")
    → "indikatorer-koege-kommune-2026-12-07.xlsx"."""
    parts = [slug(word) for word in words]
    if day is not None:
        parts.append(f"{day:%Y-%m-%d}")
    return f"{'-'.join(part for part in parts if part)}.{extension}"
