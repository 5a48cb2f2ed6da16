"""What is wrong with a workbook, and where: each problem named by sheet, row and column
as the spreadsheet shows them; `Refused` carries them all."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ..sheets import SHEETS, Column, Sheet

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


class Problems:
    """The problems found so far; past MAX_PROBLEMS they are only counted."""

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
