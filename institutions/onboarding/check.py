"""Read an uploaded onboarding workbook and check all of it.

Every cell is read as its column says (ids, text, e-mail addresses, dates, words), every
row against the others on its sheet (an id twice, one e-mail address for two people) and
every reference between sheets (a child's group, a guardian's child). Any problem refuses
the whole workbook: `Refused` carries every problem found, each named by sheet, row and
column as the spreadsheet shows them. What comes back is the workbook as plain data
(JSON), ready to be compared with the portal (see plan.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.spreadsheets import UnreadableFile, read_sheets

from ..models import Membership, Municipality, MunicipalRole
from ..querysets import STAFF_ROLES
from .sheets import (
    CHILDREN,
    DATE,
    DAYCARES,
    EMAIL,
    GROUPS,
    GUARDIANS,
    MUNICIPALITY,
    POSTCODE,
    SHEETS,
    STAFF,
    WORD,
    Column,
    Sheet,
)

# Enough to correct a workbook from; the rest are counted.
MAX_PROBLEMS = 500


@dataclass(frozen=True)
class Problem:
    """One thing wrong, and where: the sheet, the row and the column as Excel numbers and
    letters them (`row` None for the whole sheet, `column` "" for the whole row)."""

    sheet: str
    message: str
    row: int | None = None
    column: str = ""
    heading: str = ""

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "heading": self.heading,
            "message": self.message,
        }


class Refused(Exception):
    """The workbook cannot be imported; `problems` says every place why."""

    def __init__(self, problems: list[Problem], more: int = 0):
        super().__init__(f"{len(problems) + more} problem(s)")
        self.problems = problems
        self.more = more


def _norm(text) -> str:
    return " ".join(str(text).lower().split())


class _Problems:
    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.more = 0

    def add(
        self,
        sheet: Sheet | str,
        message: str,
        row: int | None = None,
        column: Column | None = None,
        at: int | None = None,
    ) -> None:
        """A problem at `row` and the column at index `at` (its heading from `column`)."""
        if len(self.found) >= MAX_PROBLEMS:
            self.more += 1
            return
        name = sheet if isinstance(sheet, str) else sheet.name
        letter = get_column_letter(at + 1) if at is not None else ""
        self.found.append(Problem(name, message, row, letter, column.title if column else ""))

    def __bool__(self) -> bool:
        return bool(self.found)

    def refuse(self) -> Refused:
        return Refused(ordered(self.found), self.more)


_ORDER = {sheet.name: index for index, sheet in enumerate(SHEETS)}


def ordered(problems: list[Problem]) -> list[Problem]:
    """As a reader goes through the workbook: sheet by sheet, row by row, left to right."""
    return sorted(
        problems,
        key=lambda p: (_ORDER.get(p.sheet, -1), p.row or 0, len(p.column), p.column),
    )


# Cells -------------------------------------------------------------------------------


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
        word = column.words.get(_norm(text))
        if word is None:
            raise _Bad(
                _("“%(value)s” is not known. Use one of: %(accepted)s.")
                % {"value": text, "accepted": ", ".join(column.shown)}
            )
        return str(word)
    elif column.kind == POSTCODE and not re.fullmatch(r"[0-9]{4}", text):
        raise _Bad(_("A Danish postcode is four digits."))
    return text


def _header(sheet: Sheet, cells: list, problems: _Problems) -> dict[str, int]:
    """Where each column is: {field: index}. Unknown, doubled and missing columns are
    problems: a column the portal does not know may be a misspelt one whose data would
    otherwise be ignored without a word."""
    by_title = {_norm(c.title): c for c in sheet.columns}
    positions: dict[str, int] = {}
    for index, title in enumerate(cells):
        if str(title).strip() == "":
            continue
        column = by_title.get(_norm(title))
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


def _records(sheet: Sheet, positions: dict[str, int], rows, problems: _Problems) -> list[dict]:
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


# Rows against each other ------------------------------------------------------------


class _Book:
    """The parsed sheets and their column positions, for naming places in problems."""

    def __init__(self, positions: dict[str, dict[str, int]], problems: _Problems):
        self.positions = positions
        self.problems = problems

    def add(self, sheet: Sheet, record: dict, field: str, message: str) -> None:
        at = self.positions[sheet.name].get(field)
        self.problems.add(sheet, message, row=record["row"], column=sheet.column(field), at=at)
        record["bad"] = True


def _once(book: _Book, sheet: Sheet, records: list[dict], key, field: str, message: str):
    """Refuse rows whose `key(record)` an earlier row had; `message` takes %(row)d."""
    seen: dict = {}
    for record in records:
        value = key(record)
        if value is None:
            continue
        if value in seen:
            book.add(sheet, record, field, message % {**record, "row": seen[value]})
        else:
            seen[value] = record["row"]


def _refer(book, sheet, records, field: str, known: dict, target: Sheet, message: str) -> None:
    for record in records:
        value = record.get(field)
        if value and value not in known:
            book.add(sheet, record, field, message % {"key": value, "sheet": target.name})


def _people(book: _Book, sheet: Sheet, records: list[dict]) -> None:
    """One id is one person (one name, one e-mail address); one e-mail address is one
    person. E-mail addresses do not tell capital from small letters, so "Anna@x.dk" and
    "anna@x.dk" for two people are one address for two."""
    first: dict[str, dict] = {}
    owner: dict[str, dict] = {}
    for record in records:
        key, email = record.get("key"), record.get("email")
        if not key or not email:
            continue
        earlier = first.setdefault(key, record)
        if earlier is not record:
            if earlier["email"] and earlier["email"] != email:
                book.add(
                    sheet,
                    record,
                    "email",
                    _(
                        "The id “%(key)s” has the e-mail address %(other)s in row %(row)d. "
                        "One person has one e-mail address."
                    )
                    % {"key": key, "other": earlier["email"], "row": earlier["row"]},
                )
            elif earlier["name"] and record["name"] and earlier["name"] != record["name"]:
                book.add(
                    sheet,
                    record,
                    "name",
                    _(
                        "The id “%(key)s” has the name “%(other)s” in row %(row)d. "
                        "One person has one name."
                    )
                    % {"key": key, "other": earlier["name"], "row": earlier["row"]},
                )
        holder = owner.setdefault(email, record)
        if holder["key"] != key:
            typed, other = record["raw_email"], holder["raw_email"]
            if typed == other:
                message = _(
                    "The e-mail address %(email)s is also in row %(row)d, for another "
                    "person (%(key)s). Each person needs their own address."
                ) % {"email": typed, "row": holder["row"], "key": holder["key"]}
            else:
                message = _(
                    "The e-mail address %(email)s is also in row %(row)d, written "
                    "%(other)s, for another person (%(key)s). Capital and small letters "
                    "make no difference in an e-mail address, so it is the same address. "
                    "Each person needs their own."
                ) % {"email": typed, "row": holder["row"], "other": other, "key": holder["key"]}
            book.add(sheet, record, "email", message)


def _check_daycares(book: _Book, records: list[dict]) -> dict[str, dict]:
    _once(
        book,
        DAYCARES,
        records,
        lambda r: r["key"] or None,
        "key",
        _("The daycare id “%(key)s” is also in row %(row)d: a daycare has one row only."),
    )
    _once(
        book,
        DAYCARES,
        records,
        lambda r: _norm(r["name"]) or None,
        "name",
        _("The name “%(name)s” is also in row %(row)d: two daycares cannot have the same name."),
    )
    return {r["key"]: r for r in records if r["key"]}


def _check_groups(book: _Book, records: list[dict], daycares: dict) -> dict[str, dict]:
    _once(
        book,
        GROUPS,
        records,
        lambda r: r["key"] or None,
        "key",
        _("The group id “%(key)s” is also in row %(row)d: a group has one row only."),
    )
    _refer(
        book,
        GROUPS,
        records,
        "daycare",
        daycares,
        DAYCARES,
        _("There is no daycare with the id “%(key)s” on the sheet %(sheet)s."),
    )
    _once(
        book,
        GROUPS,
        records,
        lambda r: (r["daycare"], _norm(r["name"])) if r["name"] else None,
        "name",
        _("The daycare has another group named “%(name)s” in row %(row)d."),
    )
    for record in records:
        if not record.get("kind") and record["daycare"] in daycares:
            childminding = daycares[record["daycare"]]["kind"] == "childminding"
            record["kind"] = "home" if childminding else "room"
    return {r["key"]: r for r in records if r["key"]}


def _check_staff(book: _Book, records: list[dict], daycares: dict) -> None:
    _refer(
        book,
        STAFF,
        records,
        "daycare",
        daycares,
        DAYCARES,
        _("There is no daycare with the id “%(key)s” on the sheet %(sheet)s."),
    )
    _once(
        book,
        STAFF,
        records,
        lambda r: (r["key"], r["daycare"], r["role"]) if r["key"] and r["role"] else None,
        "role",
        _("The same person has the same role in the same daycare in row %(row)d."),
    )
    _people(book, STAFF, records)


def _check_children(book: _Book, records: list[dict], daycares: dict, groups: dict) -> dict:
    _once(
        book,
        CHILDREN,
        records,
        lambda r: r["key"] or None,
        "key",
        _("The child id “%(key)s” is also in row %(row)d: a child has one row only."),
    )
    _refer(
        book,
        CHILDREN,
        records,
        "daycare",
        daycares,
        DAYCARES,
        _("There is no daycare with the id “%(key)s” on the sheet %(sheet)s."),
    )
    _refer(
        book,
        CHILDREN,
        records,
        "group",
        groups,
        GROUPS,
        _("There is no group with the id “%(key)s” on the sheet %(sheet)s."),
    )
    today = timezone.localdate()
    for record in records:
        group = groups.get(record["group"])
        if group and record["daycare"] in daycares and group["daycare"] != record["daycare"]:
            book.add(
                CHILDREN,
                record,
                "group",
                _(
                    "The group “%(group)s” (%(key)s) belongs to the daycare “%(daycare)s” "
                    "(%(daycare_key)s) on the sheet Grupper, not to the daycare of this row "
                    "(%(row_daycare)s)."
                )
                % {
                    "group": group["name"],
                    "key": group["key"],
                    "daycare": daycares.get(group["daycare"], {}).get("name", ""),
                    "daycare_key": group["daycare"],
                    "row_daycare": record["daycare"],
                },
            )
        born, started = record.get("birth_date"), record.get("started_on")
        if born:
            if born > today:
                book.add(
                    CHILDREN, record, "birth_date", _("The birth date cannot be in the future.")
                )
            elif born.year < today.year - 18:
                book.add(
                    CHILDREN,
                    record,
                    "birth_date",
                    _("The birth date is too far in the past for a child in daycare."),
                )
            elif started and started < born:
                book.add(
                    CHILDREN, record, "started_on", _("A child cannot start before it is born.")
                )
    return {r["key"]: r for r in records if r["key"]}


def _check_guardians(book: _Book, records: list[dict], children: dict, municipality) -> None:
    _refer(
        book,
        GUARDIANS,
        records,
        "child",
        children,
        CHILDREN,
        _("There is no child with the id “%(key)s” on the sheet %(sheet)s."),
    )
    _once(
        book,
        GUARDIANS,
        records,
        lambda r: (r["key"], r["child"]) if r["key"] and r["child"] else None,
        "child",
        _("The same guardian and child are also in row %(row)d."),
    )
    _people(book, GUARDIANS, records)
    elsewhere = _staff_elsewhere({r["email"] for r in records if r["email"]}, municipality)
    for record in records:
        if record["email"] in elsewhere:
            book.add(
                GUARDIANS,
                record,
                "email",
                _(
                    "%(email)s is the work address of staff in another municipality. "
                    "Use the guardian's own address."
                )
                % {"email": record["raw_email"]},
            )


def _staff_elsewhere(emails: set[str], municipality: Municipality) -> set[str]:
    """Which of `emails` belong to someone who works in another municipality: a
    guardian's invitation to such an address would go to another employer's mailbox."""
    found: set[str] = set()
    emails_list = sorted(emails)
    for start in range(0, len(emails_list), 5000):
        chunk = emails_list[start : start + 5000]
        found |= set(
            Membership.objects.filter(user__email__in=chunk, role__in=STAFF_ROLES)
            .exclude(institution__municipality=municipality)
            .values_list("user__email", flat=True)
        )
        found |= set(
            MunicipalRole.objects.filter(user__email__in=chunk)
            .exclude(municipality=municipality)
            .values_list("user__email", flat=True)
        )
    return found


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
    by_name = {_norm(name): rows for name, rows in sheets.items()}
    problems = _Problems()
    tables: dict[str, tuple[dict, list]] = {}
    for sheet in SHEETS:
        rows = by_name.get(_norm(sheet.name))
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
        positions = _header(sheet, rows[0][1], problems)
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

    book = _Book({name: positions for name, (positions, _rows) in tables.items()}, problems)
    records = {}
    for sheet in SHEETS[1:]:
        positions, rows = tables[sheet.name]
        records[sheet.records] = _records(sheet, positions, rows, problems)
    for sheet in (STAFF, GUARDIANS):
        positions, rows = tables[sheet.name]
        at = positions["email"]
        for record, (_number, cells) in zip(records[sheet.records], rows, strict=True):
            record["raw_email"] = " ".join(str(cells[at]).split()) if at < len(cells) else ""
    daycares = _check_daycares(book, records["daycares"])
    groups = _check_groups(book, records["groups"], daycares)
    _check_staff(book, records["staff"], daycares)
    children = _check_children(book, records["children"], daycares, groups)
    _check_guardians(book, records["guardians"], children, municipality)
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
