"""HTML to PDF with WeasyPrint, on the shared base templates/pdf/base.html."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

FONT_DIR = settings.NODE_MODULES / "dkfds" / "dist" / "fonts" / "IBMPlexSans" / "complete" / "ttf"
# Tagged PDF for screen readers (PDF/UA-1): structure, language, title, alt texts.
PDF_VARIANT = "pdf/ua-1"


def pdf_context(title: str) -> dict:
    """What templates/pdf/base.html needs, in the active language."""
    return {
        "pdf_title": title,
        "pdf_font_dir": str(FONT_DIR) if FONT_DIR.exists() else "",
        "pdf_language": translation.get_language() or settings.LANGUAGE_CODE,
        "pdf_page_word": _("Page"),
        "pdf_of_word": _("of"),
    }


@dataclass
class Pdf:
    content: bytes
    pages: int


_local = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread, kept between documents: every PDF
    declares the same @font-face fonts, and a fresh configuration copies them to a
    temporary folder and rebuilds Fontconfig's list each time (WeasyPrint's objects are
    not made for sharing between threads)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> Pdf:
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        pdf_variant=PDF_VARIANT, pdf_tags=True, font_config=_font_config()
    )
    return Pdf(
        content=document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True),
        pages=len(document.pages),
    )
