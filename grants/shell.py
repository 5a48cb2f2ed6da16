"""Navigation and home page sections for the people who work with the strategy's money."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.shell import (
    HomeCard,
    HomeSection,
    NavItem,
    TodayItem,
    home_provider,
    nav_provider,
    today_provider,
)
from institutions.models import Membership, MunicipalRole

from .models import Application, Pool
from .querysets import GRANT_ROLES

# A pool open for applications is among a leader's tasks this long before it closes.
POOL_CLOSING_SOON = timedelta(days=30)


@nav_provider
def grants_nav(request, roles):
    municipalities = roles.municipalities()
    for municipality in municipalities:
        label = _("Pools")
        if len(municipalities) > 1:
            label = f"{label} ({municipality.name})"
        yield NavItem(label, reverse("grants:municipality", args=[municipality.pk]), order=25)
    institutions = roles.institutions(*GRANT_ROLES)
    for institution in institutions:
        label = _("Grants")
        if len(institutions) > 1:
            label = f"{label} ({institution.name})"
        yield NavItem(label, reverse("grants:institution", args=[institution.pk]), order=22)


@home_provider
def grants_sections(request, roles):
    for municipality in roles.municipalities():
        cards = [
            HomeCard(
                _("Pools"),
                _("Every pool with what is committed, spent and left; applications to decide."),
                reverse("grants:municipality", args=[municipality.pk]),
            )
        ]
        if MunicipalRole.Role.ADMINISTRATOR in roles.in_municipality(municipality):
            cards.append(
                HomeCard(
                    _("New pool"),
                    _("A pool daycares apply to, or money shared by number of children."),
                    reverse("grants:pool_create", args=[municipality.pk]),
                    icon="plus",
                )
            )
        yield HomeSection(
            title=_("The strategy's money: %(name)s") % {"name": municipality.name},
            intro=_("Pools, applications and decisions, shares by number of children."),
            cards=cards,
            order=15,
        )
    for institution in roles.institutions(*GRANT_ROLES):
        yield HomeSection(
            title=_("Grants and budget: %(name)s") % {"name": institution.name},
            intro=_(
                "Apply to the municipality's pools, see your share and what is left per "
                "earmark, book expenses and plan the daycare's budget for digital purchases."
            ),
            cards=[
                HomeCard(
                    _("Grants and pools"),
                    _("What the daycare received, spent and has left; pools open to apply to."),
                    reverse("grants:institution", args=[institution.pk]),
                ),
                HomeCard(
                    _("Budget for digital purchases"),
                    _("The daycare's own budget per year, beside what it received."),
                    reverse("grants:budget", args=[institution.pk]),
                ),
            ],
            order=25,
        )


@today_provider
def grant_tasks(request, roles):
    """For a leader: applications to finish or correct, final reports due, and pools that
    close soon without an application from the daycare (two queries)."""
    led = [i for i in roles.institutions(Membership.Role.LEADER) if i.is_daycare]
    if not led:
        return
    today = timezone.localdate()
    applications = list(
        Application.objects.filter(institution__in=led)
        .exclude(state__in=[Application.State.CLOSED, Application.State.WITHDRAWN])
        .select_related("pool")
    )
    for application in applications:
        url = reverse("grants:application", args=[application.pk])
        if application.state == Application.State.CHANGES_REQUESTED:
            yield TodayItem(
                text=_("Correct the application: %(project)s") % {"project": application.project},
                url=url,
                where=_("Grants"),
                status=application.get_state_display(),
                urgent=True,
            )
        elif application.state == Application.State.DRAFT and application.pool.closes_on:
            if application.pool.closes_on >= today:
                yield TodayItem(
                    text=_("Send the application: %(project)s") % {"project": application.project},
                    url=url,
                    where=_("Grants"),
                    due=application.pool.closes_on,
                    status=application.get_state_display(),
                )
        elif (
            application.state == Application.State.DECIDED
            and application.report_due_on
            and application.outcome != Application.Outcome.REJECTED
        ):
            overdue = application.report_due_on < today
            yield TodayItem(
                text=_("Final report: %(project)s") % {"project": application.project},
                url=url,
                where=_("Grants"),
                due=application.report_due_on,
                status=_("Overdue") if overdue else "",
                urgent=overdue,
            )
    applied = {(a.pool_id, a.institution_id) for a in applications}
    pools = Pool.objects.published().filter(
        municipality_id__in={i.municipality_id for i in led},
        kind=Pool.Kind.APPLICATION,
        closes_on__gte=today,
        closes_on__lte=today + POOL_CLOSING_SOON,
    )
    for pool in pools.order_by("closes_on", "name"):
        if not pool.is_open_for_applications(today):
            continue
        for institution in led:
            if (
                institution.municipality_id == pool.municipality_id
                and pool.accepts(institution)
                and (pool.pk, institution.pk) not in applied
            ):
                yield TodayItem(
                    text=_("The pool %(name)s closes for applications") % {"name": pool.name},
                    url=reverse("grants:application_create", args=[institution.pk, pool.pk]),
                    where=_("Grants"),
                    due=pool.closes_on,
                )
