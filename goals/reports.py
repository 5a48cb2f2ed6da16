"""The goals app's section of the institution status report: local goals with their
action plans, forum discussions and the latest curriculum evaluation."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.dates import years_before
from core.reports import ReportSection, Table, report_section

from .models import CurriculumEvaluation, LocalGoal
from .selectors import discussions, goals_with_plans, plan_progress


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


@report_section
def goals_section(*, institution, today):
    """Five queries for the goals and their plans, one for discussions, one for the
    latest evaluation."""
    goals = [g for g in goals_with_plans(institution) if g.status != LocalGoal.Status.DROPPED]
    goal_rows = []
    steps_done = steps_total = 0
    for goal in goals:
        progresses = [plan_progress(plan, today) for plan in goal.action_plans.all()]
        done = sum(p.done for p in progresses)
        total = sum(p.total for p in progresses)
        steps_done += done
        steps_total += total
        goal_rows.append(
            [
                goal.title,
                str(goal.get_status_display()),
                ", ".join(theme.name for theme in goal.themes.all()) or "–",
                len(progresses),
                _("%(done)d of %(total)d") % {"done": done, "total": total},
            ]
        )
    since = years_before(today, 1)
    held = list(discussions(institution).filter(held_on__gte=since))
    latest = (
        CurriculumEvaluation.objects.filter(institution=institution)
        .order_by("-evaluated_on", "-pk")
        .first()
    )
    active = sum(1 for g in goals if g.status == LocalGoal.Status.ACTIVE)
    evaluation = _("None recorded")
    if latest is not None:
        evaluation = _day(latest.evaluated_on)
        if latest.children_perspective:
            evaluation += " " + _("(with the children's own perspective)")
    return ReportSection(
        title=_("Goals and action plans"),
        order=10,
        facts=[
            (_("Active local goals"), str(active)),
            (
                _("Steps of the action plans done"),
                _("%(done)d of %(total)d") % {"done": steps_done, "total": steps_total},
            ),
            (_("Forum discussions in the last year"), str(len(held))),
            (_("Latest evaluation of the curriculum"), evaluation),
        ],
        tables=[
            Table(
                caption=_("Local goals"),
                headings=[
                    _("Goal"),
                    _("Status"),
                    _("Curriculum themes"),
                    _("Action plans"),
                    _("Steps done"),
                ],
                rows=goal_rows,
                numeric={3},
                empty=_("No local goals yet."),
            ),
            Table(
                caption=_("Discussions of digitalisation in the daycare's forums"),
                headings=[_("Date"), _("Forum"), _("Topic"), _("Decisions")],
                rows=[[_day(d.held_on), d.forum_name, d.topic, d.decision_count] for d in held],
                numeric={3},
                empty=_("No discussion recorded in the last year."),
            ),
        ],
    )
