"""Days a daycare is closed, for the apps that plan around them.

The app that keeps a daycare's closures (messaging: holidays, when guardians get an
automatic reply) registers a provider; an app that plans days (devices: when a suitcase
can be handed over) asks `closed_periods` and imports nothing of it.

    @closure_provider
    def closure_periods(*, institution_ids, start, end):
        return ClosurePeriod.objects.filter(...).values_list(
            "institution_id", "starts_on", "ends_on"
        )

A provider returns (institution id, first closed day, last closed day) for the periods
that touch start..end, in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date

Period = tuple[int, date, date]
Provider = Callable[..., Iterable[Period]]
_providers: list[Provider] = []


def closure_provider(func: Provider) -> Provider:
    if func not in _providers:
        _providers.append(func)
    return func


def closed_periods(*, institution_ids: Iterable[int], start: date, end: date) -> Iterator[Period]:
    """The closure periods of these daycares that touch start..end, one query per provider."""
    institution_ids = list(institution_ids)
    for provider in _providers:
        yield from provider(institution_ids=institution_ids, start=start, end=end)
