"""The shell's extension points: navigation entries and home page sections.

Each app may define `shell.py` with functions decorated by `nav_provider` and
`home_provider`; they are discovered at start-up. A provider takes the request and the
user's roles and returns what that person should see, so the navigation and home page
follow roles without any template `{% if %}` around them. The roof works out the roles
(institutions.selectors.roles_for) and hands them in: the ground floor knows no roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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


# Roles: what institutions.selectors.roles_for answers for the user.
Roles = Any
NavProvider = Callable[[HttpRequest, Roles], Iterable[NavItem]]
HomeProvider = Callable[[HttpRequest, Roles], Iterable[HomeSection]]
_nav_providers: list[NavProvider] = []
_home_providers: list[HomeProvider] = []


def nav_provider(func: NavProvider) -> NavProvider:
    _nav_providers.append(func)
    return func


def home_provider(func: HomeProvider) -> HomeProvider:
    _home_providers.append(func)
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
