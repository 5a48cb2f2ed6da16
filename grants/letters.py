"""The decision letter: an HTML template printed to PDF by WeasyPrint, on the
municipality's letterhead and with its complaint guidance for grant decisions."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pdf import html_to_pdf, pdf_context
from institutions.letterhead import GRANTS, letterhead_context

from .models import Application


def decision_letter_html(application: Application) -> str:
    """The letter in the portal's default language (Danish): a municipal decision."""
    municipality = application.pool.municipality
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Decision on your application to %(pool)s") % {"pool": application.pool.name}
        return render_to_string(
            "grants/pdf/decision_letter.html",
            {
                **pdf_context(title),
                **letterhead_context(municipality, kind=GRANTS),
                "application": application,
                "pool": application.pool,
                "institution": application.institution,
                "lines": list(application.budget_lines.all()),
                "grant": getattr(application, "grant", None),
                "today": timezone.localdate(),
            },
        )


def render_decision_letter(application: Application) -> bytes:
    return html_to_pdf(decision_letter_html(application)).content
