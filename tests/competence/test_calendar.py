"""The personal calendar feed: a secret, revocable address with only the person's own
meetings and events, readable by a phone or Outlook without logging in."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from competence import services
from competence.models import CalendarFeed
from tests.competence.factories import (
    EventFactory,
    MeetingFactory,
    NetworkFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(world):
    """The ambassador's meeting and event, and others' that must stay out of the feed."""
    soon = timezone.now() + timedelta(days=20)
    ambassadors = NetworkFactory(
        municipality=world.municipality, name="Ambassadørnetværket", audience="ambassadors"
    )
    ambassadors.members.add(world.institution)
    leaders = NetworkFactory(
        municipality=world.municipality, name="Ledernetværket", audience="leaders"
    )
    leaders.members.add(world.institution)
    elsewhere = NetworkFactory(municipality=world.municipality, name="Naboernes netværk")
    elsewhere.members.add(world.neighbour)
    conference = EventFactory(municipality=world.municipality, title="Opstartskonference")
    theme_day = EventFactory(municipality=world.municipality, title="Temadag for andre")
    RegistrationFactory(
        event=conference, institution=world.institution, user=world.users["ambassador"]
    )
    RegistrationFactory(event=theme_day, institution=world.institution, user=world.users["staff"])
    return {
        "mine": MeetingFactory(network=ambassadors, starts_at=soon),
        "leaders": MeetingFactory(network=leaders, starts_at=soon),
        "elsewhere": MeetingFactory(network=elsewhere, starts_at=soon),
        "conference": conference,
    }


def read_feed(client, token) -> icalendar.Calendar:
    response = client.get(reverse("competence:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_feed_has_only_the_persons_own_meetings_and_events(client, world, agenda):
    feed = services.calendar_feed_create(user=world.users["ambassador"])

    calendar = read_feed(client, feed.token)  # no login: the token is the credential

    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["Ambassadørnetværket: møde", "Opstartskonference"]
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert f"competence-meeting-{agenda['mine'].pk}@dagtilbudsportalen.dk" in uids
    assert calendar.walk("VTIMEZONE"), "times carry their time zone"


def test_the_organiser_sees_the_networks_meetings(client, world, agenda):
    network = agenda["elsewhere"].network
    network.organiser = world.users["consultant"]
    network.save()
    feed = services.calendar_feed_create(user=world.users["consultant"])

    calendar = read_feed(client, feed.token)

    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Naboernes netværk: møde"]


def test_a_revoked_address_is_not_found(client, world, agenda):
    feed = services.calendar_feed_create(user=world.users["ambassador"])
    url = reverse("competence:calendar_feed", args=[feed.token])
    assert client.get(url).status_code == 200

    services.calendar_feed_revoke(user=world.users["ambassador"])

    assert client.get(url).status_code == 404


def test_a_new_address_replaces_the_old_one(client, world, agenda):
    old = services.calendar_feed_create(user=world.users["ambassador"])
    new = services.calendar_feed_create(user=world.users["ambassador"])

    assert client.get(reverse("competence:calendar_feed", args=[old.token])).status_code == 404
    assert read_feed(client, new.token).walk("VEVENT")
    assert CalendarFeed.objects.filter(user=world.users["ambassador"], revoked_at=None).count() == 1


def test_an_unknown_token_and_an_inactive_person_get_nothing(client, world, agenda):
    assert (
        client.get(reverse("competence:calendar_feed", args=["gaet-et-token"])).status_code == 404
    )
    feed = services.calendar_feed_create(user=world.users["ambassador"])
    world.users["ambassador"].is_active = False
    world.users["ambassador"].save()
    assert client.get(reverse("competence:calendar_feed", args=[feed.token])).status_code == 404


def test_the_calendar_page_shows_the_address_and_revokes_it(client, world, agenda):
    client.force_login(world.users["ambassador"])
    assert client.post(reverse("competence:calendar")).status_code == 302
    feed = CalendarFeed.objects.get(user=world.users["ambassador"], revoked_at=None)

    page = client.get(reverse("competence:calendar")).content.decode()
    assert f"/kalender/{feed.token}.ics" in page

    client.post(reverse("competence:calendar_revoke"))
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert feed.token not in client.get(reverse("competence:calendar")).content.decode()


def test_the_event_calendar_file_parses(client, world, agenda):
    client.force_login(world.users["staff"])
    response = client.get(reverse("competence:event_ics", args=[agenda["conference"].pk]))
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Opstartskonference"
    assert str(vevent["LOCATION"]) == "Køge Kulturhus"
