"""Reads shaped for the competence pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from core.indicators import Status, get_indicator
from institutions.models import Institution, Membership, Municipality

from . import search
from .models import (
    Comment,
    CompetencePlan,
    Event,
    Meeting,
    Network,
    PlanActivity,
    Post,
    Registration,
    UsefulMark,
)


def daycares_of(municipality: Municipality) -> list[Institution]:
    return list(municipality.institutions.daycares().order_by("name"))


# Ambassadors ------------------------------------------------------------------------


@dataclass
class DirectoryRow:
    institution: Institution
    ambassadors: list[User] = field(default_factory=list)
    leaders: list[User] = field(default_factory=list)
    result: object = None


def ambassador_directory(municipality: Municipality) -> list[DirectoryRow]:
    """Every daycare with its digital ambassadors and leaders, and the status of the
    institutions indicator "ambassador named besides the leader" (three queries)."""
    daycares = daycares_of(municipality)
    rows = {i.pk: DirectoryRow(i) for i in daycares}
    ambassadors = (
        Membership.objects.ambassadors_besides_leader()
        .filter(institution__in=list(rows))
        .select_related("user")
        .order_by("user__name")
    )
    for membership in ambassadors:
        rows[membership.institution_id].ambassadors.append(membership.user)
    leaders = (
        Membership.objects.filter(institution__in=list(rows), role=Membership.Role.LEADER)
        .select_related("user")
        .order_by("user__name")
    )
    for membership in leaders:
        rows[membership.institution_id].leaders.append(membership.user)
    indicator = get_indicator("institutions.ambassador_named")
    if indicator is not None and daycares:
        results = indicator.evaluate(
            municipality=municipality, institutions=daycares, today=timezone.localdate()
        )
        for pk, result in results.items():
            rows[pk].result = result
    return list(rows.values())


# Competence plans -------------------------------------------------------------------


@dataclass
class PlanTotals:
    budget_ore: int = 0
    hours: Decimal = Decimal(0)
    planned_ore: int = 0
    spent_ore: int = 0
    planned_hours: Decimal = Decimal(0)
    spent_hours: Decimal = Decimal(0)

    @property
    def left_ore(self) -> int:
        return self.budget_ore - self.spent_ore

    @property
    def left_hours(self) -> Decimal:
        return self.hours - self.spent_hours

    @property
    def overspent(self) -> bool:
        return self.spent_ore > self.budget_ore or self.spent_hours > self.hours

    @property
    def overplanned(self) -> bool:
        return self.planned_ore > self.budget_ore or self.planned_hours > self.hours


_ACTIVITY_SUMS = {
    "planned_ore": Coalesce(Sum("activities__planned_cost_ore"), 0),
    "spent_ore": Coalesce(Sum("activities__spent_cost_ore"), 0),
    "sum_planned_hours": Coalesce(Sum("activities__planned_hours"), Decimal(0)),
    "sum_spent_hours": Coalesce(Sum("activities__spent_hours"), Decimal(0)),
}


def _totals(plan) -> PlanTotals:
    return PlanTotals(
        budget_ore=plan.budget_ore,
        hours=plan.hours,
        planned_ore=plan.planned_ore,
        spent_ore=plan.spent_ore,
        planned_hours=plan.sum_planned_hours,
        spent_hours=plan.sum_spent_hours,
    )


def plan_with_totals(
    institution: Institution, year: int
) -> tuple[CompetencePlan | None, PlanTotals]:
    plan = (
        CompetencePlan.objects.filter(institution=institution, year=year)
        .annotate(**_ACTIVITY_SUMS)
        .first()
    )
    return plan, (_totals(plan) if plan else PlanTotals())


def plan_activities(plan: CompetencePlan | None):
    if plan is None:
        return PlanActivity.objects.none()
    return plan.activities.prefetch_related("participants").order_by("starts_on", "pk")


def municipal_plans(
    municipality: Municipality, year: int
) -> list[tuple[Institution, PlanTotals | None]]:
    """Every daycare with its plan's totals for `year` (two queries)."""
    daycares = daycares_of(municipality)
    plans = {
        p.institution_id: _totals(p)
        for p in CompetencePlan.objects.filter(institution__in=daycares, year=year).annotate(
            **_ACTIVITY_SUMS
        )
    }
    return [(i, plans.get(i.pk)) for i in daycares]


# Events -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    """The strategy's rule for one daycare, shaped for the status_badge tag."""

    status: str
    label: str

    def get_status_display(self) -> str:
        return self.label


@dataclass
class CompletenessRow:
    institution: Institution
    leaders: list[Registration] = field(default_factory=list)
    employees: list[Registration] = field(default_factory=list)
    waiting: list[Registration] = field(default_factory=list)
    completeness: Completeness | None = None


def completeness_of(leaders: list, employees: list, *, after: bool) -> Completeness:
    """ "The leader and at least one employee from each daycare": before the day counted
    on registrations, after the day on who checked in."""
    if after:
        leaders = [r for r in leaders if r.checked_in_at]
        employees = [r for r in employees if r.checked_in_at]
        if leaders and employees:
            return Completeness(Status.MET, _("Leader and employee took part"))
        if leaders or employees:
            missing = _("employee") if leaders else _("leader")
            return Completeness(Status.AT_RISK, _("Took part without %(who)s") % {"who": missing})
        return Completeness(Status.NOT_MET, _("Did not take part"))
    if leaders and employees:
        return Completeness(Status.MET, _("Leader and employee registered"))
    if leaders:
        return Completeness(Status.AT_RISK, _("Employee missing"))
    if employees:
        return Completeness(Status.AT_RISK, _("Leader missing"))
    return Completeness(Status.NOT_MET, _("Nobody registered"))


def kickoff_seats_taken(event: Event, institutions) -> set[tuple[int, bool]]:
    """The kick-off conference's seats taken per daycare, registered or waiting:
    {(institution id, as leader)}. Empty for any other event. One query."""
    if not event.is_kickoff:
        return set()
    return set(
        event.registrations.active()
        .filter(institution__in=list(institutions))
        .values_list("institution_id", "as_leader")
    )


def leaders_among(institutions) -> set[tuple[int, int]]:
    """{(institution id, user id)} of the leaders of `institutions`. One query."""
    return set(
        Membership.objects.filter(
            institution__in=list(institutions), role=Membership.Role.LEADER
        ).values_list("institution_id", "user_id")
    )


def event_is_over(event: Event, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= event.ends_at


def event_completeness(event: Event) -> list[CompletenessRow]:
    """Every daycare of the municipality with its registrations (two queries)."""
    rows = {i.pk: CompletenessRow(i) for i in daycares_of(event.municipality)}
    registrations = (
        event.registrations.active()
        .filter(institution__in=list(rows))
        .select_related("user")
        .order_by("queued_at", "pk")
    )
    for registration in registrations:
        row = rows[registration.institution_id]
        if registration.status == Registration.Status.WAITING:
            row.waiting.append(registration)
        elif registration.as_leader:
            row.leaders.append(registration)
        else:
            row.employees.append(registration)
    after = event_is_over(event)
    for row in rows.values():
        row.completeness = completeness_of(row.leaders, row.employees, after=after)
    return list(rows.values())


def waiting_list(event: Event):
    return (
        event.registrations.filter(status=Registration.Status.WAITING)
        .select_related("user", "institution")
        .order_by("queued_at", "pk")
    )


def events_for(municipality: Municipality):
    return municipality.events.order_by("-starts_at")


def registrations_of(event: Event, institutions: list[Institution]):
    return (
        event.registrations.active()
        .filter(institution__in=institutions)
        .select_related("user", "institution")
        .order_by("institution__name", "-as_leader", "user__name")
    )


def check_in_list(event: Event):
    return (
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("user", "institution")
        .order_by("user__name", "pk")
    )


def staff_of(institutions: list[Institution]):
    """People who may be registered from these daycares, with their institution."""
    return (
        Membership.objects.filter(
            institution__in=institutions, role__in=("leader", "ambassador", "staff", "childminder")
        )
        .select_related("user", "institution")
        .order_by("institution__name", "user__name")
    )


# Networks ---------------------------------------------------------------------------


def networks_of(municipality: Municipality):
    now = timezone.now()
    next_meeting = Meeting.objects.filter(network=OuterRef("pk"), starts_at__gte=now).order_by(
        "starts_at"
    )
    return (
        municipality.networks.select_related("organiser")
        .annotate(
            member_count=Count("memberships", distinct=True),
            next_meeting_at=Subquery(next_meeting.values("starts_at")[:1]),
        )
        .order_by("name")
    )


def network_meetings(network: Network):
    return network.meetings.annotate(
        present_count=Count("attendances", distinct=True),
        file_count=Count("files", distinct=True),
    ).order_by("starts_at")


def network_people_by_daycare(network: Network) -> dict[int, list[User]]:
    """Who takes part from each member daycare (by the network's audience)."""
    found: dict[int, list[User]] = {}
    memberships = (
        Membership.objects.filter(
            institution__network_memberships__network=network, role__in=network.member_roles
        )
        .select_related("user")
        .order_by("user__name")
    )
    for membership in memberships:
        found.setdefault(membership.institution_id, []).append(membership.user)
    return found


# The calendar feed ------------------------------------------------------------------


def calendar_events(user: User):
    return Event.objects.filter(
        registrations__user=user, registrations__status=Registration.Status.CONFIRMED
    ).order_by("starts_at")


def calendar_meetings(user: User, *, since: datetime | None = None):
    """Meetings of the networks the user organises or takes part in through a member
    daycare (as ambassador or leader, by the network's audience)."""
    since = since or timezone.now() - timedelta(days=120)

    def takes_part(*roles: str):
        return Exists(
            Membership.objects.filter(
                user=user,
                role__in=roles,
                institution__network_memberships__network=OuterRef("network"),
            )
        )

    audience = Network.Audience
    return (
        Meeting.objects.filter(starts_at__gte=since)
        .alias(
            as_ambassador=takes_part("ambassador"),
            as_leader=takes_part("leader"),
            as_either=takes_part("leader", "ambassador"),
        )
        .filter(
            Q(network__organiser=user)
            | Q(network__audience=audience.AMBASSADORS, as_ambassador=True)
            | Q(network__audience=audience.LEADERS, as_leader=True)
            | Q(network__audience=audience.BOTH, as_either=True)
        )
        .select_related("network")
        .order_by("starts_at")
    )


# Knowledge sharing ------------------------------------------------------------------

MARK_START, MARK_STOP = "\ue000", "\ue001"


def highlighted(text: str | None) -> SafeString:
    """Text from ts_headline, escaped, with its match markers turned into <mark>."""
    if not text:
        return mark_safe("")
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


def _count(model, **match) -> Subquery:
    rows = (
        model.objects.filter(**match)
        .order_by()
        .values(next(iter(match)))
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def posts_for(
    *,
    municipality: Municipality,
    user: User,
    text: str = "",
    theme: str = "",
    age_group: str = "",
    institution_id: int | None = None,
):
    """Shared experiences of the municipality, newest first or, when searching, best
    match first with the matches highlighted. One query, whatever the number of rows."""
    posts = (
        Post.objects.filter(institution__municipality=municipality)
        .select_related("institution", "author")
        .annotate(
            comment_count=_count(Comment, post=OuterRef("pk")),
            useful_count=_count(UsefulMark, post=OuterRef("pk")),
            marked_useful=Exists(UsefulMark.objects.filter(post=OuterRef("pk"), user=user)),
        )
    )
    if theme:
        posts = posts.filter(themes__contains=[theme])
    if age_group:
        posts = posts.filter(age_group=age_group)
    if institution_id:
        posts = posts.filter(institution_id=institution_id)
    query = search.search_query(text) if text else None
    if text and query is None:
        return posts.none()
    if query is None:
        return posts.order_by("-created_at", "-pk")
    options = {"config": search.CONFIG, "start_sel": MARK_START, "stop_sel": MARK_STOP}
    return (
        posts.filter(search_vector=query)
        .annotate(
            # F(), not the field's name: a name makes SearchRank rebuild a vector from the
            # stored one's text for every row, slowly and without the title's weight.
            rank=SearchRank(F("search_vector"), query)
            + SearchRank(F("search_vector"), search.exact_query(text)),
            title_headline=SearchHeadline("title", query, highlight_all=True, **options),
            body_headline=SearchHeadline(
                "body", query, max_words=40, min_words=20, max_fragments=2, **options
            ),
        )
        .order_by("-rank", "-created_at", "-pk")
    )
