"""The two status reports as HTML for WeasyPrint: what they show, in the active language.

Both read the same selectors as the dashboard pages, so a report made today shows the
figures the dashboard shows today.
"""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from institutions.models import Institution, Municipality
from portal.dashboard import selectors, trends
from portal.dashboard.charts import area_chart, indicators_chart, institution_chart

from . import institution_sections
from .pdf import pdf_context


def _made_on(today: date) -> str:
    return date_format(today, "DATE_FORMAT")


def institution_report_html(institution: Institution, *, today: date, requested_by: str) -> str:
    dashboard = selectors.institution_dashboard(institution, today=today)
    own = trends.institution_trend(institution, today=today)
    everyone = trends.municipality_trend(institution.municipality, today=today)
    title = _("Status report: %(name)s") % {"name": institution.name}
    return render_to_string(
        "pdf/institution_report.html",
        {
            **pdf_context(title),
            "institution": institution,
            "dashboard": dashboard,
            "sections": institution_sections(institution, today=today),
            "chart": institution_chart(own, everyone, institution.name),
            "made_on": _made_on(today),
            "requested_by": requested_by,
        },
    )


def municipality_report_html(municipality: Municipality, *, today: date, requested_by: str) -> str:
    dashboard = selectors.municipality_dashboard(municipality, today=today)
    trend = trends.municipality_trend(municipality, today=today)
    charts = [area_chart(trend)]
    charts += [indicators_chart(trend, group.label, group.indicators) for group in dashboard.areas]
    title = _("Status report: %(name)s") % {"name": municipality.name}
    return render_to_string(
        "pdf/municipality_report.html",
        {
            **pdf_context(title),
            "municipality": municipality,
            "dashboard": dashboard,
            "charts": charts,
            "has_trend": bool(trend.dates),
            "made_on": _made_on(today),
            "requested_by": requested_by,
        },
    )
