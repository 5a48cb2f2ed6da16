"""The action plans a daycare keeps (the goals area), for an area that follows up with one:
the children's environment assessment (wellbeing) names the plan that follows it up.

The wellbeing area keeps the plan's id (the database keeps the foreign key, ON DELETE SET
NULL) and asks here for its name, link and steps; goals fills the registry:

    # goals/plans.py
    @provides
    def action_plans(*, ids=None, owner_id=None, with_steps=False) -> Iterable[Plan]:
        ...

Asked by `ids`, it returns those plans that exist; asked by `owner_id` (a daycare), that
daycare's plans to choose from. One query, or two with the steps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple


class Step(NamedTuple):
    title: str
    status: str  # in words, as the goals area shows it
    due_on: date


class Plan(NamedTuple):
    id: int
    label: str  # "<goal>: <plan>"
    owner_id: int  # the daycare
    url: str  # the goal's page, where the plan is kept
    steps: tuple[Step, ...] = ()


_provider: list[Callable[..., Iterable[Plan]]] = []


def provides(func: Callable[..., Iterable[Plan]]) -> Callable[..., Iterable[Plan]]:
    _provider[:] = [func]
    return func


def action_plans(
    *, ids: Iterable[int] | None = None, owner_id: int | None = None, with_steps: bool = False
) -> dict[int, Plan]:
    if not _provider:
        return {}
    if ids is not None:
        ids = [i for i in set(ids) if i is not None]
        if not ids:
            return {}
    found = _provider[0](ids=ids, owner_id=owner_id, with_steps=with_steps)
    return {plan.id: plan for plan in found}
