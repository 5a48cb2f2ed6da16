"""The four indicators of "digital media in use". Each evaluates every daycare of a
municipality with one query, whatever their number."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import months_before, years_before
from core.indicators import Area, Indicator, Level, Result, Status, register, watch

from . import permissions
from .models import CurriculumEvaluation, ForumDecision, ForumDiscussion, LocalGoal, LocalPlan

watch(LocalGoal, LocalPlan, ForumDiscussion, ForumDecision, CurriculumEvaluation)


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


@register
class LocalGoalWithDidactics(Indicator):
    code = "goals.local_goal"
    area = Area.DIGITAL_MEDIA
    level = Level.MUNICIPAL
    order = 10
    title = gettext_lazy("Goal for digital media")
    goal = gettext_lazy(
        "Every daycare has clear goals for its use of digital media: at least one active "
        "local goal with didactic considerations and at least one curriculum theme."
    )

    def evaluate(self, *, municipality, institutions, today):
        ids = [i.pk for i in institutions]
        rows = (
            LocalGoal.objects.filter(institution__in=ids)
            .exclude(status=LocalGoal.Status.DROPPED)
            .annotate(theme_count=Count("themes"))
            .order_by("institution_id", "title")
            .values_list("institution_id", "title", "status", "theme_count")
        )
        qualifying: dict[int, list[str]] = defaultdict(list)
        drafts: dict[int, int] = defaultdict(int)
        without_theme: dict[int, int] = defaultdict(int)
        for institution_id, title, status, theme_count in rows:
            if status == LocalGoal.Status.ACTIVE and theme_count:
                qualifying[institution_id].append(title)
            elif status == LocalGoal.Status.ACTIVE:
                without_theme[institution_id] += 1
            elif status == LocalGoal.Status.DRAFT:
                drafts[institution_id] += 1
        results = {}
        for institution in institutions:
            titles = qualifying.get(institution.pk)
            if titles:
                results[institution.pk] = Result(
                    Status.MET, _("Active goals: %(titles)s") % {"titles": "; ".join(titles)}
                )
                continue
            if without_theme.get(institution.pk):
                evidence = _("The active goals name no curriculum theme.")
                fix_url = reverse("goals:board", args=[institution.pk])
            elif drafts.get(institution.pk):
                evidence = _("The goals are still drafts.")
                fix_url = reverse("goals:board", args=[institution.pk])
            else:
                evidence = _("No local goal for digital media yet.")
                fix_url = reverse("goals:goal_create", args=[institution.pk])
            results[institution.pk] = Result(self.graded(False, today), evidence, fix_url)
        return results

    def may_fix(self, user, institution, result):
        if result.fix_url == reverse("goals:goal_create", args=[institution.pk]):
            return bool(permissions.can_edit_goals(user, institution))
        return bool(permissions.can_view_goals(user, institution))


@register
class GoalsTiedToPlan(Indicator):
    code = "goals.tied_to_plan"
    area = Area.DIGITAL_MEDIA
    level = Level.LOCAL
    order = 20
    title = gettext_lazy("Goals in the business plan or curriculum")
    goal = gettext_lazy(
        "Each daycare sets goals for digital media when it writes its business plan and "
        "revises its pedagogical curriculum: its goals belong to this year's business plan "
        "or its latest curriculum revision."
    )

    def evaluate(self, *, municipality, institutions, today):
        latest_revision = (
            LocalPlan.objects.filter(
                institution=OuterRef("institution"), kind=LocalPlan.Kind.CURRICULUM_REVISION
            )
            .order_by("-adopted_on", "-pk")
            .values("pk")[:1]
        )
        rows = (
            LocalGoal.objects.filter(
                institution__in=[i.pk for i in institutions],
                status__in=[LocalGoal.Status.ACTIVE, LocalGoal.Status.ACHIEVED],
            )
            .filter(
                Q(plan__kind=LocalPlan.Kind.BUSINESS_PLAN, plan__year=today.year)
                | Q(plan_id=Subquery(latest_revision))
            )
            .order_by("institution_id", "plan__kind", "title")
            .values_list("institution_id", "plan__kind", "plan__year", "plan__adopted_on")
        )
        found: dict[int, tuple] = {}
        for institution_id, kind, year, adopted_on in rows:
            found.setdefault(institution_id, (kind, year, adopted_on))
        results = {}
        for institution in institutions:
            plan = found.get(institution.pk)
            if plan is None:
                results[institution.pk] = Result(
                    self.graded(False, today),
                    _(
                        "No goal belongs to the business plan for %(year)s or to the latest "
                        "curriculum revision."
                    )
                    % {"year": today.year},
                    reverse("goals:plans", args=[institution.pk]),
                )
                continue
            kind, year, adopted_on = plan
            if kind == LocalPlan.Kind.BUSINESS_PLAN:
                evidence = _("Goals in the business plan for %(year)s.") % {"year": year}
            else:
                evidence = _("Goals in the curriculum revised %(date)s.") % {
                    "date": _day(adopted_on)
                }
            results[institution.pk] = Result(Status.MET, evidence)
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_goals(user, institution))


@register
class ForumDiscussed(Indicator):
    code = "goals.forum_discussion"
    area = Area.DIGITAL_MEDIA
    level = Level.LOCAL
    order = 30
    title = gettext_lazy("Digitalisation discussed in a forum")
    goal = gettext_lazy(
        "Each daycare discusses digitalisation in its forums (staff meeting, parent contact "
        "committee, parent board) at least once in 12 months, recording reflection, ethical "
        "considerations and a plan."
    )
    # A complete discussion older than this is about to lapse: the leader is reminded.
    WARN_AFTER_MONTHS = 11

    def evaluate(self, *, municipality, institutions, today):
        since = years_before(today, 1)
        warn_before = months_before(today, self.WARN_AFTER_MONTHS)
        rows = (
            ForumDiscussion.objects.filter(
                institution__in=[i.pk for i in institutions], held_on__gt=since
            )
            .annotate(
                has_plan=Exists(ForumDecision.objects.filter(discussion=OuterRef("pk"))),
                has_reflection=ExpressionWrapper(
                    Q(reflection__regex=r"\S"), output_field=BooleanField()
                ),
                has_ethics=ExpressionWrapper(Q(ethics__regex=r"\S"), output_field=BooleanField()),
            )
            .order_by("institution_id", "-held_on", "-pk")
            .values_list(
                "institution_id",
                "held_on",
                "forum",
                "forum_other",
                "has_reflection",
                "has_ethics",
                "has_plan",
            )
        )
        complete: dict[int, tuple] = {}
        incomplete: dict[int, tuple] = {}
        for institution_id, held_on, forum, other, reflection, ethics, plan in rows:
            missing = [
                label
                for label, present in (
                    (_("reflection"), reflection),
                    (_("ethical considerations"), ethics),
                    (_("a plan (decisions)"), plan),
                )
                if not present
            ]
            name = (
                other
                if forum == ForumDiscussion.Forum.OTHER and other
                else str(ForumDiscussion.Forum(forum).label)
            )
            if missing:
                incomplete.setdefault(institution_id, (held_on, name, missing))
            else:
                complete.setdefault(institution_id, (held_on, name))
        results = {}
        for institution in institutions:
            fix_url = reverse("goals:discussion_create", args=[institution.pk])
            if institution.pk in complete:
                held_on, name = complete[institution.pk]
                evidence = _("%(forum)s, %(date)s") % {"forum": name, "date": _day(held_on)}
                if held_on <= warn_before:
                    evidence += " " + _("(more than 11 months ago)")
                    results[institution.pk] = Result(Status.AT_RISK, evidence, fix_url)
                else:
                    results[institution.pk] = Result(Status.MET, evidence)
            elif institution.pk in incomplete:
                held_on, name, missing = incomplete[institution.pk]
                evidence = _("%(forum)s, %(date)s, lacks %(missing)s.") % {
                    "forum": name,
                    "date": _day(held_on),
                    "missing": ", ".join(str(m) for m in missing),
                }
                results[institution.pk] = Result(self.graded(False, today), evidence, fix_url)
            else:
                results[institution.pk] = Result(
                    self.graded(False, today),
                    _("No discussion of digitalisation in the last 12 months."),
                    fix_url,
                )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_edit_discussions(user, institution))


@register
class CurriculumEvaluated(Indicator):
    code = "goals.curriculum_evaluation"
    area = Area.DIGITAL_MEDIA
    level = Level.LOCAL
    order = 40
    title = gettext_lazy("Curriculum evaluated")
    goal = gettext_lazy(
        "The pedagogical curriculum is evaluated at least every second year; the latest "
        "evaluation is not older than two years."
    )
    # An evaluation that lapses within this many days is at risk.
    WARN_DAYS = 90

    def evaluate(self, *, municipality, institutions, today):
        latest_date = (
            CurriculumEvaluation.objects.filter(institution=OuterRef("institution"))
            .order_by("-evaluated_on", "-pk")
            .values("pk")[:1]
        )
        rows = (
            CurriculumEvaluation.objects.filter(institution__in=[i.pk for i in institutions])
            .filter(pk=Subquery(latest_date))
            .values_list("institution_id", "evaluated_on", "children_perspective")
        )
        latest = {institution_id: (day, perspective) for institution_id, day, perspective in rows}
        oldest_valid = years_before(today, 2)
        results = {}
        for institution in institutions:
            fix_url = reverse("goals:evaluations", args=[institution.pk])
            if institution.pk not in latest:
                results[institution.pk] = Result(
                    self.graded(False, today), _("No curriculum evaluation recorded."), fix_url
                )
                continue
            day, perspective = latest[institution.pk]
            evidence = _("Evaluated %(date)s.") % {"date": _day(day)}
            if perspective:
                evidence += " " + _("The children's perspective was included.")
            if day < oldest_valid:
                evidence = _("Last evaluated %(date)s, more than two years ago.") % {
                    "date": _day(day)
                }
                results[institution.pk] = Result(self.graded(False, today), evidence, fix_url)
            elif day < oldest_valid + timedelta(days=self.WARN_DAYS):
                results[institution.pk] = Result(
                    Status.AT_RISK,
                    evidence
                    + " "
                    + _("Due again by %(date)s.") % {"date": _day(years_before(day, -2))},
                    fix_url,
                )
            else:
                results[institution.pk] = Result(Status.MET, evidence)
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_evaluations(user, institution))
