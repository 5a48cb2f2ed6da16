"""The roof's own entries in the shell: the indicators and the status reports, and the
leader's day: what is due in every area, gathered from the apps' `today_provider`s."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.indicators import Status
from core.shell import (
    HomeCard,
    HomeSection,
    NavItem,
    TodayItem,
    home_provider,
    nav_provider,
    today_items,
    today_provider,
)
from institutions.models import Membership
from institutions.permissions import INDICATOR_ROLES
from institutions.selectors import Roles

from .dashboard.selectors import institution_dashboard, municipality_dashboard

# The leader's day names this many indicators that are not met; the rest are one link away.
TODAY_INDICATORS = 4
# The municipality's home page names this many goals with a deadline not met everywhere.
DEADLINES = 3


@nav_provider
def portal_nav(request: HttpRequest, roles: Roles) -> Iterable[NavItem]:
    yield NavItem(_("Home"), reverse("home"), order=0)
    municipalities = roles.municipalities()
    for municipality in municipalities:
        yield NavItem(
            _("Indicators"), reverse("indicators:municipality", args=[municipality.pk]), order=30
        )
    if municipalities:
        return
    institutions = roles.institutions(*INDICATOR_ROLES)
    for institution in institutions:
        label = _("Indicators")
        if len(institutions) > 1:
            label = f"{label} ({institution.name})"
        yield NavItem(label, reverse("indicators:institution", args=[institution.pk]), order=30)


@home_provider
def today_section(request: HttpRequest, roles: Roles) -> Iterable[HomeSection]:
    """A leader's home page opens with the day's tasks and what is due; the areas follow
    in brief."""
    if not roles.institutions(Membership.Role.LEADER):
        return
    yield HomeSection(
        title=_("Today"),
        intro=_("What is due in your daycare, the most urgent first."),
        order=0,
        lead=True,
        template="portal/partials/home_today.html",
        context={"items": today_items(request, roles)},
    )


@today_provider
def open_indicators(request: HttpRequest, roles: Roles) -> Iterable[TodayItem]:
    """The indicators a led daycare has not met yet, the most urgent first (from the
    evaluation the dashboard caches)."""
    today = timezone.localdate()
    for institution in roles.institutions(Membership.Role.LEADER):
        if not institution.is_daycare:
            continue
        page = reverse("indicators:institution", args=[institution.pk])
        missing = institution_dashboard(institution, today=today, cached=True).next_steps
        for item in missing[:TODAY_INDICATORS]:
            not_met = item.result.status == Status.NOT_MET
            yield TodayItem(
                text=str(item.indicator.title),
                url=item.result.fix_url or page,
                where=_("Indicator"),
                due=item.indicator.deadline if not not_met else None,
                status=item.result.get_status_display(),
                urgent=not_met,
            )
        if len(missing) > TODAY_INDICATORS:
            more = len(missing) - TODAY_INDICATORS
            yield TodayItem(
                text=ngettext(
                    "One more indicator is not met yet",
                    "%(count)d more indicators are not met yet",
                    more,
                )
                % {"count": more},
                url=page,
                where=_("Indicator"),
            )


def _short_of_deadlines(municipality) -> list:
    """The goals with a deadline that some daycares are short of, by deadline (from the
    evaluation the dashboard caches)."""
    dashboard = municipality_dashboard(municipality)
    return [s for s in dashboard.with_deadline if s.short][:DEADLINES]


@home_provider
def portal_sections(request: HttpRequest, roles: Roles) -> Iterable[HomeSection]:
    for municipality in roles.municipalities():
        # The municipality's people follow the strategy first: the dashboard leads.
        yield HomeSection(
            title=_("Status of the strategy: %(name)s") % {"name": municipality.name},
            intro=_("Where every daycare stands on each goal, the trend, and reports in PDF."),
            cards=[
                HomeCard(
                    _("Indicators"),
                    _("How far each daycare has come with the strategy's goals."),
                    reverse("indicators:municipality", args=[municipality.pk]),
                    icon="analytics",
                ),
                HomeCard(
                    _("Status reports"),
                    _("The municipality's report in PDF; one is made on the first of the month."),
                    reverse("reports:municipality", args=[municipality.pk]),
                    icon="file-pdf",
                ),
            ],
            order=5,
            lead=True,
            template="portal/partials/home_deadlines.html",
            context={"municipality": municipality, "deadlines": _short_of_deadlines(municipality)},
        )
    for institution in roles.institutions(*INDICATOR_ROLES):
        yield HomeSection(
            title=_("Your daycare and the strategy: %(name)s") % {"name": institution.name},
            intro=_(
                "The same indicators the municipality sees, what is missing and what to do next."
            ),
            cards=[
                HomeCard(
                    _("Our indicators"),
                    _("Status, evidence and links to where each thing is done."),
                    reverse("indicators:institution", args=[institution.pk]),
                    icon="analytics",
                ),
                HomeCard(
                    _("Status report"),
                    _("The daycare's status report in PDF, for the board or the municipality."),
                    reverse("reports:institution", args=[institution.pk]),
                    icon="file-pdf",
                ),
            ],
            order=12,
        )
