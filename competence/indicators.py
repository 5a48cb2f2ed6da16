"""Indicators of competence development. Each evaluates every daycare of a municipality
in a fixed number of queries. (The ambassador indicator lives in institutions.)"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.indicators import Area, Indicator, Level, Result, Status, register, watch
from core.money import format_kroner

from . import permissions
from .models import (
    CompetencePlan,
    Event,
    Meeting,
    MeetingAttendance,
    Network,
    NetworkMember,
    Post,
    Registration,
)

watch(CompetencePlan, Event, Registration, Network, NetworkMember, Meeting, MeetingAttendance, Post)


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@register
class ResourcesSetAside(Indicator):
    code = "competence.resources_set_aside"
    area = Area.COMPETENCE
    level = Level.LOCAL
    order = 20
    title = gettext_lazy("Resources for competence development set aside this year")
    goal = gettext_lazy(
        "Each daycare sets aside resources for competence development in digitalisation, "
        "e.g. courses, conferences and networks."
    )

    def evaluate(self, *, municipality, institutions, today):
        plans = {
            p.institution_id: p
            for p in CompetencePlan.objects.filter(
                institution__in=[i.pk for i in institutions], year=today.year
            )
        }
        results = {}
        for institution in institutions:
            plan = plans.get(institution.pk)
            fix_url = reverse("competence:plan", args=[institution.pk, today.year])
            if plan and (plan.budget_ore > 0 or plan.hours > 0):
                evidence = _("%(year)d: %(money)s and %(hours)s hours set aside.") % {
                    "year": today.year,
                    "money": format_kroner(plan.budget_ore),
                    "hours": formats.number_format(plan.hours, decimal_pos=1),
                }
                results[institution.pk] = Result(Status.MET, evidence)
            else:
                results[institution.pk] = Result(
                    self.graded(False, today),
                    _("No money or hours set aside for %(year)d.") % {"year": today.year},
                    fix_url,
                )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_plan(user, institution))


@register
class KickoffConference(Indicator):
    code = "competence.kickoff_conference"
    area = Area.COMPETENCE
    level = Level.MUNICIPAL
    order = 30
    title = gettext_lazy("The leader and an employee at the kick-off conference")
    goal = gettext_lazy(
        "Every daycare's leader and at least one employee take part in the kick-off "
        "conference on digitalisation."
    )

    def evaluate(self, *, municipality, institutions, today):
        event = Event.objects.filter(municipality=municipality, is_kickoff=True).first()
        if event is None:
            return {
                i.pk: Result(Status.NOT_APPLICABLE, _("The municipality has not planned it yet."))
                for i in institutions
            }
        after = timezone.localtime(event.ends_at).date() < today
        counted = (
            Registration.objects.filter(
                event=event,
                institution__in=[i.pk for i in institutions],
                status=Registration.Status.CONFIRMED,
            )
            .values("institution_id", "as_leader")
            .annotate(
                registered=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False))
            )
        )
        tally: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for row in counted:
            who = "leader" if row["as_leader"] else "employee"
            tally[row["institution_id"]][who] = row["attended" if after else "registered"]
        day = formats.date_format(timezone.localtime(event.starts_at), "DATE_FORMAT")
        fix_url = reverse("competence:event", args=[event.pk])
        results = {}
        for institution in institutions:
            counts = tally.get(institution.pk, {})
            leader, employees = counts.get("leader", 0), counts.get("employee", 0)
            satisfied = bool(leader and employees)
            if after:
                status = Status.MET if satisfied else Status.NOT_MET
            else:
                status = Status.MET if satisfied else Status.AT_RISK
            evidence = _attendance_evidence(after, leader, employees) % {
                "n": employees,
                "day": day,
            }
            results[institution.pk] = Result(
                status, evidence, "" if satisfied or after else fix_url
            )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_competence(user, institution.municipality_id))


def _attendance_evidence(after: bool, leader: int, employees: int) -> str:
    """What a daycare did about the conference, in words a leader reads at a glance."""
    if after:
        if leader and employees:
            return ngettext(
                "The leader and %(n)d employee took part on %(day)s.",
                "The leader and %(n)d employees took part on %(day)s.",
                employees,
            )
        if leader:
            return _("The leader took part on %(day)s, but no employees did.")
        if employees:
            return ngettext(
                "%(n)d employee took part on %(day)s, but the leader did not.",
                "%(n)d employees took part on %(day)s, but the leader did not.",
                employees,
            )
        return _("Nobody from the daycare took part on %(day)s.")
    if leader and employees:
        return ngettext(
            "The leader and %(n)d employee are registered for %(day)s.",
            "The leader and %(n)d employees are registered for %(day)s.",
            employees,
        )
    if leader:
        return _("The leader is registered for %(day)s, but no employees yet.")
    if employees:
        return ngettext(
            "%(n)d employee is registered for %(day)s, but the leader is not yet.",
            "%(n)d employees are registered for %(day)s, but the leader is not yet.",
            employees,
        )
    return _("Nobody from the daycare is registered for %(day)s yet.")


@register
class NetworkMeetings(Indicator):
    code = "competence.network_meetings"
    area = Area.COMPETENCE
    level = Level.MUNICIPAL
    order = 40
    title = gettext_lazy("Took part in the network's meetings")
    goal = gettext_lazy(
        "After the conference the daycares meet in a network on a fixed cadence: the "
        "daycare took part in at least two meetings in the last 12 months."
    )
    required = 2

    def evaluate(self, *, municipality, institutions, today):
        since = _start_of(today - timedelta(days=365))
        until = _start_of(today + timedelta(days=1))
        ids = [i.pk for i in institutions]
        held = Meeting.objects.filter(
            network__municipality=municipality, starts_at__gte=since, starts_at__lt=until
        )
        if not held.exists():
            return {
                i.pk: Result(Status.NOT_APPLICABLE, _("No network meetings in the last 12 months."))
                for i in institutions
            }
        attended = dict(
            MeetingAttendance.objects.filter(
                institution__in=ids,
                meeting__network__municipality=municipality,
                meeting__starts_at__gte=since,
                meeting__starts_at__lt=until,
            )
            .values("institution_id")
            .annotate(n=Count("meeting", distinct=True))
            .values_list("institution_id", "n")
        )
        offered = dict(
            held.filter(network__memberships__institution__in=ids)
            .values("network__memberships__institution")
            .annotate(n=Count("pk", distinct=True))
            .values_list("network__memberships__institution", "n")
        )
        results = {}
        for institution in institutions:
            took_part = attended.get(institution.pk, 0)
            held_for = offered.get(institution.pk, 0)
            if not held_for and not took_part:
                results[institution.pk] = Result(
                    Status.NOT_MET,
                    _("Not a member of a network that met in the last 12 months."),
                    reverse("competence:networks", args=[municipality.pk]),
                )
                continue
            evidence = ngettext(
                "Took part in %(n)d of %(held)d meeting in the last 12 months.",
                "Took part in %(n)d of %(held)d meetings in the last 12 months.",
                held_for,
            ) % {"n": took_part, "held": held_for}
            status = Status.MET if took_part >= self.required else Status.NOT_MET
            results[institution.pk] = Result(status, evidence)
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_competence(user, institution.municipality_id))


@register
class ExperienceShared(Indicator):
    code = "competence.experience_shared"
    area = Area.COMPETENCE
    level = Level.MUNICIPAL
    order = 50
    title = gettext_lazy("Experience shared in the last six months")
    goal = gettext_lazy(
        "Every daycare has a forum for sharing knowledge: its staff shared at least one "
        "experience with colleagues in the last six months."
    )

    def evaluate(self, *, municipality, institutions, today):
        since = _start_of(today - timedelta(days=183))
        shared = {
            row["institution_id"]: row
            for row in Post.objects.filter(
                institution__in=[i.pk for i in institutions], created_at__gte=since
            )
            .values("institution_id")
            .annotate(n=Count("pk"), latest=Max("created_at"))
        }
        results = {}
        for institution in institutions:
            row = shared.get(institution.pk)
            if row:
                evidence = ngettext(
                    "%(n)d experience shared, the latest on %(day)s.",
                    "%(n)d experiences shared, the latest on %(day)s.",
                    row["n"],
                ) % {
                    "n": row["n"],
                    "day": formats.date_format(timezone.localtime(row["latest"]), "DATE_FORMAT"),
                }
                results[institution.pk] = Result(Status.MET, evidence)
            else:
                results[institution.pk] = Result(
                    Status.NOT_MET,
                    _("Nothing shared in the last six months."),
                    reverse("competence:post_create", args=[municipality.pk]),
                )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_share_experience(user, institution.municipality_id))
