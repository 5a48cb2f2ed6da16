"""The shell's extension points: navigation entries and home page sections.

Each app may define `shell.py` with functions decorated by `nav_provider` and
`home_provider`; they are discovered at start-up. A provider takes the request and the
user's roles and returns what that person should see, so the navigation and home page
follow roles without any template `{% if %}` around them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from institutions.selectors import Roles, roles_for


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


def nav_items(request: HttpRequest) -> list[dict]:
    """Navigation for this request, with the current entry marked."""
    if not request.user.is_authenticated:
        return []
    roles = roles_for(request.user)
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


def home_sections(request: HttpRequest) -> list[HomeSection]:
    roles = roles_for(request.user)
    sections = [s for provider in _home_providers for s in provider(request, roles)]
    return sorted(sections, key=lambda s: s.order)


# The daycare roles that follow the strategy's indicators and make status reports.
INDICATOR_ROLES = ("leader", "ambassador")


@nav_provider
def portal_nav(request: HttpRequest, roles: Roles) -> Iterable[NavItem]:
    yield NavItem(_("Home"), reverse("home"), order=0)
    municipalities = roles.municipalities()
    for municipality in municipalities:
        yield NavItem(
            _("Indicators"), reverse("indicators:municipality", args=[municipality.pk]), order=30
        )
    if municipalities:
        return
    institutions = roles.institutions(*INDICATOR_ROLES)
    for institution in institutions:
        label = _("Indicators")
        if len(institutions) > 1:
            label = f"{label} ({institution.name})"
        yield NavItem(label, reverse("indicators:institution", args=[institution.pk]), order=30)


@home_provider
def portal_sections(request: HttpRequest, roles: Roles) -> Iterable[HomeSection]:
    for municipality in roles.municipalities():
        yield HomeSection(
            title=_("Status of the strategy: %(name)s") % {"name": municipality.name},
            intro=_("Where every daycare stands on each goal, the trend, and reports in PDF."),
            # The dashboard itself has its card in the institutions section ("Indicators").
            cards=[
                HomeCard(
                    _("Status reports"),
                    _("The municipality's report in PDF; one is made on the first of the month."),
                    reverse("reports:municipality", args=[municipality.pk]),
                    icon="file-pdf",
                ),
            ],
            order=12,
        )
    for institution in roles.institutions(*INDICATOR_ROLES):
        yield HomeSection(
            title=_("Your daycare and the strategy: %(name)s") % {"name": institution.name},
            intro=_(
                "The same indicators the municipality sees, what is missing and what to do next."
            ),
            cards=[
                HomeCard(
                    _("Our indicators"),
                    _("Status, evidence and links to where each thing is done."),
                    reverse("indicators:institution", args=[institution.pk]),
                    icon="analytics",
                ),
                HomeCard(
                    _("Status report"),
                    _("The daycare's status report in PDF, for the board or the municipality."),
                    reverse("reports:institution", args=[institution.pk]),
                    icon="file-pdf",
                ),
            ],
            order=12,
        )
