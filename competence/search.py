"""Full-text search of shared experiences with PostgreSQL's 'danish' configuration.

The 'danish' snowball stemmer alone does not join every inflected form: it stems
"legede" to `leged` and "leg" to `leg`, "tablets" to `tabl` and "tablet" to `tablet`.
So each word of the query also tries the word without a common inflection ending
(past tense -ede/-te/-de, plural and definite -ene/-erne, genitive -s, -e), each form
stemmed by the 'danish' configuration itself, and forms of three letters or more also
match as prefixes (Danish builds compounds: "leg" finds "legetøj"). Words are ANDed.

Only letters and digits reach to_tsquery, so the user's text can never be read as
tsquery syntax.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery

CONFIG = "danish"
# Longest first; a form is only tried when at least three letters remain.
ENDINGS = ("erne", "ende", "ede", "ene", "te", "de", "s", "e")
MIN_STEM = 3
MIN_PREFIX = 3
MAX_WORDS = 8
MAX_WORD_LENGTH = 40

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return [w[:MAX_WORD_LENGTH] for w in _WORD.findall(text.lower())][:MAX_WORDS]


def forms(word: str) -> list[str]:
    """The word and the word without each inflection ending it has."""
    found = [word]
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            stem = word[: -len(ending)]
            if stem not in found:
                found.append(stem)
    return found


def tsquery_text(text: str) -> str:
    """The to_tsquery() input for `text`, e.g. "(legede:* | leg | lege:* | leged:*)"."""
    groups = []
    for word in words(text):
        operands = [f"{form}:*" if len(form) >= MIN_PREFIX else form for form in forms(word)]
        groups.append("(" + " | ".join(operands) + ")")
    return " & ".join(groups)


def search_query(text: str) -> SearchQuery | None:
    """The query for `text`, or None when it has no words."""
    raw = tsquery_text(text)
    if not raw:
        return None
    return SearchQuery(raw, config=CONFIG, search_type="raw")


def exact_query(text: str) -> SearchQuery:
    """The words as typed (stemmed, no extra forms): matches of these rank higher."""
    return SearchQuery(" ".join(words(text)), config=CONFIG, search_type="plain")
