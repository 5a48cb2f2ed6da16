"""The dashboard's matrix as CSV and as an Excel workbook, with the filters applied.

CSV: one row per daycare, one column per indicator with the status in words; semicolons
and a byte-order mark, as Danish Excel expects. The workbook adds the evidence, the
summary per indicator and colours (with the words, never colour alone).
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.filenames import download_name
from core.indicators import Status
from core.spreadsheets import append_row, csv_text

from .selectors import Dashboard

# One fill per status, shared by every cell (openpyxl is slow at making styles per cell).
FILLS = {
    status: PatternFill("solid", start_color=colour, end_color=colour)
    for status, colour in {
        Status.MET: "DCEFE3",
        Status.AT_RISK: "FFF1CC",
        Status.NOT_MET: "F9DCDC",
        Status.NOT_APPLICABLE: "EEEEEE",
    }.items()
}


def filename(dashboard: Dashboard, extension: str) -> str:
    """indikatorer-koege-kommune-2026-12-07.xlsx, in Danish whatever the reader's language."""
    return download_name(
        "indikatorer", dashboard.municipality.name, day=dashboard.today, extension=extension
    )


def _headings(dashboard: Dashboard) -> list[str]:
    return [
        _("Daycare"),
        _("District"),
        _("Kind"),
        _("Ownership"),
        *[str(indicator.title) for indicator in dashboard.indicators],
        _("Indicators met"),
    ]


def _rows(dashboard: Dashboard) -> list[list]:
    return [
        [
            row.institution.name,
            row.institution.district,
            str(row.institution.get_kind_display()),
            str(row.institution.get_ownership_display()),
            *[result.get_status_display() for result in row.results],
            f"{row.met}/{row.applicable}",
        ]
        for row in dashboard.rows
    ]


def matrix_csv(dashboard: Dashboard) -> bytes:
    return csv_text([_headings(dashboard), *_rows(dashboard)]).encode("utf-8")


def _fit(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)


def matrix_workbook(dashboard: Dashboard) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Status")
    headings = _headings(dashboard)
    append_row(sheet, headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first = 5  # the first indicator column
    # Row numbers are counted here: sheet.max_row scans every cell each time it is read.
    for number, row in enumerate(dashboard.rows, start=2):
        append_row(
            sheet,
            [
                row.institution.name,
                row.institution.district,
                str(row.institution.get_kind_display()),
                str(row.institution.get_ownership_display()),
                *[result.get_status_display() for result in row.results],
                f"{row.met}/{row.applicable}",
            ],
        )
        for offset, result in enumerate(row.results):
            sheet.cell(row=number, column=first + offset).fill = FILLS[result.status]
    _fit(sheet, [30, 16, 18, 16, *[18] * len(dashboard.indicators), 12])
    sheet.freeze_panes = "B2"

    evidence = workbook.create_sheet(_("Evidence"))
    append_row(
        evidence, [_("Daycare"), _("Strategy area"), _("Indicator"), _("Status"), _("Evidence")]
    )
    for cell in evidence[1]:
        cell.font = Font(bold=True)
    for row in dashboard.rows:
        for indicator, result in zip(dashboard.indicators, row.results, strict=True):
            append_row(
                evidence,
                [
                    row.institution.name,
                    str(indicator.area.label),
                    str(indicator.title),
                    result.get_status_display(),
                    str(result.evidence),
                ],
            )
    _fit(evidence, [30, 28, 40, 14, 60])
    evidence.freeze_panes = "A2"

    summary = workbook.create_sheet(_("Summary"))
    append_row(
        summary,
        [
            _("Strategy area"),
            _("Indicator"),
            _("Met"),
            _("At risk"),
            _("Not met"),
            _("Daycares measured"),
            _("Deadline"),
        ],
    )
    for cell in summary[1]:
        cell.font = Font(bold=True)
    for s in dashboard.summaries:
        append_row(
            summary,
            [
                str(s.indicator.area.label),
                str(s.indicator.title),
                s.met,
                s.at_risk,
                s.not_met,
                s.applicable,
                s.indicator.deadline,
            ],
        )
    _fit(summary, [28, 40, 8, 10, 10, 18, 12])
    summary.freeze_panes = "A2"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
