"""Pages: what each person sees, forms that refuse bad input in Danish and store nothing,
and list and calendar pages with a fixed number of queries however many rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devices.models import Booking, Device, WaitingListEntry
from tests.devices.helpers import book, make_device, make_suitcase, monday
from tests.factories import GroupFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def test_the_inventory_shows_groups_without_a_tablet(world, login):
    make_device(world.institution, group=world.objects["room"])
    page = login(world.user("staff")).get(
        reverse("devices:institution", args=[world.institution.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 stue eller hjem har ingen tilgængelig tablet eller pc" in text
    assert "Egernet" in text and "Registrér udstyr" not in text  # staff only read


def test_an_ambassador_registers_several_tablets_for_a_room(world, login):
    client = login(world.user("ambassador"))
    url = reverse("devices:device_create", args=[world.institution.pk])
    response = client.post(
        url,
        {
            "kind": "tablet",
            "model": "iPad 10",
            "serial_numbers": "X1\nX2",
            "group": world.institution.groups.get(name="Egernet").pk,
            "status": "available",
            "price_ore": "3.499",
        },
    )
    assert response.status_code == 302
    assert Device.objects.filter(group__name="Egernet", price_ore=349_900).count() == 2


def test_bad_input_is_refused_in_danish_and_nothing_is_stored(world, login):
    client = login(world.user("leader"))
    response = client.post(
        reverse("devices:device_create", args=[world.institution.pk]),
        {"kind": "tablet", "model": "iPad", "price_ore": "12.5", "status": "available"},
    )
    assert response.status_code == 200
    assert "Skriv beløbet i kroner" in response.content.decode()
    assert not Device.objects.exists()


def test_an_overlapping_booking_is_refused_on_the_page(world, login):
    suitcase = make_suitcase(world.municipality)
    book(suitcase, world.neighbour, monday(2), monday(2) + timedelta(4))
    response = login(world.user("leader")).post(
        reverse("devices:booking_create", args=[suitcase.pk]),
        {
            "institution": world.institution.pk,
            "starts_on": (monday(2) + timedelta(1)).isoformat(),
            "ends_on": (monday(3)).isoformat(),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "er allerede booket af Troldehøjen" in text
    assert Booking.objects.filter(institution=world.institution).count() == 0


def test_a_leader_cannot_book_for_another_daycare(world, login):
    suitcase = make_suitcase(world.municipality)
    response = login(world.user("leader")).post(
        reverse("devices:booking_create", args=[suitcase.pk]),
        {
            "institution": world.neighbour.pk,
            "starts_on": monday(2).isoformat(),
            "ends_on": (monday(2) + timedelta(4)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert not Booking.objects.exists()


def test_a_return_with_a_missing_item_is_flagged_on_the_page(world, login):
    suitcase = make_suitcase(world.municipality, home_base=world.neighbour)
    booking = book(
        suitcase, world.institution, monday(1), monday(1) + timedelta(4), status="handed_out"
    )
    items = {i.name: i for i in suitcase.items.all()}
    client = login(world.user("other_leader"))  # the home base takes it back
    response = client.post(
        reverse("devices:return", args=[booking.pk]),
        {
            f"counted_{items['Bee-Bot'].pk}": 5,
            f"broken_{items['Bee-Bot'].pk}": 0,
            f"counted_{items['iPad'].pk}": 2,
            f"broken_{items['iPad'].pk}": 0,
            "note": "",
            "returned_on": (monday(1) + timedelta(4)).isoformat(),
        },
        follow=True,
    )
    assert "administratorerne har fået besked" in response.content.decode()
    booking.refresh_from_db()
    assert booking.flagged and booking.status == "returned"


def _grow(world, n: int):
    """n more groups with a device each, and n more bookings and daycares."""
    suitcase = world.objects.get("grow_suitcase") or make_suitcase(world.municipality, name="Vækst")
    world.objects["grow_suitcase"] = suitcase
    start = monday(2) + timedelta(weeks=len(world.objects.setdefault("grown", [])))
    for i in range(n):
        group = GroupFactory(institution=world.institution, name=f"Stue {start}-{i}")
        make_device(world.institution, group=group)
        daycare = InstitutionFactory(municipality=world.municipality, name=f"Hus {start}-{i}")
        GroupFactory(institution=daycare, name="Stuen")
        Booking.objects.create(
            suitcase=suitcase,
            institution=world.institution,
            starts_on=start + timedelta(days=i),
            ends_on=start + timedelta(days=i),
            booked_ends_on=start + timedelta(days=i),
        )
        world.objects["grown"].append(daycare)


PAGES = [
    ("staff", lambda w: reverse("devices:institution", args=[w.institution.pk])),
    (
        "staff",
        lambda w: (
            reverse("devices:institution_calendar", args=[w.institution.pk])
            + f"?maaned={monday(2):%Y-%m}"
        ),
    ),
    (
        "admin",
        lambda w: (
            reverse("devices:suitcase_calendar", args=[w.objects["grow_suitcase"].pk])
            + f"?maaned={monday(2):%Y-%m}"
        ),
    ),
    ("admin", lambda w: reverse("devices:municipality", args=[w.municipality.pk])),
    ("leader", lambda w: reverse("devices:suitcases", args=[w.municipality.pk])),
]


@pytest.mark.parametrize("role,url", PAGES)
def test_lists_and_calendars_keep_a_fixed_query_count(world, login, role, url):
    client = login(world.user(role))
    _grow(world, 2)
    client.get(url(world))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(world)).status_code == 200
    _grow(world, 6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(world)).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_the_suitcase_list_counts_items_once_however_long_the_waiting_list(world, login):
    suitcase = make_suitcase(world.municipality, name="Robotkufferten")  # 6 + 2 items
    for status in ("waiting", "withdrawn", "declined"):
        WaitingListEntry.objects.create(
            suitcase=suitcase, institution=world.institution, status=status
        )

    page = login(world.user("admin")).get(
        reverse("devices:suitcases", args=[world.municipality.pk])
    )

    text = page.content.decode()
    assert "8 ting" in text
    assert "24 ting" not in text


def test_the_calendar_offers_booking_only_to_those_who_may_book(world, login):
    suitcase = make_suitcase(world.municipality)
    path = reverse("devices:suitcase_calendar", args=[suitcase.pk])
    book_url = reverse("devices:booking_create", args=[suitcase.pk])

    assert book_url in login(world.user("ambassador")).get(path).content.decode()
    staff_page = login(world.user("staff")).get(path)
    assert staff_page.status_code == 200
    assert book_url not in staff_page.content.decode()
