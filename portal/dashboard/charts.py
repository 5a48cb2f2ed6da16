"""Trend charts drawn on the server as SVG by pygal, so the same chart appears in the
browser and in the PDF reports, each with a text alternative.

A chart is shown as <img src="data:image/svg+xml;base64,..."> with a short `alt`
sentence, followed by the figures as a table. As an image the SVG can carry its own
styles without loosening the page's Content-Security-Policy, and WeasyPrint draws it
the same way. Series differ by dash pattern and marker as well as by colour.
"""

from __future__ import annotations

import base64
import copy
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pygal
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pygal.style import Style

from core.indicators import all_indicators

from .trends import Trend

# The design system's colours, dark enough for 3:1 against white (WCAG 1.4.11).
COLOURS = ("#0059b3", "#008139", "#b35c00", "#c7000b", "#5c2d91", "#1a1a1a")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
# Met, at risk, not met: the design system's success, warning and error colours.
STATUS_COLOURS = ("#008139", "#b35c00", "#c7000b")
DASHES = ("", "8,4", "2,3", "10,3,2,3", "4,4", "1,2")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#6f6f6f",
    colors=COLOURS,
    font_family="'IBM Plex Sans', 'DejaVu Sans', Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=11,
    guide_stroke_color="#d0d0d0",
    major_guide_stroke_color="#b0b0b0",
)


@dataclass
class Series:
    label: str
    values: list[int | None]


@dataclass
class LineChart:
    """A line chart over dates. `percent` charts run from 0 to 100 %."""

    title: str
    dates: list[date]
    series: list[Series]
    percent: bool = False
    width: int = 760
    height: int = 320
    # Colours per series, when they carry meaning (met green, not met red).
    colours: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.dates

    def _label(self, day: date) -> str:
        return date_format(day, "SHORT_DATE_FORMAT")

    def _value(self, value: int | None) -> str:
        if value is None:
            return "–"
        return f"{round(value)} %" if self.percent else str(round(value))

    @cached_property
    def svg(self) -> str:
        style = STYLE
        if self.colours:
            style = copy.copy(STYLE)
            style.colors = self.colours
        chart = pygal.Line(
            style=style,
            width=self.width,
            height=self.height,
            title=self.title,
            js=[],
            disable_xml_declaration=True,
            legend_at_bottom=True,
            # Long indicator names get a line each, so none is cut or overlaps.
            legend_at_bottom_columns=1 if len(self.series) > 3 else max(len(self.series), 1),
            show_minor_x_labels=True,
            truncate_legend=-1,
            truncate_label=-1,
            dots_size=4,
            allow_interruptions=True,
            print_values=False,
            no_data_text=_("No snapshots yet"),
            value_formatter=self._value,
            range=(0, 100) if self.percent else None,
            y_labels=list(range(0, 101, 20)) if self.percent else None,
            x_label_rotation=35 if len(self.dates) > 6 else 0,
            include_x_axis=True,
            min_scale=4,
            max_scale=10,
        )
        chart.x_labels = [self._label(day) for day in self.dates]
        for index, series in enumerate(self.series):
            chart.add(
                series.label,
                series.values,
                stroke_style={"width": 3, "dasharray": DASHES[index % len(DASHES)]},
            )
        # pygal writes its tooltip configuration as a script even without tooltips; an
        # image runs no script, and the PDF needs none: leave it out.
        return _SCRIPT.sub("", chart.render(is_unicode=True))

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()

    @property
    def alt(self) -> str:
        """One sentence: the period and where each series started and ended."""
        if self.is_empty:
            return _("%(title)s: no snapshots yet.") % {"title": self.title}
        parts = []
        for series in self.series:
            known = [v for v in series.values if v is not None]
            if not known:
                continue
            parts.append(
                _("%(series)s from %(first)s to %(last)s")
                % {
                    "series": series.label,
                    "first": self._value(known[0]),
                    "last": self._value(known[-1]),
                }
            )
        return _("%(title)s, %(start)s–%(end)s: %(parts)s.") % {
            "title": self.title,
            "start": self._label(self.dates[0]),
            "end": self._label(self.dates[-1]),
            "parts": "; ".join(parts),
        }

    def table(self) -> list[tuple[str, list[str]]]:
        """The figures behind the chart: one row per date, one column per series."""
        return [
            (self._label(day), [self._value(s.values[i]) for s in self.series])
            for i, day in enumerate(self.dates)
        ]


def area_chart(trend: Trend) -> LineChart:
    return LineChart(
        title=_("Share of indicators met, per strategy area"),
        dates=trend.dates,
        series=[Series(label, values) for label, values in trend.by_area()],
        percent=True,
    )


def status_chart(trend: Trend, indicator) -> LineChart:
    return LineChart(
        title=_("Daycares per status: %(indicator)s") % {"indicator": indicator.title},
        dates=trend.dates,
        series=[Series(label, values) for label, values in trend.by_status(indicator.code)],
        colours=STATUS_COLOURS,
    )


def institution_chart(own: Trend, everyone: Trend, name: str) -> LineChart:
    indicators = all_indicators()
    return LineChart(
        title=_("Share of indicators met over time"),
        dates=everyone.dates,
        series=[
            Series(name, [own.area_percent(d, indicators) for d in everyone.dates]),
            Series(
                _("Every daycare in the municipality"),
                [everyone.area_percent(d, indicators) for d in everyone.dates],
            ),
        ],
        percent=True,
    )


def indicators_chart(trend: Trend, area_label: str, indicators) -> LineChart:
    """Share of daycares meeting each indicator of one strategy area."""
    return LineChart(
        title=_("Share of daycares meeting each indicator: %(area)s") % {"area": area_label},
        dates=trend.dates,
        series=[
            Series(str(i.title), [trend.area_percent(d, [i]) for d in trend.dates])
            for i in indicators
        ],
        percent=True,
        height=300 + 22 * len(indicators),
    )
