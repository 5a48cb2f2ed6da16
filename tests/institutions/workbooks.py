"""Onboarding workbooks for tests: the real template of a municipality, filled in with
rows as a municipality's systems would write them."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from institutions.onboarding.template import template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DAYCARES = [
    ["101", "Solsikken", "integreret", "kommunal", "Solsikkevej 1", "4600", "Køge", "Nord", "", ""],
    ["102", "Dagplejen Syd", "dagpleje", "", "", "", "", "Syd", "", ""],
]
GROUPS = [
    ["101-1", "101", "Myren", "stue"],
    ["101-2", "101", "Egernet", "stue"],
    ["102-1", "102", "Dagplejer Hansen", ""],
]
STAFF = [
    ["M1", "Lise Holm", "lise.holm@koege.example", "leder", "101"],
    ["M2", "Per Berg", "per.berg@koege.example", "pædagog", "101"],
    ["M3", "Rikke Hansen", "rikke.hansen@koege.example", "dagplejer", "102"],
]
CHILDREN = [
    ["B1", "Alma", "Holm", date(2022, 5, 17), "101", "101-1", date(2023, 8, 1)],
    ["B2", "Otto", "Berg", date(2021, 3, 2), "101", "101-2", None],
    ["B3", "Freja", "Lund", date(2023, 1, 9), "102", "102-1", None],
]
GUARDIANS = [
    ["F1", "Mads Holm", "mads.holm@example.org", "B1"],
    ["F2", "Sara Holm", "sara.holm@example.org", "B1"],
    ["F3", "Jens Berg", "jens.berg@example.org", "B2"],
    ["F4", "Mette Lund", "mette.lund@example.org", "B3"],
]


def rows(**changes) -> dict[str, list[list]]:
    """The example rows, by sheet, with `changes` ({"Børn": [...]}) in their place."""
    sheets = {
        "Dagtilbud": DAYCARES,
        "Grupper": GROUPS,
        "Medarbejdere": STAFF,
        "Børn": CHILDREN,
        "Forældre": GUARDIANS,
    }
    sheets = {name: [list(row) for row in data] for name, data in sheets.items()}
    sheets.update(changes)
    return sheets


def workbook_bytes(
    municipality, sheets: dict | None = None, *, headers: dict | None = None, drop=()
):
    """The municipality's template with `sheets` ({sheet name: rows}) filled in below the
    column names; `headers` replaces a sheet's column names, `drop` removes sheets."""
    book = load_workbook(io.BytesIO(template_workbook(municipality)))
    for name in drop:
        del book[name]
    for name, data in (rows() if sheets is None else sheets).items():
        if name in drop:
            continue
        sheet = book[name] if name in book.sheetnames else book.create_sheet(name)
        if headers and name in headers:
            sheet.delete_rows(1, sheet.max_row)
            sheet.append(headers[name])
        for row in data:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(municipality, sheets: dict | None = None, *, name="kommunens-data.xlsx", **kwargs):
    return SimpleUploadedFile(
        name, workbook_bytes(municipality, sheets, **kwargs), content_type=XLSX
    )
