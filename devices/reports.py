"""The devices app's section of the institution status report: tablets and PCs per group
and home, Wi-Fi per site, and the digital suitcases borrowed this year."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.reports import ReportSection, Table, report_section

from .models import Booking
from .selectors import institution_coverage


@report_section
def devices_section(*, institution, today):
    """Three queries: coverage per group, Wi-Fi sites, this year's bookings."""
    if not institution.is_daycare:
        return None
    coverage = institution_coverage(institution)
    sites = list(institution.wifi_sites.order_by("name"))
    bookings = list(
        institution.suitcase_bookings.exclude(status=Booking.Status.CANCELLED)
        .filter(starts_on__gte=date(today.year, 1, 1), starts_on__lte=date(today.year, 12, 31))
        .select_related("suitcase")
        .order_by("starts_on")
    )
    covered = sum(1 for c in coverage if not c.missing)
    return ReportSection(
        title=_("Devices, Wi-Fi and digital suitcases"),
        order=40,
        facts=[
            (_("Groups and homes covered"), f"{covered} / {len(coverage)}"),
            (
                _("Wi-Fi"),
                "; ".join(f"{s.name}: {s.get_coverage_display()}" for s in sites)
                or _("No site registered"),
            ),
        ],
        tables=[
            Table(
                caption=_("Available tablets and PCs per group and home"),
                headings=[_("Group or home"), _("Available tablets and PCs")],
                rows=[[c.group.name, c.count] for c in coverage],
                numeric={1},
                empty=_("The daycare has no groups or homes registered yet."),
            ),
            Table(
                caption=_("Digital suitcases this year"),
                headings=[_("Suitcase"), _("Period"), _("Status")],
                rows=[
                    [
                        b.suitcase.name,
                        f"{date_format(b.starts_on, 'j. M')}–{date_format(b.ends_on, 'j. M Y')}",
                        b.get_status_display(),
                    ]
                    for b in bookings
                ],
                empty=_("No suitcase borrowed or booked this year."),
            ),
        ],
    )
