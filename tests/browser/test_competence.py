"""Competence development in the browser, as the issue's "done" story: the administrator
creates the kick-off conference and a network meeting three times a year and plans the
year's meetings; a leader registers herself and an employee and her daycare turns green
in the completeness column; an ambassador shares an experience that a colleague in
another daycare finds by an inflected Danish word; the calendar feed parses."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone, translation

from competence.models import Event, Meeting, Network, Post, Registration
from institutions.models import Membership
from portal.demo import DEMO_PASSWORD
from tests.browser.conftest import check_accessibility, log_in, submit
from tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def da(message: str, **params) -> str:
    with translation.override("da"):
        text = translation.gettext(message)
    return text % params if params else text


def person(email, name, *, totp=False):
    return UserFactory(email=email, name=name, password=DEMO_PASSWORD, totp=totp)


@pytest.fixture
def koege(live_server):
    koege = MunicipalityFactory(name="Køge Kommune", code="259")
    solstraalen = InstitutionFactory(municipality=koege, name="Børnehuset Solstrålen")
    troldehoejen = InstitutionFactory(municipality=koege, name="Troldehøjen")
    MunicipalRoleFactory(
        municipality=koege, user=person("admin@koege.example", "Birgitte Holm", totp=True)
    )
    people = {
        "leader": (solstraalen, Membership.Role.LEADER, "leder@koege.example", "Lone Kjær"),
        "employee": (solstraalen, Membership.Role.STAFF, "paedagog@koege.example", "Sara Holst"),
        "ambassador": (
            solstraalen,
            Membership.Role.AMBASSADOR,
            "ambassador@koege.example",
            "Mads Lund",
        ),
        "colleague": (troldehoejen, Membership.Role.STAFF, "kollega@koege.example", "Pia Berg"),
    }
    for institution, role, email, name in people.values():
        MembershipFactory(
            institution=institution,
            role=role,
            user=person(email, name, totp=role == Membership.Role.LEADER),
        )
    return {"municipality": koege, "daycare": solstraalen, "other": troldehoejen}


def test_the_competence_story_in_the_browser(koege, page, new_context, live_server):
    municipality = koege["municipality"]
    overview = f"/kommune/{municipality.pk}/kompetence/"
    day = timezone.localdate() + timedelta(days=45)

    # The administrator creates the kick-off conference.
    log_in(page, "admin@koege.example", two_factor=True)
    page.locator("header nav.nav").get_by_role("link", name=da("Competence")).click()
    page.wait_for_url(f"**{overview}")
    check_accessibility(page)
    page.get_by_role("link", name=da("New event")).first.click()
    check_accessibility(page)
    page.fill("#id_title", "Opstartskonference om digitalisering")
    page.check("#id_is_kickoff")
    page.fill("#id_day", day.isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "15:30")
    page.fill("#id_place", "Køge Kulturhus")
    page.fill("#id_capacity", "80")
    page.fill("#id_programme", "09.00 Velkomst\n10.00 Workshops")
    submit(page)
    event = Event.objects.get()
    page.wait_for_url(f"**/kompetence/arrangementer/{event.pk}/")
    assert event.is_kickoff and event.capacity == 80
    check_accessibility(page)

    # ... and a network that meets three times a year, then plans next year's meetings.
    page.goto(f"/kommune/{municipality.pk}/kompetence/netvaerk/nyt/")
    check_accessibility(page)
    page.fill("#id_name", "Ambassadørnetværket")
    page.fill("#id_cadence", "3")
    page.get_by_label("Børnehuset Solstrålen").check()
    page.get_by_label("Troldehøjen").check()
    submit(page)
    network = Network.objects.get()
    page.wait_for_url(f"**/kompetence/netvaerk/{network.pk}/")
    check_accessibility(page)
    page.get_by_role("link", name=da("Plan a year's meetings")).click()
    check_accessibility(page)
    year = int(page.input_value("#id_year"))
    submit(page)
    page.wait_for_url(f"**/kompetence/netvaerk/{network.pk}/")
    assert Meeting.objects.filter(network=network, starts_at__year=year).count() == 3
    assert page.locator("#meetings tbody tr").count() == 3
    check_accessibility(page)

    # The leader registers herself and an employee: her daycare is complete.
    leader_page = new_context(bypass_csp=True).new_page()
    log_in(leader_page, "leder@koege.example", two_factor=True)
    leader_page.goto(f"/kompetence/arrangementer/{event.pk}/")
    check_accessibility(leader_page)
    status = leader_page.locator("main .status-badge").first
    assert da("Employee missing") not in status.inner_text()
    for name in ("Lone Kjær", "Sara Holst"):
        leader_page.select_option("#id_person", label=name)
        submit(leader_page)
        leader_page.wait_for_load_state("load")
    assert leader_page.locator(".alert-success").first.is_visible()
    badge = leader_page.locator("main li", has_text="Børnehuset Solstrålen").locator(
        ".status-badge"
    )
    assert badge.inner_text().strip() == da("Leader and employee registered")
    assert "badge-success" in badge.get_attribute("class")
    assert badge.locator("svg use").get_attribute("href") == "#check"
    check_accessibility(leader_page)
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2
    # The kick-off takes the leader and one employee: the ambassador is not offered, and
    # the page says why.
    assert leader_page.locator("#id_person").count() == 0
    note = da(
        "%(place)s has registered its leader and one employee, the seats the kick-off "
        "conference has for each daycare. To send someone else, cancel a registration first.",
        place="Børnehuset Solstrålen",
    )
    assert leader_page.locator("main").get_by_text(note).is_visible()

    # The administrator's completeness column turns green for that daycare only.
    page.goto(f"/kompetence/arrangementer/{event.pk}/tilmeldinger/")
    row = page.locator("#completeness tbody tr", has_text="Børnehuset Solstrålen")
    green = row.locator("td.completeness .status-badge")
    assert green.inner_text().strip() == da("Leader and employee registered")
    assert "badge-success" in green.get_attribute("class")
    other = page.locator("#completeness tbody tr", has_text="Troldehøjen")
    assert "badge-error" in other.locator(".status-badge").get_attribute("class")
    check_accessibility(page)

    # The ambassador shares an experience.
    ambassador = new_context(bypass_csp=True).new_page()
    log_in(ambassador, "ambassador@koege.example", two_factor=False)
    ambassador.goto(f"/kommune/{municipality.pk}/videndeling/ny/")
    check_accessibility(ambassador)
    ambassador.fill("#id_title", "Lyde fra skoven")
    ambassador.fill(
        "#id_body", "Børnene optog lyde på tabletten, og bagefter blev det til en leg med gæt."
    )
    ambassador.get_by_label(da("Nature, outdoor life and science")).check()
    ambassador.fill("#id_device", "iPad")
    ambassador.select_option("#id_age_group", "3_5")
    submit(ambassador)
    post = Post.objects.get()
    ambassador.wait_for_url(f"**/videndeling/{post.pk}/")
    check_accessibility(ambassador)

    # A colleague in another daycare finds it by an inflected word.
    colleague = new_context(bypass_csp=True).new_page()
    log_in(colleague, "kollega@koege.example", two_factor=False)
    colleague.goto(f"/kommune/{municipality.pk}/videndeling/")
    colleague.fill("#search-q", "legede")
    colleague.press("#search-q", "Enter")
    colleague.wait_for_url("**q=legede**")
    hit = colleague.locator(".post-list .post-item").first
    assert hit.get_by_role("link").inner_text() == "Lyde fra skoven"
    assert hit.locator("mark").first.inner_text() == "leg"
    check_accessibility(colleague)
    hit.get_by_role("link").click()
    colleague.get_by_role("button", name=da("Useful")).click()
    colleague.locator("button[aria-pressed=true]").wait_for()
    check_accessibility(colleague)

    # The ambassador subscribes to the calendar; the feed parses with icalendar.
    ambassador.goto("/kalender/")
    check_accessibility(ambassador)
    submit(ambassador)
    ambassador.wait_for_url("**/kalender/")
    feed_url = ambassador.input_value("#feed-url")
    check_accessibility(ambassador)
    response = new_context(bypass_csp=True).request.get(feed_url)  # no login
    assert response.ok
    calendar = icalendar.Calendar.from_ical(response.body())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert summaries == [da("%(network)s: meeting", network="Ambassadørnetværket")] * 3


@pytest.fixture
def seeded(live_server):
    from portal import demo

    demo.seed()
    return live_server


def test_check_in_on_a_tablet_with_big_touch_targets(seeded, page):
    """The consultant takes attendance at the door on a tablet: one tap per person, the
    row and the count change in place (htmx), and the buttons are big enough to hit."""
    from tests.competence.factories import EventFactory, RegistrationFactory

    koege = Event.objects.filter(is_kickoff=True).get().municipality
    today = EventFactory(
        municipality=koege,
        title="Temadag i dag",
        starts_at=timezone.now() - timedelta(minutes=15),
        capacity=30,
    )
    people = Membership.objects.filter(institution__municipality=koege, role="ambassador")[:3]
    for membership in people:
        RegistrationFactory(event=today, institution=membership.institution, user=membership.user)
    page.set_viewport_size({"width": 1024, "height": 768})
    log_in(page, "konsulent@koege.example", two_factor=False)
    page.goto(f"/kompetence/arrangementer/{today.pk}/indtjekning/")
    check_accessibility(page)

    first = page.locator(".checkin-row").first
    button = first.get_by_role("button")
    box = button.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 120, box
    url_before = page.url
    button.click()
    first.locator(".badge-success").wait_for()
    assert page.url == url_before  # answered in place, no page load
    assert page.locator("#checkin-count").inner_text() == da(
        "%(n)s of %(total)s have arrived.", n=1, total=3
    )
    assert Registration.objects.filter(event=today, checked_in_at__isnull=False).count() == 1
    check_accessibility(page)


PAGES_BY_ROLE = {
    "admin@koege.example": [
        "/kommune/{m}/kompetence/ambassadoerer/",
        "/kommune/{m}/kompetence/planer/",
        "/kommune/{m}/kompetence/arrangementer/",
        "/kompetence/arrangementer/{kickoff}/",
        "/kompetence/arrangementer/{kickoff}/tilmeldinger/",
        "/kompetence/arrangementer/{theme_day}/tilmeldinger/",
        "/kompetence/arrangementer/{kickoff}/rediger/",
        "/kommune/{m}/kompetence/netvaerk/",
        "/kompetence/netvaerk/{network}/",
        "/kompetence/netvaerk/{network}/rediger/",
        "/kompetence/moeder/{meeting}/",
        "/kompetence/moeder/{meeting}/referat/",
        "/kompetence/moeder/{meeting}/fremmoede/",
        "/kompetence/moeder/{meeting}/rediger/",
        "/kommune/{m}/videndeling/?q=tablets",
    ],
    "leder@koege.example": [
        "/institutioner/{daycare}/kompetenceplan/{year}/",
        "/institutioner/{daycare}/kompetenceplan/{year}/rediger/",
        "/institutioner/{daycare}/kompetenceplan/{year}/aktiviteter/ny/",
        "/kompetence/arrangementer/{kickoff}/",
        "/videndeling/{post}/",
        "/kalender/",
    ],
}


@pytest.mark.parametrize("email", sorted(PAGES_BY_ROLE))
def test_every_competence_page_of_the_demo_is_accessible(seeded, page, email):
    kickoff = Event.objects.get(is_kickoff=True)
    network = Network.objects.get(name="Ambassadørnetværket")
    leader = Membership.objects.get(user__email="leder@koege.example", role="leader")
    values = {
        "m": kickoff.municipality_id,
        "kickoff": kickoff.pk,
        "theme_day": Event.objects.get(is_kickoff=False).pk,
        "network": network.pk,
        "meeting": network.meetings.filter(starts_at__lt=timezone.now()).last().pk,
        "daycare": leader.institution_id,
        "year": timezone.localdate().year,
        "post": Post.objects.filter(institution=leader.institution).first().pk,
    }
    log_in(page, email, two_factor=email != "konsulent@koege.example")
    for path in PAGES_BY_ROLE[email]:
        response = page.goto(path.format(**values))
        assert response.ok, f"{path}: {response.status}"
        check_accessibility(page)
