"""Spreadsheets in and out, for every app: one place that makes exports safe and imports
bounded.

Out: text a person typed may start with "=", "+", "-", "@", a tab or a carriage return,
and a spreadsheet would run it as a formula (`=HYPERLINK("http://…"&B3, …)`). Every text
cell gets a leading single quote, as OWASP's "CSV injection" page describes, and in a
workbook it is written as a string cell. Numbers stay numbers: amounts are `Decimal`
kroner (number cells in the kroner format), dates are date cells, counts are integers.

In: an .xlsx file is a zip, so a small upload can hold a huge sheet. Before anything is
parsed, the sizes the zip declares for its parts are checked (Python's zip reader refuses
to inflate a part beyond its declared size); then the first sheet is streamed row by row
and reading stops at the row limit.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell

from .money import format_decimal

# What makes a spreadsheet read a cell as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
KRONER_FORMAT = "#,##0.00"
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"

# An import of IMPORT_MAX_ROWS sane rows is a few megabytes of sheet XML; anything far
# beyond is refused before it is parsed.
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 40 * 1024 * 1024
MAX_COLUMNS = 50


class UnreadableFile(Exception):
    """The upload cannot be read as rows; the message says why, to the user."""


# Out ---------------------------------------------------------------------------------


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading single quote;
    everything else (numbers, dates, other text) is left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def csv_text(rows: Iterable[Iterable]) -> str:
    """Rows as CSV the way Danish Excel opens it: semicolons and a byte-order mark.
    `Decimal` amounts are written "3.499,50", dates as ISO, text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def _cell(sheet, value) -> Cell | None:
    if value is None or value == "":
        return None
    if not isinstance(value, (int, float, Decimal, date)):
        cell = Cell(sheet, value=neutralise(str(value)))
        cell.data_type = "s"  # never a formula, whatever the text
        return cell
    cell = Cell(sheet, value=value)
    if isinstance(value, Decimal):
        cell.number_format = KRONER_FORMAT
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def append_row(sheet, values: Iterable) -> None:
    """Append a row to an openpyxl sheet: text as neutralised string cells, `Decimal`
    kroner as numbers in the kroner format, dates as date cells."""
    sheet.append([_cell(sheet, value) for value in values])


# In ----------------------------------------------------------------------------------


def _cell_text(value) -> str | date | datetime:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value
    if isinstance(value, float):
        # A number cell comes back as written by hand: "3499" or "3499,5" (Danish comma).
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return str(value).strip()


def _too_many(max_rows: int) -> UnreadableFile:
    return UnreadableFile(_("The file has more than %(max)d rows.") % {"max": max_rows})


def _check_zip(
    data: bytes,
    max_rows: int,
    *,
    max_part_bytes: int = MAX_PART_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(_("The file could not be read as an Excel workbook.")) from exc
    with archive:
        sizes = [member.file_size for member in archive.infolist()]
    if any(size > max_part_bytes for size in sizes) or sum(sizes) > max_total_bytes:
        raise UnreadableFile(
            _("The workbook is too large when unpacked. Import at most %(max)d rows at a time.")
            % {"max": max_rows}
        )


def _sheet_rows(sheet):
    # A sheet may declare any size; ignore it, so short rows are not padded to it.
    sheet.reset_dimensions()
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        yield number, [_cell_text(value) for value in row]


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        yield from _sheet_rows(workbook.worksheets[0])
    finally:
        workbook.close()


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(_("The file is not text in UTF-8.")) from exc
    if "\x00" in text:
        raise UnreadableFile(_("The file is not a CSV file."))
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for number, row in enumerate(reader, start=1):
        yield number, [cell.strip() for cell in row[:MAX_COLUMNS]]


def _collect(source, max_rows: int, *, xlsx: bool, sheet: str = "") -> list[tuple[int, list]]:
    rows: list[tuple[int, list]] = []
    try:
        for number, cells in source:
            if not any(str(cell).strip() for cell in cells):
                continue
            rows.append((number, cells))
            if len(rows) > max_rows + 1:
                if sheet:
                    raise UnreadableFile(
                        _("The sheet “%(sheet)s” has more than %(max)d rows.")
                        % {"sheet": sheet, "max": max_rows}
                    )
                raise _too_many(max_rows)
    except UnreadableFile:
        raise
    except Exception as exc:
        if not xlsx:
            raise
        # An uploaded workbook is untrusted input: a broken zip, malformed XML inside it
        # (read lazily, row by row) or a missing part all mean the same to the user.
        raise UnreadableFile(_("The file could not be read as an Excel workbook.")) from exc
    finally:
        source.close()
    return rows


def read_sheets(
    upload,
    *,
    max_rows: int,
    max_sheets: int = 20,
    max_part_bytes: int = MAX_PART_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> dict[str, list[tuple[int, list]]]:
    """Every sheet of an uploaded .xlsx workbook, by its name, as `read_rows` gives the
    first: (line number, cells), the header first, blank lines skipped, date cells as
    dates. The same checks before anything is parsed, with the limits given (a workbook
    of several large sheets may be allowed more); `max_rows` counts per sheet."""
    data = upload.read()
    _check_zip(data, max_rows, max_part_bytes=max_part_bytes, max_total_bytes=max_total_bytes)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableFile(_("The file could not be read as an Excel workbook.")) from exc
    try:
        if len(workbook.worksheets) > max_sheets:
            raise UnreadableFile(
                _("The workbook has more than %(max)d sheets.") % {"max": max_sheets}
            )
        return {
            sheet.title: _collect(_sheet_rows(sheet), max_rows, xlsx=True, sheet=sheet.title)
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


def read_rows(upload, *, max_rows: int) -> list[tuple[int, list]]:
    """The rows of an uploaded CSV or XLSX file as (line number, cells), the header first.
    Blank lines are skipped. More than `max_rows` rows below the header, a workbook too
    large when unpacked, or a file that is not what its name says raise `UnreadableFile`
    with a message for the user; reading stops as soon as the limit is passed."""
    data = upload.read()
    xlsx = upload.name.lower().endswith(".xlsx")
    if xlsx:
        _check_zip(data, max_rows)
    return _collect(_xlsx_rows(data) if xlsx else _csv_rows(data), max_rows, xlsx=xlsx)
