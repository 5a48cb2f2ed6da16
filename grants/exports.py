"""The municipality's pools as an Excel workbook (openpyxl): one sheet of pools with
committed, spent and remaining, one of every grant per daycare."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.money import kroner_decimal
from core.spreadsheets import append_row
from institutions.models import Municipality

from . import selectors
from .models import Grant


def _sheet(workbook, title: str, headings: list[str], rows: list[list]):
    sheet = workbook.create_sheet(title)
    append_row(sheet, headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for index, heading in enumerate(headings, start=1):
        width = max([len(str(heading))] + [len(str(r[index - 1] or "")) for r in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 50)
    sheet.freeze_panes = "A2"
    return sheet


def pools_workbook(municipality: Municipality) -> bytes:
    """Amounts are number cells in kroner and dates are date cells, so Excel can sum and
    sort them; text typed by people is never read as a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    pools = selectors.municipality_pools(municipality)
    _sheet(
        workbook,
        _("Pools"),
        [
            _("Pool"),
            _("Kind"),
            _("Period starts"),
            _("Period ends"),
            _("Total (kr.)"),
            _("Committed (kr.)"),
            _("Spent (kr.)"),
            _("Committed, not spent (kr.)"),
            _("Remaining to commit (kr.)"),
            _("Given back (kr.)"),
        ],
        [
            [
                p.name,
                str(p.get_kind_display()),
                p.period_start,
                p.period_end,
                kroner_decimal(p.total_ore),
                kroner_decimal(p.committed_ore),
                kroner_decimal(p.spent_ore),
                kroner_decimal(p.committed_ore - p.spent_ore),
                kroner_decimal(p.available_ore),
                kroner_decimal(p.returned_ore),
            ]
            for p in pools
        ],
    )
    grants = (
        Grant.objects.filter(pool__municipality=municipality)
        .select_related("pool", "institution", "application")
        .prefetch_related("allocations")
        .order_by("pool__name", "institution__name")
    )
    rows = []
    for grant in grants:
        spent = sum(a.spent_ore for a in grant.allocations.all())
        rows.append(
            [
                grant.pool.name,
                grant.institution.name,
                grant.application.project if grant.application_id else pgettext("grant", "Share"),
                ", ".join(str(a.get_earmark_display()) for a in grant.allocations.all()),
                kroner_decimal(grant.amount_ore),
                kroner_decimal(spent),
                kroner_decimal(grant.returned_ore),
                kroner_decimal(0 if grant.closed_at else grant.amount_ore - spent),
                _("Closed") if grant.closed_at else _("Open"),
            ]
        )
    _sheet(
        workbook,
        _("Grants"),
        [
            _("Pool"),
            _("Daycare"),
            _("Project"),
            _("Earmarks"),
            _("Granted (kr.)"),
            _("Spent (kr.)"),
            _("Given back (kr.)"),
            _("Left (kr.)"),
            _("Status"),
        ],
        rows,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
