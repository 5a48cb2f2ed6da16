"""The children's environment assessment as a PDF for the daycare's curriculum evaluation."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pdf import html_to_pdf, pdf_context

from .models import Assessment
from .selectors import MIN_CHILDREN


def render_assessment(assessment: Assessment, context: dict) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Children's environment assessment %(year)s") % {"year": assessment.year}
        html = render_to_string(
            "wellbeing/pdf/assessment.html",
            {
                **pdf_context(title),
                **context,
                "assessment": assessment,
                "institution": assessment.institution,
                "min_children": MIN_CHILDREN,
                "today": timezone.localdate(),
            },
        )
    return html_to_pdf(html).content
