"""Indicators owned by the children's own voice, evaluated for all daycares at once."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import add_years
from core.indicators import Area, Indicator, Level, Result, Status, register, watch
from institutions.models import Institution

from . import permissions
from .models import Assessment, Session
from .reminders import DUE_SOON_DAYS, interval_years

watch(Assessment, Session)


@register
class EnvironmentAssessedWithChildren(Indicator):
    code = "wellbeing.environment_assessed"
    area = Area.DIGITAL_MEDIA
    level = Level.LOCAL
    order = 80
    title = gettext_lazy("Children's environment assessed with the children's own entries")
    goal = gettext_lazy(
        "Each daycare assesses its children's environment every second year, based on the "
        "children's own entries in the talking questionnaire."
    )

    def evaluate(self, *, municipality, institutions, today):
        rows = (
            Institution.objects.filter(pk__in=[i.pk for i in institutions])
            .annotate(
                last=Max(
                    "environment_assessments__completed_on",
                    filter=Q(environment_assessments__status="completed"),
                ),
            )
            .values_list("pk", "last")
        )
        last_by = dict(rows)
        since = today.replace(year=today.year - 2)
        answered = dict(
            Institution.objects.filter(
                pk__in=[i.pk for i in institutions],
                wellbeing_sessions__closed_at__date__gte=since,
            )
            .annotate(n=Sum("wellbeing_sessions__respondents"))
            .values_list("pk", "n")
        )
        results = {}
        for institution in institutions:
            last = last_by.get(institution.pk)
            children = answered.get(institution.pk) or 0
            fix_url = reverse("wellbeing:assessment", args=[institution.pk])
            heard = (
                _("%(count)d children answered the questionnaire in the last two years.")
                % {"count": children}
                if children
                else _("No child answered the questionnaire in the last two years.")
            )
            if last is None:
                results[institution.pk] = Result(
                    Status.NOT_MET, _("No completed assessment.") + " " + heard, fix_url
                )
                continue
            due = add_years(last, interval_years(institution))
            evidence = _("Last completed %(date)s; next due %(due)s.") % {
                "date": date_format(last, "DATE_FORMAT"),
                "due": date_format(due, "DATE_FORMAT"),
            }
            if due < today:
                status = Status.NOT_MET
            elif due <= today + timedelta(days=DUE_SOON_DAYS) or not children:
                status = Status.AT_RISK
            else:
                status = Status.MET
            results[institution.pk] = Result(status, f"{evidence} {heard}", fix_url)
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_assessment(user, institution))
