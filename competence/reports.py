"""The competence app's section of the institution status report: the digital
ambassador, what the daycare set aside this year, events, networks and experience shared."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.money import format_kroner
from core.reports import ReportSection, Table, report_section
from institutions.models import Membership

from .models import CompetencePlan, MeetingAttendance, Network, Post, Registration


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


@report_section
def competence_section(*, institution, today):
    """Six queries, whatever the number of activities, events and networks."""
    year = today.year
    ambassadors = list(
        Membership.objects.ambassadors_besides_leader()
        .filter(institution=institution)
        .order_by("user__name")
        .values_list("user__name", flat=True)
    )
    plan = (
        CompetencePlan.objects.filter(institution=institution, year=year)
        .prefetch_related("activities")
        .first()
    )
    activities = list(plan.activities.all()) if plan else []
    registrations = list(
        Registration.objects.filter(institution=institution, status=Registration.Status.CONFIRMED)
        .values("event__title", "event__starts_at")
        .annotate(people=Count("id"))
        .order_by("event__starts_at")
    )
    since = timezone.now() - timezone.timedelta(days=365)
    networks = list(
        Network.objects.filter(memberships__institution=institution)
        .annotate(
            held=Count(
                "meetings",
                filter=Q(meetings__starts_at__gte=since, meetings__starts_at__lte=timezone.now()),
                distinct=True,
            )
        )
        .order_by("name")
    )
    attended = dict(
        MeetingAttendance.objects.filter(institution=institution, meeting__starts_at__gte=since)
        .values("meeting__network")
        .annotate(n=Count("id"))
        .values_list("meeting__network", "n")
    )
    shared = Post.objects.filter(institution=institution, created_at__year=year).count()
    hours = number_format(plan.hours, decimal_pos=1) if plan else "0"
    return ReportSection(
        title=_("Competence development"),
        order=20,
        facts=[
            (_("Digital ambassador"), ", ".join(ambassadors) or _("None named besides the leader")),
            (
                _("Set aside in %(year)s") % {"year": year},
                _("%(money)s and %(hours)s hours")
                % {"money": format_kroner(plan.budget_ore if plan else 0), "hours": hours},
            ),
            (_("Experiences shared with colleagues in %(year)s") % {"year": year}, str(shared)),
        ],
        tables=[
            Table(
                caption=_("Courses, conferences and networks planned in %(year)s") % {"year": year},
                headings=[_("Activity"), _("Kind"), _("Date"), _("Planned"), _("Spent")],
                rows=[
                    [
                        a.title,
                        str(a.get_kind_display()),
                        _day(a.starts_on),
                        format_kroner(a.planned_cost_ore),
                        format_kroner(a.spent_cost_ore) or "–",
                    ]
                    for a in activities
                ],
                numeric={3, 4},
                empty=_("No activities planned."),
            ),
            Table(
                caption=_("Events the daycare registered for"),
                headings=[_("Event"), _("Date"), _("People registered")],
                rows=[
                    [
                        r["event__title"],
                        _day(timezone.localtime(r["event__starts_at"])),
                        r["people"],
                    ]
                    for r in registrations
                ],
                numeric={2},
                empty=_("No registrations."),
            ),
            Table(
                caption=_("Networks: meetings in the last year"),
                headings=[_("Network"), _("Meetings held"), _("Attended")],
                rows=[[n.name, n.held, attended.get(n.pk, 0)] for n in networks],
                numeric={1, 2},
                empty=_("The daycare is in no network."),
            ),
        ],
    )
