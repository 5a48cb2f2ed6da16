"""Navigation and home page sections for the goals app."""

from __future__ import annotations

from django.urls import reverse
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
from institutions.models import Membership

from .permissions import EDITORS, READERS
from .selectors import open_steps_owned_by


@nav_provider
def goals_nav(request, roles):
    institutions = roles.institutions(*READERS)
    for institution in institutions:
        label = _("Goals and action plans")
        if len(institutions) > 1:
            label = f"{label} ({institution.name})"
        yield NavItem(label, reverse("goals:board", args=[institution.pk]), order=25)
    municipalities = roles.municipalities()
    for municipality in municipalities:
        suffix = f" ({municipality.name})" if len(municipalities) > 1 else ""
        yield NavItem(
            _("Local goals") + suffix,
            reverse("goals:overview", args=[municipality.pk]),
            order=32,
        )
        yield NavItem(
            _("Strategy") + suffix, reverse("goals:strategy", args=[municipality.pk]), order=34
        )


@home_provider
def municipal_goal_section(request, roles):
    for municipality in roles.municipalities():
        yield HomeSection(
            title=_("%(name)s: the strategy and the daycares' goals") % {"name": municipality.name},
            intro=_(
                "The strategy's goals for every daycare, the goals each daycare sets itself, "
                "and the concrete projects."
            ),
            cards=[
                HomeCard(
                    _("Strategy"),
                    _("Strategy periods, focus areas, municipal goals and concrete actions."),
                    reverse("goals:strategy", args=[municipality.pk]),
                ),
                HomeCard(
                    _("Local goals"),
                    _("Each daycare's goals, steps, forum discussions and evaluations."),
                    reverse("goals:overview", args=[municipality.pk]),
                ),
                HomeCard(
                    _("Projects"),
                    _("Concrete projects across the daycares."),
                    reverse("goals:projects", args=[municipality.pk]),
                ),
            ],
            order=15,
        )


@home_provider
def institution_goal_section(request, roles):
    institutions = roles.institutions(*READERS)
    if not institutions:
        return
    # One query for the person's open steps in every daycare they do not lead: a leader
    # finds their steps among the day's tasks (today_steps below).
    led = {i.pk for i in institutions if Membership.Role.LEADER in roles.in_institution(i)}
    steps = list(open_steps_owned_by(request.user)) if len(led) < len(institutions) else []
    for institution in institutions:
        held = roles.in_institution(institution)
        cards = [
            HomeCard(
                _("Goals and action plans"),
                _("The daycare's goals for digital media and how far each has come."),
                reverse("goals:board", args=[institution.pk]),
            ),
            HomeCard(
                _("Forum discussions"),
                _("Digitalisation discussed at staff meetings and in the parent board."),
                reverse("goals:discussions", args=[institution.pk]),
            ),
        ]
        if held & EDITORS:
            cards.insert(
                1,
                HomeCard(
                    _("New goal"),
                    _("A goal with didactic considerations and curriculum themes."),
                    reverse("goals:goal_create", args=[institution.pk]),
                    icon="plus",
                ),
            )
        if held & (EDITORS | {Membership.Role.BOARD_MEMBER}):
            cards.append(
                HomeCard(
                    _("Curriculum evaluations"),
                    _("The evaluation of the pedagogical curriculum, every second year."),
                    reverse("goals:evaluations", args=[institution.pk]),
                )
            )
        mine = [(s, s.is_overdue()) for s in steps if s.plan.goal.institution_id == institution.pk]
        if institution.pk in led:
            mine = []
        yield HomeSection(
            title=_("%(name)s: goals and action plans") % {"name": institution.name},
            cards=cards,
            order=7 if mine else 25,
            template="goals/partials/home_steps.html" if mine else "",
            context={"steps": mine},
            lead=bool(mine),
        )


@today_provider
def today_steps(request, roles):
    """A leader's own open steps in the daycares they lead, overdue ones flagged."""
    led = {institution.pk for institution in roles.institutions(Membership.Role.LEADER)}
    if not led:
        return
    for step in open_steps_owned_by(request.user):
        if step.plan.goal.institution_id not in led:
            continue
        overdue = step.is_overdue()
        yield TodayItem(
            text=step.title,
            url=reverse(
                "goals:step_detail",
                args=[step.plan.goal.institution_id, step.plan.goal_id, step.pk],
            ),
            where=_("Action plan"),
            due=step.due_on,
            status=_("Overdue") if overdue else "",
            urgent=overdue,
        )
