"""The onboarding workbook's template: a sheet per kind of row with its column names, the
municipality filled in, and a guide with every column and an example row per sheet.

The data sheets hold no example rows: a row kept by mistake would be imported. Their
date columns are formatted as dates, so a date typed in them is a date cell.
"""

from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheets import DATE_FORMAT, append_row

from ..models import Municipality
from .sheets import (
    CHILDREN,
    DATA_SHEETS,
    DATE,
    DAYCARES,
    GROUPS,
    GUARDIANS,
    GUIDE,
    MUNICIPALITY,
    STAFF,
    WORD,
    Sheet,
)

EXAMPLES = {
    DAYCARES.name: (
        "101",
        "Børnehuset Solsikken",
        "integreret",
        "kommunal",
        "Solsikkevej 1",
        "4600",
        "Køge",
        "Nord",
        "solsikken@example.dk",
        "56 67 00 00",
    ),
    GROUPS.name: ("101-1", "101", "Mariehønen", "stue"),
    STAFF.name: ("M-2001", "Lise Holm", "lise.holm@example.dk", "leder", "101"),
    CHILDREN.name: ("B-30001", "Alma", "Holm", date(2022, 5, 17), "101", "101-1", date(2023, 8, 1)),
    GUARDIANS.name: ("F-50001", "Mads Holm", "mads.holm@example.dk", "B-30001"),
}
BOLD = Font(bold=True)


def _header(sheet, titles) -> None:
    append_row(sheet, titles)
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"


def _data_sheet(workbook: Workbook, sheet: Sheet) -> None:
    ws = workbook.create_sheet(sheet.name)
    _header(ws, [c.title for c in sheet.columns])
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(14, len(column.title) + 4)
        if column.kind == DATE:
            ws.column_dimensions[letter].number_format = DATE_FORMAT


def _guide(workbook: Workbook) -> None:
    ws = workbook.create_sheet(GUIDE)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 90
    append_row(ws, [_("The municipality's onboarding workbook")])
    ws["A1"].font = Font(bold=True, size=14)
    for line in (
        _(
            "Fill in one sheet per kind of row from the municipality's own systems and "
            "upload the workbook on the page “The municipality's workbook” in the portal. "
            "The portal checks every row first and shows what will change before anything "
            "is imported."
        ),
        _(
            "Upload the same workbook again every month. Rows are found again by the ids "
            "(the columns ending in -id): keep them the same from month to month. Who is "
            "no longer in the workbook has left; what was created in the portal stays."
        ),
        _("An empty cell in a column that is not required leaves what the portal has."),
        _("Dates are date cells (e.g. 17-05-2022), not text."),
    ):
        append_row(ws, [line])
    append_row(ws, [])
    append_row(ws, [_("Sheet"), _("Column"), _("Required"), _("What it holds")])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for sheet in DATA_SHEETS:
        append_row(ws, [sheet.name, "", "", str(sheet.help)])
        ws.cell(ws.max_row, 1).font = BOLD
        for column in sheet.columns:
            what = str(column.help)
            if column.kind == WORD:
                what = " ".join(
                    part
                    for part in (what, _("One of: %(words)s.") % {"words": ", ".join(column.shown)})
                    if part
                )
            append_row(ws, ["", column.title, _("Yes") if column.required else _("No"), what])
        append_row(ws, ["", _("Example"), "", ""])
        append_row(ws, ["", *EXAMPLES[sheet.name]])
        append_row(ws, [])


def template_workbook(municipality: Municipality) -> bytes:
    """The template for `municipality`, as the bytes of an .xlsx file."""
    workbook = Workbook()
    first = workbook.active
    first.title = MUNICIPALITY.name
    _header(first, [c.title for c in MUNICIPALITY.columns])
    append_row(first, [municipality.code, municipality.name])
    first.column_dimensions["A"].width = 16
    first.column_dimensions["B"].width = 30
    for sheet in DATA_SHEETS:
        _data_sheet(workbook, sheet)
    _guide(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
