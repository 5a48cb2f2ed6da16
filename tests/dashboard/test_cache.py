"""The dashboard keeps what it evaluated until the data behind an indicator changes: a
change in any app shows on the very next page, and a page with nothing changed reads
no indicator again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from competence.models import CompetencePlan, Meeting, Network, NetworkMember
from competence.services import meeting_attendance_save
from core.indicators import indicators_changed
from devices.models import WifiSite
from institutions.models import Institution, Membership
from tests.dashboard.helpers import admin_of, danish, danish_plural, daycare, queries
from tests.factories import MembershipFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def dashboard(koege, client):
    """The dashboard as the municipality's consultant sees it now: the matrix, then the
    drill-down of one indicator, which shows each daycare's evidence. Both read the
    cached evaluation."""
    client.force_login(admin_of(koege))

    def show(code: str) -> str:
        pages = []
        for url in (
            reverse("indicators:municipality", args=[koege.pk]),
            reverse("indicators:indicator", args=[koege.pk, code]),
        ):
            response = client.get(url)
            assert response.status_code == 200
            pages.append(response.content.decode())
        return "\n".join(pages)

    return show


def test_a_named_ambassador_shows_at_once(koege, dashboard):
    sol = daycare(koege, "Solstrålen")
    before = dashboard("institutions.ambassador_named")
    assert danish("No digital ambassador besides the leader.") in before

    MembershipFactory(institution=sol, role=Membership.Role.AMBASSADOR, user__name="Aske Holm")

    after = dashboard("institutions.ambassador_named")
    assert danish("Named: %(names)s", names="Aske Holm") in after
    assert danish("No digital ambassador besides the leader.") not in after


def test_wifi_registered_shows_at_once(koege, dashboard):
    sol = daycare(koege, "Solstrålen")
    assert danish("No site with Wi-Fi registered.") in dashboard("devices.wifi_every_site")

    WifiSite.objects.create(institution=sol, name="Hovedhuset", coverage=WifiSite.Coverage.FULL)

    after = dashboard("devices.wifi_every_site")
    assert danish("No site with Wi-Fi registered.") not in after
    assert danish("Full coverage at %(full)d of %(total)d sites", full=1, total=1) in after


def test_a_wifi_site_removed_shows_at_once(koege, dashboard):
    sol = daycare(koege, "Solstrålen")
    site = WifiSite.objects.create(institution=sol, name="Hovedhuset", coverage="full")
    assert danish("No site with Wi-Fi registered.") not in dashboard("devices.wifi_every_site")

    site.delete()

    assert danish("No site with Wi-Fi registered.") in dashboard("devices.wifi_every_site")


def test_resources_set_aside_show_at_once(koege, dashboard):
    sol = daycare(koege, "Solstrålen")
    year = timezone.localdate().year
    plan = CompetencePlan.objects.create(institution=sol, year=year)
    nothing = danish("No money or hours set aside for %(year)d.", year=year)
    assert nothing in dashboard("competence.resources_set_aside")

    plan.hours = 12
    plan.save()

    assert nothing not in dashboard("competence.resources_set_aside")


def test_attendance_recorded_in_bulk_shows_at_once(koege, dashboard):
    sol = daycare(koege, "Solstrålen")
    admin = admin_of(koege)
    network = Network.objects.create(
        municipality=koege, name="Digitale ambassadører", organiser=admin, cadence=3
    )
    NetworkMember.objects.create(network=network, institution=sol)
    now = timezone.now()
    meetings = [
        Meeting.objects.create(
            network=network,
            starts_at=now - timedelta(days=d, hours=2),
            ends_at=now - timedelta(days=d),
        )
        for d in (30, 60)
    ]

    def took_part(n: int) -> str:
        return danish_plural(
            "Took part in %(n)d of %(held)d meeting in the last 12 months.",
            "Took part in %(n)d of %(held)d meetings in the last 12 months.",
            2,
            n=n,
            held=2,
        )

    assert took_part(0) in dashboard("competence.network_meetings")

    for meeting in meetings:  # attendance is stored with bulk_create: no model signals
        meeting_attendance_save(actor=admin, meeting=meeting, institutions=[sol])

    after = dashboard("competence.network_meetings")
    assert took_part(2) in after
    assert took_part(0) not in after


def test_an_unchanged_dashboard_reads_no_indicator_again(koege, client):
    for n in range(3):
        daycare(koege, f"Dagtilbud {n}", ambassador=n == 0)
    client.force_login(admin_of(koege))
    url = reverse("indicators:municipality", args=[koege.pk])
    client.get(url)  # the session's one-off checks
    indicators_changed()

    evaluating = queries(lambda: client.get(url))
    cached = queries(lambda: client.get(url))

    assert cached <= 15 < evaluating


def test_a_change_in_another_municipality_leaves_this_dashboard_as_it_was(koege, client):
    daycare(koege, "Solstrålen")
    elsewhere = daycare(MunicipalityFactory(name="Solrød Kommune", code="269"), "Havbrisen")
    client.force_login(admin_of(koege))
    url = reverse("indicators:municipality", args=[koege.pk])
    client.get(url)  # the session's one-off checks
    indicators_changed()
    evaluating = queries(lambda: client.get(url))

    WifiSite.objects.create(institution=elsewhere, name="Hovedhuset", coverage="full")
    untouched = queries(lambda: client.get(url))

    WifiSite.objects.create(
        institution=Institution.objects.get(name="Solstrålen"), name="Hovedhuset", coverage="full"
    )
    again = queries(lambda: client.get(url))

    assert untouched <= 15 < evaluating
    assert again == evaluating
