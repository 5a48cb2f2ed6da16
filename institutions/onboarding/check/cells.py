"""Each cell read as its column says (ids, text, e-mail addresses, dates, words), and each
sheet's header row: where its columns are."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ..sheets import DATE, EMAIL, POSTCODE, WORD, Column, Sheet, norm
from .problems import Problems


class _Bad(Exception):
    pass


def _cell(column: Column, value):
    """The cell's value as the column means it; `_Bad` with the reason otherwise."""
    if value in ("", None):
        if column.required:
            raise _Bad(_("The cell is empty, but this column must be filled in."))
        return None if column.kind == DATE else ""
    if column.kind == DATE:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        raise _Bad(
            _(
                "“%(value)s” is text, not a date. Write the date in a date cell, e.g. "
                "17-05-2022, so that day and month cannot be read the wrong way round."
            )
            % {"value": value}
        )
    if isinstance(value, (date, datetime)):
        raise _Bad(_("The cell holds a date; write text here."))
    text = " ".join(str(value).split())
    if len(text) > column.max_length:
        raise _Bad(
            _("At most %(max)d characters (this cell has %(length)d).")
            % {"max": column.max_length, "length": len(text)}
        )
    if column.kind == EMAIL:
        text = text.lower()
        try:
            validate_email(text)
        except ValidationError:
            raise _Bad(_("“%(value)s” is not a valid e-mail address.") % {"value": value}) from None
    elif column.kind == WORD:
        word = column.words.get(norm(text))
        if word is None:
            raise _Bad(
                _("“%(value)s” is not known. Use one of: %(accepted)s.")
                % {"value": text, "accepted": ", ".join(column.shown)}
            )
        return str(word)
    elif column.kind == POSTCODE and not re.fullmatch(r"[0-9]{4}", text):
        raise _Bad(_("A Danish postcode is four digits."))
    return text


def header(sheet: Sheet, cells: list, problems: Problems) -> dict[str, int]:
    """Where each column is: {field: index}. Unknown, doubled and missing columns are
    problems: a column the portal does not know may be a misspelt one whose data would
    otherwise be ignored without a word."""
    by_title = {norm(c.title): c for c in sheet.columns}
    positions: dict[str, int] = {}
    for index, title in enumerate(cells):
        if str(title).strip() == "":
            continue
        column = by_title.get(norm(title))
        if column is None:
            problems.add(
                sheet,
                _("The column “%(title)s” is not known. The sheet's columns are: %(columns)s.")
                % {"title": title, "columns": ", ".join(c.title for c in sheet.columns)},
                row=1,
                column=Column("", str(title)),
                at=index,
            )
        elif column.field in positions:
            problems.add(
                sheet,
                _("The column “%(title)s” is there twice.") % {"title": column.title},
                row=1,
                column=column,
                at=index,
            )
        else:
            positions[column.field] = index
    for column in sheet.columns:
        if column.required and column.field not in positions:
            problems.add(
                sheet,
                _("The column “%(title)s” is missing.") % {"title": column.title},
                row=1,
                column=column,
            )
    return positions


def records_of(sheet: Sheet, positions: dict[str, int], rows, problems: Problems) -> list[dict]:
    """Each row as {field: value, "row": number}; a row with a bad cell is still given
    (with the bad cell as "") so that later checks can refer to its id, and marked
    "bad" so that nothing is built on it."""
    records = []
    columns = [(c, positions[c.field]) for c in sheet.columns if c.field in positions]
    for number, cells in rows:
        record: dict = {"row": number}
        for column, at in columns:
            value = cells[at] if at < len(cells) else ""
            try:
                record[column.field] = _cell(column, value)
            except _Bad as bad:
                problems.add(sheet, str(bad), row=number, column=column, at=at)
                record[column.field] = ""
                record["bad"] = True
        records.append(record)
    return records
