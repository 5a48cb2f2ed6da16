"""The shell's extension points: navigation entries and home page sections.

Each app may define `shell.py` with functions decorated by `nav_provider`,
`home_provider` and `today_provider`; they are discovered at start-up. A provider takes the
request and the user's roles and returns what that person should see, so the navigation
and home page follow roles without any template `{% if %}` around them. The roof works out
the roles (institutions.selectors.roles_for) and hands them in: the ground floor knows no
roles.

The home page leads with what each role does most: the sections a provider marks `lead`
are shown in full at the top, in their order; every other section follows in brief, its
cards as plain links, one click from where the work is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 100


@dataclass(frozen=True)
class HomeCard:
    title: str
    text: str
    url: str
    icon: str = "arrow-forward"


@dataclass
class HomeSection:
    title: str
    intro: str = ""
    cards: list[HomeCard] = field(default_factory=list)
    order: int = 100
    # Optional template rendered inside the section, with `section` in its context.
    template: str = ""
    context: dict = field(default_factory=dict)
    # In full at the top of the page: what the person does most in this role. A section
    # that is not lead is listed in brief below them (its template is not rendered).
    lead: bool = False


@dataclass(frozen=True)
class TodayItem:
    """One thing due for the person who leads a daycare: an answer the families wait for,
    a step of an action plan, an indicator not met, a deadline. Shown first on the home
    page, most urgent first."""

    text: str
    url: str
    # Where it belongs (the area, the daycare), said beside the text.
    where: str = ""
    due: date | None = None
    # False when `due` is the day it happens (a meeting), not a deadline.
    deadline: bool = True
    # A short state in a badge ("Overdue", "Not met"); `urgent` colours it as a warning.
    status: str = ""
    urgent: bool = False


# Roles: what institutions.selectors.roles_for answers for the user.
Roles = Any
NavProvider = Callable[[HttpRequest, Roles], Iterable[NavItem]]
HomeProvider = Callable[[HttpRequest, Roles], Iterable[HomeSection]]
TodayProvider = Callable[[HttpRequest, Roles], Iterable[TodayItem]]
_nav_providers: list[NavProvider] = []
_home_providers: list[HomeProvider] = []
_today_providers: list[TodayProvider] = []


def nav_provider(func: NavProvider) -> NavProvider:
    _nav_providers.append(func)
    return func


def home_provider(func: HomeProvider) -> HomeProvider:
    _home_providers.append(func)
    return func


def today_provider(func: TodayProvider) -> TodayProvider:
    _today_providers.append(func)
    return func


def nav_items(request: HttpRequest, roles: Roles) -> list[dict]:
    """Navigation for this request, with the current entry marked."""
    if not request.user.is_authenticated:
        return []
    items = sorted(
        (item for provider in _nav_providers for item in provider(request, roles)),
        key=lambda item: item.order,
    )
    path = request.path
    # The longest matching URL is the current entry. The home page "/" is current only on
    # itself: a page outside every entry (the profile, say) marks no entry at all.
    matches = [
        item
        for item in items
        if path == item.url or (item.url != "/" and path.startswith(item.url.rstrip("/") + "/"))
    ]
    current = max(matches, key=lambda item: len(item.url), default=None)
    return [{"item": item, "current": item == current} for item in items]


def home_sections(request: HttpRequest, roles: Roles) -> list[HomeSection]:
    sections = [s for provider in _home_providers for s in provider(request, roles)]
    return sorted(sections, key=lambda s: s.order)


def today_items(request: HttpRequest, roles: Roles) -> list[TodayItem]:
    """What is due for the person: the urgent first, then by date, undated last."""
    items = [item for provider in _today_providers for item in provider(request, roles)]
    return sorted(items, key=lambda item: (not item.urgent, item.due or date.max))
