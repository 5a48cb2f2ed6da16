"""The links from an indicator to where it is done lead somewhere the reader may go:
the daycare's leader gets them, and every one opens; others read the evidence only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import User
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
