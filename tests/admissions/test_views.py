"""Pages show what each person needs: the family its places and offers, the leader the
waiting list and free places, the municipality its rules and the guarantee list. Bad
input answers with a Danish error and changes nothing; lists keep a fixed query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admissions.models import Capacity, Offer, Policy, Signup
from core.dates import months_before
from institutions.models import Child, Institution, MunicipalRole
from privacy.models import PersonalDataAccess
from tests.admissions.helpers import (
    koege,
    leader_of,
    make_daycare,
    next_month,
    offer,
    sign_up,
    today,
    with_places,
)
from tests.factories import MunicipalityFactory, MunicipalRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    municipality = koege()
    daycares = [
        make_daycare(municipality, "Solstrålen"),
        make_daycare(municipality, "Troldehøjen", kind=Institution.Kind.NURSERY),
        make_daycare(municipality, "Dagplejen", kind=Institution.Kind.CHILDMINDING),
    ]
    return municipality, daycares


def test_a_parent_signs_up_with_three_wishes_and_sees_places_and_guarantee(client, town):
    municipality, daycares = town
    parent = UserFactory(name="Mette Forælder")
    client.force_login(parent)
    start = next_month()
    response = client.post(
        reverse("admissions:signup_create", args=[municipality.pk]),
        {
            "child_first_name": "Ida",
            "child_last_name": "Hansen",
            "birth_date": (today() - timedelta(days=100)).isoformat(),
            "wished_start": start.isoformat(),
            "wish_1": daycares[0].pk,
            "wish_2": daycares[1].pk,
            "wish_3": daycares[2].pk,
        },
    )
    signup = Signup.objects.get(parent=parent)
    assert response.status_code == 302
    assert response["Location"] == reverse("admissions:signup", args=[signup.pk])

    page = client.get(response["Location"]).content.decode()
    assert "Nummer 1 af 1" in page
    assert "Plads garanteret fra" in page
    assert all(d.name in page for d in daycares)
    assert "Nummer 1 af 1" in client.get(reverse("admissions:mine")).content.decode().replace(
        "nummer", "Nummer"
    )


def test_a_sign_up_with_the_same_daycare_twice_is_refused_in_danish(client, town):
    municipality, daycares = town
    client.force_login(UserFactory())
    response = client.post(
        reverse("admissions:signup_create", args=[municipality.pk]),
        {
            "child_first_name": "Ida",
            "child_last_name": "Hansen",
            "birth_date": (today() - timedelta(days=100)).isoformat(),
            "wished_start": (today() - timedelta(days=1)).isoformat(),
            "wish_1": daycares[0].pk,
            "wish_2": daycares[0].pk,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Du har allerede ønsket dette dagtilbud." in page
    assert "Den ønskede startdato kan ikke ligge i fortiden." in page
    assert not Signup.objects.exists()


def test_a_baby_signed_up_for_a_kindergarten_is_refused_with_the_ages_in_danish(client, town):
    municipality, _daycares = town
    kindergarten = make_daycare(municipality, "Egernet", kind=Institution.Kind.KINDERGARTEN)
    client.force_login(UserFactory())
    start = next_month()
    response = client.post(
        reverse("admissions:signup_create", args=[municipality.pk]),
        {
            "child_first_name": "Ida",
            "child_last_name": "Hansen",
            "birth_date": months_before(start, 9).isoformat(),
            "wished_start": start.isoformat(),
            "wish_1": kindergarten.pk,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ida er 9 måneder den " in page
    assert "Egernet er en børnehave for børn fra 3 år til skolestart." in page
    assert not Signup.objects.exists()


def test_the_leader_cannot_offer_a_kindergarten_place_before_the_third_birthday(client, town):
    municipality, _daycares = town
    kindergarten = make_daycare(municipality, "Egernet", kind=Institution.Kind.KINDERGARTEN)
    birthday = next_month(3)
    group = with_places(kindergarten, "Uglen", month=next_month())
    signup = sign_up(
        municipality,
        [kindergarten],
        name="Alma",
        birth=months_before(birthday, 36),
        start=birthday,
    )
    client.force_login(leader_of(kindergarten))

    response = client.post(
        reverse("admissions:offer_create", args=[kindergarten.pk, signup.pk]),
        {
            "group": group.pk,
            "start_date": next_month().isoformat(),
            "deadline": today().isoformat(),
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Alma er 2 år og 10 måneder den " in page
    assert "Egernet er en børnehave for børn fra 3 år til skolestart." in page
    assert not Offer.objects.exists()


def test_a_municipality_without_sign_up_in_the_portal_is_not_found(client, town):
    elsewhere = MunicipalityFactory(name="Solrød Kommune", code="269")
    closed = koege()
    Policy.objects.filter(municipality=closed).update(is_open=False)
    client.force_login(UserFactory())
    assert client.get(reverse("admissions:signup_create", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("admissions:signup_create", args=[closed.pk])).status_code == 404


def test_the_leader_sees_the_waiting_list_and_offers_the_suggested_child(client, town):
    municipality, daycares = town
    group = with_places(daycares[0], "Mariehønen", places=1)
    # Signed up at a month old, Ida's seniority counts from birth: she is before Bo.
    ida = sign_up(municipality, daycares, name="Ida", birth=today() - timedelta(days=30))
    sign_up(municipality, daycares, name="Bo", birth=today() - timedelta(days=300))
    client.force_login(leader_of(daycares[0]))

    page = client.get(reverse("admissions:waiting_list", args=[daycares[0].pk])).content.decode()
    assert page.index("Ida Hansen") < page.index("Bo Hansen")
    assert "Foreslået som næste" in page
    assert "1 af 1 ledige" in page

    url = reverse("admissions:offer_create", args=[daycares[0].pk, ida.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "group": group.pk,
            "start_date": next_month().isoformat(),
            "deadline": today().isoformat(),
        },
    )
    assert response.status_code == 302
    assert Offer.objects.get(signup=ida).group == group
    assert Capacity.objects.get(group=group).free == 0


DANISH_MONTHS = (
    "januar februar marts april maj juni juli august september oktober november december"
)


def test_an_offer_in_a_month_without_places_names_the_month_in_words(client, town):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    bo = sign_up(municipality, daycares, name="Bo")
    later = next_month(3)
    client.force_login(leader_of(daycares[0]))

    response = client.post(
        reverse("admissions:offer_create", args=[daycares[0].pk, bo.pk]),
        {"group": group.pk, "start_date": later.isoformat(), "deadline": today().isoformat()},
    )

    assert response.status_code == 400
    month = f"{DANISH_MONTHS.split()[later.month - 1]} {later.year}"
    assert f"Mariehønen har ingen pladser til nye børn i {month}" in response.content.decode()
    assert f"{later:%m/%Y}" not in response.content.decode()


def test_an_offer_for_a_full_month_shows_the_reason(client, town):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    offer(daycares[0], sign_up(municipality, daycares, name="Ida"), group)
    bo = sign_up(municipality, daycares, name="Bo")
    client.force_login(leader_of(daycares[0]))

    response = client.post(
        reverse("admissions:offer_create", args=[daycares[0].pk, bo.pk]),
        {
            "group": group.pk,
            "start_date": next_month().isoformat(),
            "deadline": today().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "ingen ledig plads" in response.content.decode()
    assert not Offer.objects.filter(signup=bo).exists()


def test_the_parent_accepts_and_the_child_is_in_the_leaders_children_list(client, town):
    municipality, daycares = town
    group = with_places(daycares[0], "Mariehønen")
    signup = sign_up(municipality, daycares, name="Ida")
    made = offer(daycares[0], signup, group)
    client.force_login(signup.parent)

    page = client.get(reverse("admissions:signup", args=[signup.pk])).content.decode()
    assert "Tag imod pladsen" in page
    response = client.post(reverse("admissions:offer_accept", args=[made.pk]))
    assert response.status_code == 302
    assert Child.objects.get(group=group).first_name == "Ida"

    client.force_login(leader_of(daycares[0]))
    children = client.get(reverse("institutions:children", args=[daycares[0].pk]))
    assert "Ida" in children.content.decode()


def test_the_administrator_sets_places_and_bad_months_are_refused(client, town):
    municipality, daycares = town
    group = with_places(daycares[0], "Mariehønen", places=1)
    client.force_login(MunicipalRoleFactory(municipality=municipality).user)
    url = reverse("admissions:capacity", args=[daycares[0].pk])

    ok = client.post(
        url,
        {"group": group.pk, "first_month": next_month().strftime("%Y-%m"), "places": "4"},
    )
    assert ok.status_code == 302
    assert Capacity.objects.get(group=group).places == 4
    bad = client.post(
        url,
        {
            "group": group.pk,
            "first_month": next_month(2).strftime("%Y-%m"),
            "last_month": next_month().strftime("%Y-%m"),
            "places": "4",
        },
    )
    assert bad.status_code == 400
    assert "Den sidste måned skal ligge efter den første." in bad.content.decode()


def test_the_administrator_changes_the_rules(client, town):
    municipality, _daycares = town
    client.force_login(MunicipalRoleFactory(municipality=municipality).user)
    url = reverse("admissions:policy", args=[municipality.pk])
    assert client.get(url).status_code == 200
    data = {
        "is_open": "on",
        "guarantee_age_weeks": "24",
        "guarantee_months_after_signup": "3",
        "seniority_from_birth_months": "3",
        "priority_1": "sibling",
        "priority_2": "seniority",
        "max_wishes": "4",
        "offer_response_days": "10",
        "guarantee_warning_days": "30",
    }
    assert client.post(url, data).status_code == 302
    policy = Policy.objects.get(municipality=municipality)
    assert policy.priority_order == ["sibling", "seniority"]
    assert policy.guarantee_age_weeks == 24
    too_late = client.post(url, {**data, "guarantee_age_weeks": "30"})
    assert too_late.status_code == 400
    assert Policy.objects.get(municipality=municipality).guarantee_age_weeks == 24


def test_the_consultant_sees_the_children_near_the_guarantee_date(client, town):
    municipality, daycares = town
    signup = sign_up(municipality, daycares, name="Ida")
    Signup.objects.filter(pk=signup.pk).update(guarantee_date=today() - timedelta(days=3))
    client.force_login(
        MunicipalRoleFactory(municipality=municipality, role=MunicipalRole.Role.CONSULTANT).user
    )
    page = client.get(reverse("admissions:guarantee", args=[municipality.pk])).content.decode()
    assert "Ida Hansen" in page
    assert "3 dage over" in page


def test_the_waiting_list_keeps_its_query_count_as_it_grows(client, town):
    municipality, daycares = town
    with_places(daycares[0])
    client.force_login(leader_of(daycares[0]))
    url = reverse("admissions:waiting_list", args=[daycares[0].pk])

    def count() -> int:
        client.get(url)  # the first request after login also writes the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    sign_up(municipality, daycares, name="Ida")
    few = count()
    for name in ("Bo", "Eva", "Noah", "Alma", "Karl"):
        sign_up(municipality, daycares, name=name)
    assert count() == few


def test_the_parents_page_keeps_its_query_count_with_more_sign_ups(client, town):
    municipality, daycares = town
    parent = UserFactory()
    client.force_login(parent)
    url = reverse("admissions:mine")

    def count() -> int:
        client.get(url)  # the first request after login also writes the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    sign_up(municipality, daycares, parent=parent, name="Ida")
    few = count()
    for name in ("Bo", "Eva", "Noah"):
        sign_up(municipality, daycares, parent=parent, name=name)
    assert count() == few


def _school_starters(daycare, numbers):
    """Children of the daycare who start school at the next school start, with a parent."""
    from admissions import rules
    from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory

    now = today()
    year = now.year if now.month < rules.SCHOOL_START_MONTH else now.year + 1
    group = daycare.groups.first() or GroupFactory(institution=daycare, name="Bjørnene")
    for n in numbers:
        child = ChildFactory(
            group=group,
            first_name=f"Skolebarn{n:02d}",
            birth_date=date(year - 6, 3, 1) + timedelta(days=n),
            started_on=now - timedelta(days=900),
        )
        GuardianshipFactory(child=child)


def test_the_school_start_page_keeps_a_fixed_number_of_queries_and_moves_a_child(client, town):
    from tests.factories import GroupFactory

    municipality, daycares = town
    daycare = daycares[0]
    school = make_daycare(municipality, "Ellebækskolen", kind=Institution.Kind.SCHOOL)
    club = make_daycare(municipality, "SFO Ellebæk", kind=Institution.Kind.AFTER_SCHOOL)
    school_class = GroupFactory(institution=school, name="0.A")
    club_group = GroupFactory(institution=club, name="Myretuen")
    client.force_login(leader_of(daycare))
    path = reverse("admissions:moving_on", args=[daycare.pk])
    _school_starters(daycare, range(1))
    client.get(path)

    with CaptureQueriesContext(connection) as few:
        client.get(path)
    _school_starters(daycare, range(1, 11))
    with CaptureQueriesContext(connection) as many:
        page = client.get(path).content.decode()

    assert len(few) == len(many)
    assert page.count('name="school_group"') == 11
    assert "Ellebækskolen: 0.A" in page

    child = Child.objects.get(first_name="Skolebarn03")
    response = client.post(
        path,
        {
            "child": child.pk,
            "school_group": school_class.pk,
            "after_school_group": club_group.pk,
            "on": (today() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    moved = Child.objects.filter(first_name="Skolebarn03").exclude(pk=child.pk)
    assert {c.group for c in moved} == {school_class, club_group}
    # The move is a change to the child's data, logged with it.
    assert PersonalDataAccess.objects.filter(
        child=child, action="change", purpose="Children moving on to school or kindergarten"
    ).exists()
