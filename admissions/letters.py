"""The letters that confirm each step: an HTML template printed to PDF by WeasyPrint."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.pdf import html_to_pdf, pdf_context

from .models import Letter


def letter_context(letter: Letter) -> dict:
    from .selectors import positions_for, signup_detail

    signup = signup_detail(type(letter.signup).objects.all(), letter.signup_id)
    places = positions_for([signup])[signup.pk] if signup.is_waiting else []
    return {
        "letter": letter,
        "signup": signup,
        "offer": letter.offer,
        "municipality": signup.municipality,
        "places": places,
        "today": timezone.localdate(),
    }


def render_letter(letter: Letter) -> bytes:
    """The letter in the recipient's language (Danish for paper sign-ups): it is the
    municipality's written word to the family."""
    parent = letter.signup.parent
    language = parent.language if parent else settings.LANGUAGE_CODE
    with translation.override(language):
        title = f"{letter.get_kind_display()}: {letter.signup.child_name}"
        html = render_to_string(
            "admissions/pdf/letter.html", {**pdf_context(title), **letter_context(letter)}
        )
    return html_to_pdf(html).content
