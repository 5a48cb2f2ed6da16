"""The decision letter: an HTML template printed to PDF by WeasyPrint."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Application

FONT_DIR = settings.NODE_MODULES / "dkfds" / "dist" / "fonts" / "IBMPlexSans" / "complete" / "ttf"


def pdf_context(title: str) -> dict:
    """What templates/pdf/base.html needs, in the active language."""
    return {
        "pdf_title": title,
        "pdf_font_dir": str(FONT_DIR) if FONT_DIR.exists() else "",
        "pdf_language": translation.get_language() or settings.LANGUAGE_CODE,
        "pdf_page_word": _("Page"),
        "pdf_of_word": _("of"),
    }


def render_decision_letter(application: Application) -> bytes:
    """The letter in the portal's default language (Danish): a municipal decision."""
    from weasyprint import HTML

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
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
