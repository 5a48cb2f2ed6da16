"""The letters that confirm each step: an HTML template printed to PDF by WeasyPrint, on
the municipality's letterhead. The letters that decide about a place carry the
municipality's complaint guidance for place allocation (forvaltningsloven § 25)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.pdf import html_to_pdf, pdf_context
from institutions.letterhead import PLACES, letterhead_context

from .models import Letter

# A place offered, and a place lost by declining or by letting the offer run out (which
# may count as the municipality having met the place guarantee).
DECISIONS = frozenset({Letter.Kind.OFFER, Letter.Kind.DECLINED, Letter.Kind.EXPIRED})


def letter_context(letter: Letter) -> dict:
    from .selectors import positions_for, signup_detail

    signup = signup_detail(type(letter.signup).objects.all(), letter.signup_id)
    places = positions_for([signup])[signup.pk] if signup.is_waiting else []
    decision = PLACES if letter.kind in DECISIONS else None
    return {
        **letterhead_context(signup.municipality, kind=decision),
        "letter": letter,
        "signup": signup,
        "offer": letter.offer,
        "places": places,
        "today": timezone.localdate(),
    }


def letter_html(letter: Letter) -> str:
    """The letter in the recipient's language (Danish for paper sign-ups): it is the
    municipality's written word to the family."""
    parent = letter.signup.parent
    language = parent.language if parent else settings.LANGUAGE_CODE
    with translation.override(language):
        title = f"{letter.get_kind_display()}: {letter.signup.child_name}"
        return render_to_string(
            "admissions/pdf/letter.html", {**pdf_context(title), **letter_context(letter)}
        )


def render_letter(letter: Letter) -> bytes:
    return html_to_pdf(letter_html(letter)).content
