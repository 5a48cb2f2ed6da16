"""The grants app's section of the institution status report: what the daycare received
and spent per earmark, its grants and applications, and its own budget for the year."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.money import format_kroner
from core.reports import ReportSection, Table, report_section

from .selectors import balances, institution_applications, institution_grants


@report_section
def grants_section(*, institution, today):
    """Four queries: grants with allocations, applications, budget lines."""
    grants = institution_grants(institution)
    totals = balances(grants)
    applications = institution_applications(institution)
    budget = list(institution.digital_budget_lines.filter(year=today.year).order_by("pk"))
    budget_ore = sum(line.amount_ore for line in budget)
    return ReportSection(
        title=_("Grants and spending"),
        order=50,
        facts=[
            (_("Received in all"), format_kroner(totals.received_ore)),
            (_("Spent"), format_kroner(totals.spent_ore)),
            (_("Left to spend"), format_kroner(totals.left_ore)),
            (
                _("Own budget for digital purchases %(year)s") % {"year": today.year},
                format_kroner(budget_ore),
            ),
        ],
        tables=[
            Table(
                caption=_("Received and spent per earmark"),
                headings=[_("Earmark"), _("Received"), _("Spent"), _("Given back"), _("Left")],
                rows=[
                    [
                        row.label,
                        format_kroner(row.received_ore),
                        format_kroner(row.spent_ore),
                        format_kroner(row.returned_ore),
                        format_kroner(row.left_ore),
                    ]
                    for row in totals.rows
                ],
                numeric={1, 2, 3, 4},
                empty=_("No grants received."),
            ),
            Table(
                caption=_("Grants"),
                headings=[_("Pool"), _("Project"), _("Granted"), _("Status")],
                rows=[
                    [
                        grant.pool.name,
                        grant.application.project
                        if grant.application_id
                        else pgettext("grant", "Share"),
                        format_kroner(grant.amount_ore),
                        _("Closed") if grant.closed_at else _("Open"),
                    ]
                    for grant in grants
                ],
                numeric={2},
                empty=_("No grants received."),
            ),
            Table(
                caption=_("Applications"),
                headings=[_("Pool"), _("Project"), _("Applied for"), _("Status")],
                rows=[
                    [
                        a.pool.name,
                        a.project,
                        format_kroner(a.amount_asked_ore),
                        str(a.get_state_display()),
                    ]
                    for a in applications
                ],
                numeric={2},
                empty=_("No applications."),
            ),
        ],
    )
