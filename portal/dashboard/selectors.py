"""Reads behind the dashboard pages, the exports and the reports.

`municipality_dashboard` runs a fixed number of queries whatever the number of daycares:
one for the daycares, then what each indicator needs for all of them together.

The evaluated matrix of a municipality's daycares is kept in the cache under the version
of the data the indicators read (`core.indicators.data_version`), which every change to
that data moves on: a consultant sees a change at once, and otherwise the page does not
evaluate twenty indicators for every daycare on each request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.indicators import (
    NOT_APPLICABLE,
    Area,
    Indicator,
    Matrix,
    Result,
    Status,
    all_indicators,
    data_version,
    evaluate,
)
from institutions.models import Institution, Municipality
from institutions.selectors import indicator_rows

# A cached matrix is dropped as soon as the data version moves on; the timeout only
# bounds how long one can outlive a version bump that Redis did not receive.
MATRIX_TIMEOUT = 10 * 60

# Worst first: sorting by an indicator puts the daycares that need help at the top.
STATUS_RANK = {Status.NOT_MET: 0, Status.AT_RISK: 1, Status.MET: 2, Status.NOT_APPLICABLE: 3}
_DANISH_LETTERS = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}"})


def danish_key(text: str) -> str:
    """Sort Danish names as a Danish reader expects: æ, ø, å after z."""
    return text.lower().translate(_DANISH_LETTERS)


@dataclass(frozen=True)
class Filters:
    district: str = ""
    kind: str = ""
    ownership: str = ""
    sort: str = "name"
    descending: bool = False

    def as_query(self, **changes) -> dict[str, str]:
        """The filters as URL parameters, with `changes`; defaults left out."""
        values = {
            "district": self.district,
            "kind": self.kind,
            "ownership": self.ownership,
            "sort": "" if self.sort == "name" else self.sort,
            "order": "desc" if self.descending else "",
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value}


def daycares(municipality: Municipality, filters: Filters | None = None) -> list[Institution]:
    """The municipality's active daycares that pass the filters (one query)."""
    filters = filters or Filters()
    queryset = municipality.institutions.daycares()
    if filters.district:
        queryset = queryset.filter(district=filters.district)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.ownership:
        queryset = queryset.filter(ownership=filters.ownership)
    return sorted(queryset, key=lambda i: danish_key(i.name))


def districts(municipality: Municipality) -> list[str]:
    names = (
        municipality.institutions.daycares()
        .exclude(district="")
        .order_by()  # the model's ordering by name would make each row distinct
        .values_list("district", flat=True)
        .distinct()
    )
    return sorted(names, key=danish_key)


@dataclass
class Summary:
    """How one indicator stands across the daycares shown."""

    indicator: Indicator
    met: int
    at_risk: int
    not_met: int
    applicable: int
    today: date

    @property
    def short(self) -> int:
        return self.at_risk + self.not_met

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.applicable) if self.applicable else 0

    def met_text(self) -> str:
        return _("met by %(met)s of %(total)s") % {"met": self.met, "total": self.applicable}

    @property
    def deadline_note(self) -> str:
        """'31.12.2015: 4 daycares still short of it', or '' without a deadline."""
        today = self.today
        deadline = self.indicator.deadline
        if deadline is None:
            return ""
        day = date_format(deadline, "SHORT_DATE_FORMAT")
        if not self.short:
            return _("%(date)s: met by every daycare") % {"date": day}
        if today <= deadline:
            text = ngettext(
                "%(date)s: %(count)d daycare still short of it",
                "%(date)s: %(count)d daycares still short of it",
                self.short,
            )
        else:
            text = ngettext(
                "Deadline %(date)s passed: %(count)d daycare did not make it",
                "Deadline %(date)s passed: %(count)d daycares did not make it",
                self.short,
            )
        return text % {"date": day, "count": self.short}


@dataclass
class Row:
    institution: Institution
    results: list[Result]
    met: int
    applicable: int
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[Indicator, Result]]:
        return list(zip(self.indicators, self.results, strict=True))


@dataclass
class AreaGroup:
    area: Area
    indicators: list[Indicator]
    summaries: list[Summary]

    @property
    def label(self) -> str:
        return str(self.area.label)


@dataclass
class Dashboard:
    municipality: Municipality
    filters: Filters
    matrix: Matrix
    rows: list[Row]
    areas: list[AreaGroup]
    today: date
    summaries: list[Summary] = field(default_factory=list)
    # Names this evaluation (municipality, data version, day, language) and the filters:
    # what is rendered from it may be cached under it.
    cache_key: str = ""

    @property
    def indicators(self) -> list[Indicator]:
        return self.matrix.indicators

    @property
    def with_deadline(self) -> list[Summary]:
        dated = [s for s in self.summaries if s.indicator.deadline]
        return sorted(dated, key=lambda s: (s.indicator.deadline, s.indicator.code))


def cache_key(municipality: Municipality, today: date, *parts: str) -> str:
    """A key that changes with the data the indicators read, the day and the language.
    The data version is read first, before any data, so what is stored under a version
    is never older than it."""
    return ":".join(
        [
            "indicators",
            str(municipality.pk),
            data_version(municipality.pk),
            today.isoformat(),
            get_language(),
            *parts,
        ]
    )


def page_key(municipality: Municipality, filters: Filters, today: date) -> str:
    """What the municipality's page shows below its filters depends on only this."""
    return f"{cache_key(municipality, today, 'matrix')}:{urlencode(filters.as_query())}"


def evaluated(
    municipality: Municipality,
    institutions: Sequence[Institution],
    *,
    today: date,
    indicators: Sequence[Indicator] | None = None,
) -> tuple[Matrix, str]:
    """The matrix of `institutions` (daycares of `municipality`), from the cached
    evaluation of all its daycares when there is one, and the key it is cached under.

    A daycare's results do not depend on which other daycares are evaluated with it, so
    one evaluation serves every filter."""
    key = cache_key(municipality, today, "matrix")
    stored = cache.get(key)
    if stored is None:
        everyone = list(municipality.institutions.daycares())
        matrix = evaluate(municipality=municipality, institutions=everyone, today=today)
        # Plain tuples: unpickling 8,000 results with their enums took longer than the rest
        # of the page.
        stored = {
            code: {pk: (str(r.status), str(r.evidence), r.fix_url) for pk, r in by_pk.items()}
            for code, by_pk in matrix.results.items()
        }
        cache.set(key, stored, MATRIX_TIMEOUT)
    indicators = list(indicators) if indicators is not None else all_indicators()
    results = {}
    for indicator in indicators:
        found = stored.get(indicator.code, {})
        results[indicator.code] = {
            institution.pk: _result(found.get(institution.pk)) for institution in institutions
        }
    return Matrix(indicators=indicators, institutions=list(institutions), results=results), key


_STATUSES = {status.value: status for status in Status}


def _result(stored: tuple[str, str, str] | None) -> Result:
    if stored is None:
        return NOT_APPLICABLE
    status, evidence, fix_url = stored
    return Result(_STATUSES[status], evidence, fix_url)


def summarise(matrix: Matrix, indicator: Indicator, today: date) -> Summary:
    return Summary(
        today=today,
        indicator=indicator,
        met=matrix.count(indicator, Status.MET),
        at_risk=matrix.count(indicator, Status.AT_RISK),
        not_met=matrix.count(indicator, Status.NOT_MET),
        applicable=matrix.applicable(indicator),
    )


def _sort_key(filters: Filters, codes: Sequence[str]):
    if filters.sort in codes:
        index = list(codes).index(filters.sort)
        return lambda row: (
            STATUS_RANK[Status(row.results[index].status)],
            danish_key(row.institution.name),
        )
    if filters.sort == "met":
        return lambda row: (row.met, row.applicable, danish_key(row.institution.name))
    if filters.sort == "district":
        return lambda row: (danish_key(row.institution.district), danish_key(row.institution.name))
    if filters.sort == "kind":
        return lambda row: (
            str(row.institution.get_kind_display()),
            danish_key(row.institution.name),
        )
    return lambda row: danish_key(row.institution.name)


def municipality_dashboard(
    municipality: Municipality, filters: Filters | None = None, *, today: date | None = None
) -> Dashboard:
    filters = filters or Filters()
    today = today or timezone.localdate()
    matrix, key = evaluated(municipality, daycares(municipality, filters), today=today)
    rows = []
    for institution, results in matrix.rows():
        rows.append(
            Row(
                institution=institution,
                results=results,
                met=sum(1 for r in results if r.status == Status.MET),
                applicable=sum(1 for r in results if r.status != Status.NOT_APPLICABLE),
                indicators=matrix.indicators,
            )
        )
    rows.sort(
        key=_sort_key(filters, [i.code for i in matrix.indicators]), reverse=filters.descending
    )
    summaries = [summarise(matrix, indicator, today) for indicator in matrix.indicators]
    by_code = {s.indicator.code: s for s in summaries}
    areas = []
    for area in Area:
        indicators = [i for i in matrix.indicators if i.area == area]
        if indicators:
            areas.append(AreaGroup(area, indicators, [by_code[i.code] for i in indicators]))
    return Dashboard(
        municipality=municipality,
        filters=filters,
        matrix=matrix,
        rows=rows,
        areas=areas,
        today=today,
        summaries=summaries,
        cache_key=f"{key}:{urlencode(filters.as_query())}",
    )


@dataclass
class InstitutionItem:
    indicator: Indicator
    result: Result

    @property
    def open(self) -> bool:
        return self.result.status in (Status.NOT_MET, Status.AT_RISK)


@dataclass
class InstitutionDashboard:
    institution: Institution
    items: list[InstitutionItem]
    today: date

    @property
    def met(self) -> int:
        return sum(1 for item in self.items if item.result.status == Status.MET)

    @property
    def applicable(self) -> int:
        return sum(1 for item in self.items if item.result.status != Status.NOT_APPLICABLE)

    @property
    def next_steps(self) -> list[InstitutionItem]:
        """What is missing, most urgent first: not met, then at risk by nearest deadline."""
        far = date.max
        return sorted(
            (item for item in self.items if item.open),
            key=lambda item: (
                STATUS_RANK[Status(item.result.status)],
                item.indicator.deadline or far,
                item.indicator.order,
            ),
        )

    def by_area(self) -> list[tuple[str, list[InstitutionItem]]]:
        groups = []
        for area in Area:
            items = [item for item in self.items if item.indicator.area == area]
            if items:
                groups.append((str(area.label), items))
        return groups


def institution_dashboard(
    institution: Institution, *, today: date | None = None, cached: bool = False
) -> InstitutionDashboard:
    """Every indicator for one daycare (the same evaluation as the municipality's).
    `cached` reads the municipality's evaluation the dashboard keeps, as a page that only
    glances at the indicators (the leader's home page) should."""
    today = today or timezone.localdate()
    if cached:
        matrix, _key = evaluated(institution.municipality, [institution], today=today)
        rows = [
            (indicator, matrix.result(indicator, institution)) for indicator in matrix.indicators
        ]
    else:
        rows = indicator_rows([institution], today=today)[institution.pk]
    items = [InstitutionItem(indicator, result) for indicator, result in rows]
    return InstitutionDashboard(institution=institution, items=items, today=today)


@dataclass
class IndicatorDetail:
    indicator: Indicator
    summary: Summary
    rows: list[tuple[Institution, Result]]
    filters: Filters


def indicator_detail(
    municipality: Municipality,
    indicator: Indicator,
    filters: Filters | None = None,
    *,
    today: date | None = None,
) -> IndicatorDetail:
    """One indicator across the daycares, the ones that need help first."""
    filters = filters or Filters()
    today = today or timezone.localdate()
    matrix, _key = evaluated(
        municipality, daycares(municipality, filters), today=today, indicators=[indicator]
    )
    rows = [(institution, results[0]) for institution, results in matrix.rows()]
    if filters.sort == "name":
        rows.sort(key=lambda r: (STATUS_RANK[Status(r[1].status)], danish_key(r[0].name)))
    elif filters.sort == "district":
        rows.sort(key=lambda r: (danish_key(r[0].district), danish_key(r[0].name)))
    elif filters.sort == "kind":
        rows.sort(key=lambda r: (str(r[0].get_kind_display()), danish_key(r[0].name)))
    if filters.descending:
        rows.reverse()
    return IndicatorDetail(indicator, summarise(matrix, indicator, today), rows, filters)
