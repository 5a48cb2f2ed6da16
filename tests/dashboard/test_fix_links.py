"""The links from an indicator to where it is done lead somewhere the reader may go:
the daycare's leader gets them, and every one opens; others read the evidence only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import User
from core.indicators import all_indicators
from portal import demo
from portal.dashboard.selectors import institution_dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.seed()
        transaction.set_rollback(True)


def _danish(text: str) -> str:
    from django.utils import translation

    with translation.override("da"):
        return translation.gettext(text)


_LINK_WORDS = [
    _danish("Do something about it"),
    _danish("Where it is done"),
    _danish("Work on “%(title)s”").split("“")[0],
]


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="(/[^"]*)"', html))


def _fix_urls(institution) -> set[str]:
    return {item.result.fix_url for item in institution_dashboard(institution).items} - {""}


def test_every_link_the_leader_gets_opens(seeded, client):
    featured = seeded.featured
    fixes = _fix_urls(featured)
    assert len(fixes) >= 5  # the demo daycare has work left in several areas
    client.force_login(User.objects.get(email="leder@koege.example"))
    pages = [
        reverse("institutions:detail", args=[featured.pk]),
        reverse("indicators:institution", args=[featured.pk]),
    ]
    shown = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        shown |= _links(response.content.decode()) & fixes
    assert shown, "the leader gets links to where the indicators are done"
    for url in sorted(shown):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("email", ["ambassador@koege.example", "konsulent@koege.example"])
def test_others_read_the_evidence_without_links_they_could_not_use(seeded, client, email):
    featured = seeded.featured
    client.force_login(User.objects.get(email=email))
    for page in (
        reverse("institutions:detail", args=[featured.pk]),
        reverse("indicators:institution", args=[featured.pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        for words in _LINK_WORDS:
            assert words not in html, page


@pytest.mark.parametrize("email", ["admin@koege.example", "konsulent@koege.example"])
def test_the_municipality_gets_only_links_it_may_follow_from_each_indicator(seeded, client, email):
    """The municipality's drill-down to one indicator links to where each daycare does it
    only where that page lets the reader in: the consultant reads the daycares' goals,
    budgets and devices, but makes no goal there and invites nobody."""
    client.force_login(User.objects.get(email=email))
    municipality = seeded.featured.municipality
    fixes = set().union(*(_fix_urls(i) for i in municipality.institutions.filter(is_active=True)))
    shown: set[str] = set()
    for indicator in all_indicators():
        page = reverse("indicators:indicator", args=[municipality.pk, indicator.code])
        response = client.get(page)
        assert response.status_code == 200
        shown |= _links(response.content.decode()) & fixes
    assert shown, "the municipality is sent to where the indicators are done"
    for url in sorted(shown):
        assert client.get(url).status_code == 200, url
    if email.startswith("konsulent"):
        assert not [url for url in shown if "/maal/nyt/" in url or "/inviter/" in url]


@pytest.mark.parametrize(
    "email",
    ["leder@koege.example", "ambassador@koege.example", "konsulent@koege.example"],
)
def test_each_indicator_answers_for_its_link_as_the_page_it_leads_to_does(seeded, client, email):
    """An indicator that gives a link to where it is done says who may follow it, and says
    what that page says: the link is offered exactly to those it opens for."""
    featured = seeded.featured
    user = User.objects.get(email=email)
    client.force_login(user)
    wrong = []
    for item in institution_dashboard(featured).items:
        if not item.result.fix_url:
            continue
        offered = item.indicator.may_fix(user, featured, item.result)
        opens = client.get(item.result.fix_url).status_code == 200
        if offered != opens:
            wrong.append((item.indicator.code, item.result.fix_url, offered, opens))
    assert not wrong
