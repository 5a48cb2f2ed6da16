"""Reads of the grants app, shaped for the pages: each runs a fixed number of queries,
whatever the number of pools, applications, grants or expenses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import purchases
from institutions.models import Institution, Municipality

from .models import (
    Application,
    DigitalBudgetLine,
    Earmark,
    EarmarkAllocation,
    Expense,
    Grant,
    Pool,
    Share,
)

State = Application.State


def _sum(queryset, group: str, column: str):
    """A correlated subquery: the sum of `column` over `queryset` grouped by `group`."""
    return Coalesce(
        Subquery(
            queryset.values(group).annotate(total=Sum(column)).values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def pools_with_money(pools):
    """Pools annotated with what their grants spent and gave back."""
    allocations = EarmarkAllocation.objects.filter(grant__pool=OuterRef("pk"))
    grants = Grant.objects.filter(pool=OuterRef("pk"))
    return pools.annotate(
        spent_ore=_sum(allocations, "grant__pool", "spent_ore"),
        returned_ore=_sum(grants, "pool", "returned_ore"),
        waiting=Count(
            "applications",
            filter=Q(applications__state__in=[State.SUBMITTED, State.IN_REVIEW]),
            distinct=True,
        ),
    )


def municipality_pools(municipality: Municipality):
    return list(pools_with_money(municipality.grant_pools.all()).order_by("-period_start", "name"))


def open_pools_for(institution: Institution, today: date | None = None) -> list[Pool]:
    today = today or timezone.localdate()
    pools = Pool.objects.published().filter(
        municipality_id=institution.municipality_id,
        kind=Pool.Kind.APPLICATION,
        closes_on__gte=today,
    )
    return [
        p
        for p in pools.order_by("closes_on", "name")
        if p.is_open_for_applications(today) and p.accepts(institution)
    ]


def applications_for_pool(pool: Pool, *, institutions=None):
    """The pool's applications with their daycare and what their grant spent. The
    municipality sees every application sent (not drafts); a daycare only its own."""
    spent = EarmarkAllocation.objects.filter(grant__application=OuterRef("pk"))
    applications = pool.applications.select_related("institution").annotate(
        spent_ore=_sum(spent, "grant__application", "spent_ore")
    )
    if institutions is None:
        applications = applications.exclude(state=State.DRAFT)
    else:
        applications = applications.filter(institution__in=institutions)
    return list(applications.order_by("institution__name", "-created_at"))


def shares_for_pool(pool: Pool) -> list[Share]:
    run = getattr(pool, "share_run", None)
    if run is None:
        return []
    spent = EarmarkAllocation.objects.filter(grant__share=OuterRef("pk"))
    return list(
        run.shares.select_related("institution", "grant")
        .annotate(spent_ore=_sum(spent, "grant__share", "spent_ore"))
        .order_by("institution__name")
    )


@dataclass
class EarmarkBalance:
    earmark: str
    received_ore: int = 0
    spent_ore: int = 0
    returned_ore: int = 0
    budget_ore: int = 0

    @property
    def label(self) -> str:
        return str(Earmark(self.earmark).label)

    @property
    def left_ore(self) -> int:
        return self.received_ore - self.spent_ore - self.returned_ore


@dataclass
class Balances:
    rows: list[EarmarkBalance] = field(default_factory=list)

    @property
    def received_ore(self) -> int:
        return sum(r.received_ore for r in self.rows)

    @property
    def spent_ore(self) -> int:
        return sum(r.spent_ore for r in self.rows)

    @property
    def left_ore(self) -> int:
        return sum(r.left_ore for r in self.rows)

    @property
    def returned_ore(self) -> int:
        return sum(r.returned_ore for r in self.rows)

    @property
    def budget_ore(self) -> int:
        return sum(r.budget_ore for r in self.rows)


def _add(by_earmark: dict, allocation: EarmarkAllocation, *, closed: bool) -> None:
    row = by_earmark.setdefault(allocation.earmark, EarmarkBalance(allocation.earmark))
    row.received_ore += allocation.amount_ore
    row.spent_ore += allocation.spent_ore
    if closed:
        row.returned_ore += allocation.amount_ore - allocation.spent_ore


def _ordered(by_earmark: dict) -> Balances:
    order = {value: index for index, value in enumerate(Earmark.values)}
    return Balances(sorted(by_earmark.values(), key=lambda r: order[r.earmark]))


def balances(grants) -> Balances:
    """Received, spent, left per earmark over `grants` (with allocations prefetched).
    A closed grant has nothing left: what it did not spend went back to its pool."""
    by_earmark: dict[str, EarmarkBalance] = {}
    for grant in grants:
        for allocation in grant.allocations.all():
            _add(by_earmark, allocation, closed=grant.closed_at is not None)
    return _ordered(by_earmark)


def allocation_balances(allocations, *, closed: bool) -> Balances:
    by_earmark: dict[str, EarmarkBalance] = {}
    for allocation in allocations:
        _add(by_earmark, allocation, closed=closed)
    return _ordered(by_earmark)


def institution_grants(institution: Institution) -> list[Grant]:
    return list(
        institution.grants.select_related("pool", "application", "share")
        .prefetch_related(
            Prefetch("allocations", queryset=EarmarkAllocation.objects.order_by("earmark"))
        )
        .order_by("-created_at")
    )


def institution_applications(institution: Institution) -> list[Application]:
    return list(institution.grant_applications.select_related("pool").order_by("-created_at"))


def grant_detail(grant: Grant):
    allocations = list(grant.allocations.order_by("earmark"))
    expenses = list(
        Expense.objects.filter(allocation__grant=grant)
        .select_related("allocation", "created_by")
        .order_by("-spent_on", "-pk")
    )
    devices = purchases.devices(ids=[e.device_id for e in expenses])
    for expense in expenses:
        expense.device_name = purchases.label(devices, expense.device_id)
    return allocations, expenses


def budget_by_year(institution: Institution, year: int) -> tuple[list, Balances]:
    """The daycare's own budget lines for `year`, beside what it received from pools that
    year (grants made in it), per earmark."""
    lines = list(institution.digital_budget_lines.filter(year=year).order_by("pk"))
    grants = [
        g for g in institution_grants(institution) if timezone.localtime(g.created_at).year == year
    ]
    result = balances(grants)
    rows = {r.earmark: r for r in result.rows}
    for line in lines:
        rows.setdefault(line.earmark, EarmarkBalance(line.earmark)).budget_ore += line.amount_ore
    order = {value: index for index, value in enumerate(Earmark.values)}
    result.rows = sorted(rows.values(), key=lambda r: order[r.earmark])
    return lines, result


def budget_years(institution: Institution) -> list[int]:
    this_year = timezone.localdate().year
    years = set(
        DigitalBudgetLine.objects.filter(institution=institution).values_list("year", flat=True)
    )
    return sorted(years | {this_year}, reverse=True)
