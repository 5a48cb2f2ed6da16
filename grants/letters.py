"""The decision letter: an HTML template printed to PDF by WeasyPrint."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pdf import html_to_pdf, pdf_context

from .models import Application


def render_decision_letter(application: Application) -> bytes:
    """The letter in the portal's default language (Danish): a municipal decision."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Decision on your application to %(pool)s") % {"pool": application.pool.name}
        html = render_to_string(
            "grants/pdf/decision_letter.html",
            {
                **pdf_context(title),
                "application": application,
                "pool": application.pool,
                "institution": application.institution,
                "municipality": application.pool.municipality,
                "lines": list(application.budget_lines.all()),
                "grant": getattr(application, "grant", None),
                "today": timezone.localdate(),
            },
        )
    return html_to_pdf(html).content
