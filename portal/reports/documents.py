"""The two status reports as HTML for WeasyPrint: what they show, in the active language.

Both read the same selectors as the dashboard pages, so a report made today shows the
figures the dashboard shows today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.indicators import Status
from core.pdf import pdf_context
from core.reports import institution_sections
from institutions.models import Institution, Municipality
from portal.dashboard import selectors, trends
from portal.dashboard.charts import area_chart, indicators_chart, institution_chart


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


# Status as text, not colour alone: the same marks as templates/pdf/_status.html.
MARKS = {Status.MET: "✓", Status.AT_RISK: "!", Status.NOT_MET: "✗", Status.NOT_APPLICABLE: "–"}
# The municipality report lists this many daycares with the most left to do, and gives
# what the first NEED_DETAIL of them lack with its evidence.
NEED_HELP = 15
NEED_DETAIL = 5


@dataclass
class Tally:
    """Met, at risk and not met, added up over daycares and indicators."""

    label: str
    daycares: int = 0
    indicators: int = 0
    met: int = 0
    at_risk: int = 0
    not_met: int = 0
    # Daycares with something at risk or not met.
    behind: int = 0

    @property
    def applicable(self) -> int:
        return self.met + self.at_risk + self.not_met

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.applicable) if self.applicable else 0

    def add(self, statuses) -> None:
        for status in statuses:
            if status == Status.MET:
                self.met += 1
            elif status == Status.AT_RISK:
                self.at_risk += 1
            elif status == Status.NOT_MET:
                self.not_met += 1


@dataclass
class Behind:
    """A daycare with much left to do, and what: (number, indicator, result)."""

    row: selectors.Row
    items: list = field(default_factory=list)

    def numbers(self, status: Status) -> str:
        return ", ".join(str(n) for n, _i, result in self.items if result.status == status) or "–"

    @property
    def not_met(self) -> str:
        return self.numbers(Status.NOT_MET)

    @property
    def at_risk(self) -> str:
        return self.numbers(Status.AT_RISK)


def _numbered(dashboard: selectors.Dashboard) -> dict[str, int]:
    return {indicator.code: n for n, indicator in enumerate(dashboard.indicators, start=1)}


def _column(text: str) -> str:
    """One indicator's column in a run of marks: three characters of a monospaced font."""
    return f"{text:<3}"


def _matrix(dashboard: selectors.Dashboard) -> tuple[list[tuple], list[tuple]]:
    """The table of daycares: its area headings (label, the indicator numbers) and one row per
    daycare (row, a run of marks per area).

    A municipality has thousands of daycare-indicator pairs, and every table cell costs
    WeasyPrint about a millisecond to lay out, tag and draw; so each area's marks share one
    cell, in a monospaced font under the indicator numbers of its heading. The marks are
    made here rather than by a template include per pair.
    """
    numbers = _numbered(dashboard)
    position = {indicator.code: i for i, indicator in enumerate(dashboard.indicators)}
    areas = [
        [position[indicator.code] for indicator in group.indicators] for group in dashboard.areas
    ]
    headings = [
        (
            group.label,
            "".join(_column(str(numbers[i.code])) for i in group.indicators).rstrip(),
        )
        for group in dashboard.areas
    ]
    rows = []
    for row in dashboard.rows:
        marks = [MARKS[Status(result.status)] for result in row.results]
        rows.append((row, ["".join(_column(marks[i]) for i in area).rstrip() for area in areas]))
    return headings, rows


def _by_area(dashboard: selectors.Dashboard) -> list[Tally]:
    tallies = []
    for group in dashboard.areas:
        tally = Tally(label=group.label, indicators=len(group.indicators))
        for s in group.summaries:
            tally.met += s.met
            tally.at_risk += s.at_risk
            tally.not_met += s.not_met
        tallies.append(tally)
    return tallies


def _by_district(dashboard: selectors.Dashboard) -> list[Tally]:
    tallies: dict[str, Tally] = {}
    for row in dashboard.rows:
        name = row.institution.district or pgettext("district", "No district")
        tally = tallies.setdefault(name, Tally(label=name))
        tally.daycares += 1
        statuses = [Status(r.status) for r in row.results]
        tally.add(statuses)
        tally.behind += any(s in (Status.AT_RISK, Status.NOT_MET) for s in statuses)
    return sorted(tallies.values(), key=lambda t: selectors.danish_key(t.label))


def _need_help(dashboard: selectors.Dashboard, numbers: dict[str, int]) -> list[Behind]:
    """The daycares with the smallest share met (then most not met), at most NEED_HELP."""
    behind = []
    for row in dashboard.rows:
        items = [
            (numbers[indicator.code], indicator, result)
            for indicator, result in row.cells
            if result.status in (Status.AT_RISK, Status.NOT_MET)
        ]
        if items:
            behind.append(Behind(row=row, items=items))
    behind.sort(
        key=lambda b: (
            b.row.met / b.row.applicable if b.row.applicable else 1,
            -sum(1 for _n, _i, r in b.items if r.status == Status.NOT_MET),
            selectors.danish_key(b.row.institution.name),
        )
    )
    return behind[:NEED_HELP]


def municipality_report_html(municipality: Municipality, *, today: date, requested_by: str) -> str:
    """A summary first (areas, districts, deadlines, the daycares with most left to do,
    trends), then every daycare in one table of marks, one row each."""
    dashboard = selectors.municipality_dashboard(municipality, today=today)
    trend = trends.municipality_trend(municipality, today=today)
    charts = [area_chart(trend)]
    charts += [indicators_chart(trend, group.label, group.indicators) for group in dashboard.areas]
    title = _("Status report: %(name)s") % {"name": municipality.name}
    numbers = _numbered(dashboard)
    headings, rows = _matrix(dashboard)
    overall = Tally(label="", daycares=len(dashboard.rows))
    for s in dashboard.summaries:
        overall.met += s.met
        overall.at_risk += s.at_risk
        overall.not_met += s.not_met
    return render_to_string(
        "pdf/municipality_report.html",
        {
            **pdf_context(title),
            "municipality": municipality,
            "dashboard": dashboard,
            "areas": [
                (group, [(numbers[s.indicator.code], s) for s in group.summaries])
                for group in dashboard.areas
            ],
            "overall": overall,
            "by_area": _by_area(dashboard),
            "by_district": _by_district(dashboard),
            "need_help": _need_help(dashboard, numbers),
            "need_detail": NEED_DETAIL,
            "matrix_headings": headings,
            "matrix": rows,
            "marks": [(MARKS[status], status.label) for status in Status],
            "charts": charts,
            "has_trend": bool(trend.dates),
            "made_on": _made_on(today),
            "requested_by": requested_by,
        },
    )
