"""Read an uploaded onboarding workbook and check all of it.

Every cell is read as its column says (ids, text, e-mail addresses, dates, words), every
row against the others on its sheet (an id twice, one e-mail address for two people) and
every reference between sheets (a child's group, a guardian's child). Any problem refuses
the whole workbook: `Refused` carries every problem found, each named by sheet, row and
column as the spreadsheet shows them. What comes back is the workbook as plain data
(JSON), ready to be compared with the portal (see plan/).

- `problems`: what is wrong and where; `Refused`.
- `cells`: each cell as its column says, and the header row of each sheet.
- `rows`: rows against each other and the references between the sheets.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.spreadsheets import UnreadableFile, read_sheets

from ...models import Municipality
from ..sheets import GUARDIANS, MUNICIPALITY, SHEETS, STAFF, norm
from .cells import header, records_of
from .problems import MAX_PROBLEMS, Problem, Problems, Refused, ordered
from .rows import Book, check_children, check_daycares, check_groups, check_guardians, check_staff

__all__ = ["MAX_PROBLEMS", "Problem", "Refused", "check_workbook", "ordered"]


def _check_municipality(rows: list, positions: dict, municipality: Municipality) -> None:
    column = MUNICIPALITY.column("code")
    at = positions["code"]
    if not rows:
        raise Refused([Problem(MUNICIPALITY.name, _("Write the municipality code in row 2."), 2)])
    number, cells = rows[0]
    code = str(cells[at]).strip() if at < len(cells) else ""
    if code == municipality.code:
        return
    other = Municipality.objects.filter(code=code).first()
    if other is not None:
        message = _(
            "The workbook is for %(other)s (municipality code %(code)s), not for "
            "%(municipality)s (%(own)s). Download the template for %(municipality)s."
        ) % {
            "other": other.name,
            "code": code,
            "municipality": municipality,
            "own": municipality.code,
        }
    else:
        message = _(
            "The municipality code is “%(code)s”, but %(municipality)s has the code "
            "%(own)s. Download the template for %(municipality)s."
        ) % {"code": code, "municipality": municipality, "own": municipality.code}
    raise Refused(
        [Problem(MUNICIPALITY.name, message, number, get_column_letter(at + 1), column.title)]
    )


# The whole workbook -----------------------------------------------------------------


def check_workbook(upload, *, municipality: Municipality) -> dict[str, list[dict]]:
    """The workbook's rows as plain data, every cell checked; `Refused` with every problem
    when anything is wrong. Nothing is stored either way."""
    try:
        sheets = read_sheets(
            upload,
            max_rows=settings.ONBOARDING_MAX_ROWS,
            max_part_bytes=settings.ONBOARDING_MAX_UNPACKED_BYTES,
            max_total_bytes=settings.ONBOARDING_MAX_UNPACKED_BYTES * 3,
        )
    except UnreadableFile as exc:
        raise Refused([Problem("", str(exc))]) from exc
    by_name = {norm(name): rows for name, rows in sheets.items()}
    problems = Problems()
    tables: dict[str, tuple[dict, list]] = {}
    for sheet in SHEETS:
        rows = by_name.get(norm(sheet.name))
        if rows is None:
            problems.add(
                sheet,
                _(
                    "The workbook has no sheet named “%(sheet)s”. Start from the template: "
                    "it has every sheet."
                )
                % {"sheet": sheet.name},
            )
            continue
        if not rows:
            problems.add(sheet, _("The sheet is empty; its first row holds the column names."))
            continue
        positions = header(sheet, rows[0][1], problems)
        if sheet is not MUNICIPALITY and len(rows) == 1:
            problems.add(
                sheet,
                _(
                    "The sheet has no rows below the column names. An empty sheet would "
                    "mean that everyone on it has left, so the workbook is refused."
                ),
            )
        tables[sheet.name] = (positions, rows[1:])
    if problems:
        raise problems.refuse()
    _check_municipality(tables[MUNICIPALITY.name][1], tables[MUNICIPALITY.name][0], municipality)

    book = Book({name: positions for name, (positions, _rows) in tables.items()}, problems)
    records = {}
    for sheet in SHEETS[1:]:
        positions, rows = tables[sheet.name]
        records[sheet.records] = records_of(sheet, positions, rows, problems)
    for sheet in (STAFF, GUARDIANS):
        positions, rows = tables[sheet.name]
        at = positions["email"]
        for record, (_number, cells) in zip(records[sheet.records], rows, strict=True):
            record["raw_email"] = " ".join(str(cells[at]).split()) if at < len(cells) else ""
    daycares = check_daycares(book, records["daycares"])
    groups = check_groups(book, records["groups"], daycares)
    check_staff(book, records["staff"], daycares)
    children = check_children(book, records["children"], daycares, groups)
    check_guardians(book, records["guardians"], children, municipality)
    if problems:
        raise problems.refuse()
    for sheet in (STAFF, GUARDIANS):
        for record in records[sheet.records]:
            del record["raw_email"]
    for record in records["children"]:
        for field in ("birth_date", "started_on"):
            record[field] = record[field].isoformat() if record[field] else None
    records["columns"] = {
        sheet.records: {
            field: get_column_letter(at + 1) for field, at in tables[sheet.name][0].items()
        }
        for sheet in SHEETS[1:]
    }
    return records
