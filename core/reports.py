"""The hook through which each app adds its section to the institution report (the
report itself is made on the roof, portal/reports/).

An app contributes its part in `<app>/reports.py` (discovered at start-up, like
shell.py providers):

    from core.reports import ReportSection, Table, report_section

    @report_section
    def devices_section(*, institution, today):
        return ReportSection(
            title=_("Devices and Wi-Fi"),
            order=40,
            facts=[(_("Devices"), "12")],
            tables=[Table(caption=..., headings=[...], rows=[[...], ...])],
        )

A provider returns one section, several, or None (nothing to say). It runs inside the
report's language and must run a fixed number of queries. A section renders in the
shared markup of templates/pdf/section.html unless it names its own `template` (which
gets `section` in its context).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

SectionProvider = Callable[..., "ReportSection | Iterable[ReportSection] | None"]
_providers: list[SectionProvider] = []


@dataclass
class Table:
    caption: str
    headings: list[str]
    rows: list[list]
    # Columns (by index) that hold numbers or amounts: right-aligned.
    numeric: set[int] = field(default_factory=set)
    empty: str = ""


@dataclass
class ReportSection:
    title: str
    order: int = 100
    intro: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    template: str = ""
    context: dict = field(default_factory=dict)


def report_section(func: SectionProvider) -> SectionProvider:
    """Register `func(*, institution, today)` as a section of the institution report."""
    if func not in _providers:
        _providers.append(func)
    return func


def institution_sections(institution, *, today: date) -> list[ReportSection]:
    sections: list[ReportSection] = []
    for provider in _providers:
        made = provider(institution=institution, today=today)
        if made is None:
            continue
        if isinstance(made, ReportSection):
            sections.append(made)
        else:
            sections.extend(made)
    return sorted(sections, key=lambda s: s.order)
