"""Indicators owned by the grants app: the strategy's money, measured per daycare.

Each evaluates every daycare of a municipality in one query.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.indicators import (
    NOT_APPLICABLE,
    Area,
    Indicator,
    Level,
    Result,
    Status,
    register,
    watch,
)
from core.money import format_kroner
from institutions.models import Institution

from . import permissions
from .models import (
    Application,
    DigitalBudgetLine,
    Earmark,
    EarmarkAllocation,
    Grant,
    Pool,
    ShareRun,
)

SENT_STATES = [
    Application.State.SUBMITTED,
    Application.State.IN_REVIEW,
    Application.State.CHANGES_REQUESTED,
    Application.State.DECIDED,
    Application.State.REPORTING,
    Application.State.CLOSED,
]


watch(DigitalBudgetLine, Application, ShareRun, Grant, EarmarkAllocation, Pool)


@register
class BudgetsOrApplies(Indicator):
    code = "grants.budgets_or_applies"
    area = Area.IT_SERVICE
    level = Level.LOCAL
    order = 40
    title = gettext_lazy("Budgets for digital purchases or applies for funding")
    goal = gettext_lazy(
        "Each daycare sets money aside for digital purchases this year or applies for "
        "funding of particular projects."
    )

    def evaluate(self, *, municipality, institutions, today):
        year = today.year
        budget = (
            DigitalBudgetLine.objects.filter(institution=OuterRef("pk"), year=year)
            .values("institution")
            .annotate(total=Sum("amount_ore"))
            .values("total")[:1]
        )
        sent = Application.objects.filter(
            institution=OuterRef("pk"), state__in=SENT_STATES, submitted_at__year=year
        )
        drafting = Application.objects.filter(
            institution=OuterRef("pk"), state=Application.State.DRAFT
        )
        rows = (
            Institution.objects.filter(pk__in=[i.pk for i in institutions])
            .annotate(
                budget_ore=Coalesce(Subquery(budget, output_field=IntegerField()), Value(0)),
                applied=Subquery(
                    sent.values("institution").annotate(n=Sum(Value(1))).values("n")[:1],
                    output_field=IntegerField(),
                ),
                drafting=Exists(drafting),
            )
            .values_list("pk", "budget_ore", "applied", "drafting")
        )
        found = {pk: (budget_ore, applied or 0, draft) for pk, budget_ore, applied, draft in rows}
        results = {}
        for institution in institutions:
            budget_ore, applied, draft = found.get(institution.pk, (0, 0, False))
            evidence = []
            if budget_ore:
                evidence.append(
                    _("Budget %(year)s for digital purchases: %(amount)s")
                    % {"year": year, "amount": format_kroner(budget_ore)}
                )
            if applied:
                evidence.append(
                    ngettext(
                        "%(count)d application for funding sent in %(year)s",
                        "%(count)d applications for funding sent in %(year)s",
                        applied,
                    )
                    % {"count": applied, "year": year}
                )
            fix_url = reverse("grants:budget", args=[institution.pk])
            if evidence:
                results[institution.pk] = Result(Status.MET, "; ".join(evidence), fix_url)
            elif draft:
                results[institution.pk] = Result(
                    Status.AT_RISK,
                    _("No budget for %(year)s; an application is being drafted.") % {"year": year},
                    reverse("grants:institution", args=[institution.pk]),
                )
            else:
                results[institution.pk] = Result(
                    Status.NOT_MET,
                    _("No budget for digital purchases in %(year)s and no application sent.")
                    % {"year": year},
                    fix_url,
                )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_grants(user, institution))


@register
class ShareSpent(Indicator):
    code = "grants.share_spent"
    area = Area.IT_SERVICE
    level = Level.MUNICIPAL
    order = 41
    title = gettext_lazy("Share of the development funds spent on its earmarks")
    goal = gettext_lazy(
        "The development funds shared by number of children are spent on what they are "
        "earmarked for (Wi-Fi where there is none, then tablets or PCs) by the end of the "
        "period."
    )

    def evaluate(self, *, municipality, institutions, today):
        rows = (
            EarmarkAllocation.objects.filter(
                grant__institution__in=[i.pk for i in institutions],
                grant__share__run__status=ShareRun.Status.PUBLISHED,
            )
            .order_by("grant__pool__period_end", "grant_id", "earmark")
            .values_list(
                "grant__institution_id",
                "grant_id",
                "grant__pool__period_end",
                "earmark",
                "amount_ore",
                "spent_ore",
            )
        )
        by_institution: dict[int, list[tuple]] = defaultdict(list)
        for institution_id, *rest in rows:
            by_institution[institution_id].append(tuple(rest))
        # Wi-Fi first, as the earmark rule reads.
        order = {value: index for index, value in enumerate(Earmark.values)}
        for allocations in by_institution.values():
            allocations.sort(key=lambda a: (a[1], a[0], order[a[2]]))
        results = {}
        for institution in institutions:
            allocations = by_institution.get(institution.pk)
            if not allocations:
                results[institution.pk] = NOT_APPLICABLE
                continue
            received = sum(a[3] for a in allocations)
            spent = sum(a[4] for a in allocations)
            parts = "; ".join(
                _("%(earmark)s: %(spent)s of %(received)s")
                % {
                    "earmark": Earmark(earmark).label,
                    "spent": format_kroner(spent_ore),
                    "received": format_kroner(amount_ore),
                }
                for _grant, _end, earmark, amount_ore, spent_ore in allocations
            )
            unspent = [a for a in allocations if a[4] < a[3]]
            if not unspent:
                results[institution.pk] = Result(
                    Status.MET,
                    _("All of %(received)s spent (%(parts)s).")
                    % {"received": format_kroner(received), "parts": parts},
                )
                continue
            grant_id, period_end = unspent[0][0], max(a[1] for a in unspent)
            status = Status.AT_RISK if today <= period_end else Status.NOT_MET
            results[institution.pk] = Result(
                status,
                _("%(spent)s of %(received)s spent by %(end)s (%(parts)s).")
                % {
                    "spent": format_kroner(spent),
                    "received": format_kroner(received),
                    "end": date_format(period_end, "SHORT_DATE_FORMAT"),
                    "parts": parts,
                },
                reverse("grants:grant", args=[grant_id]),
            )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_grants(user, institution))
