"""A leader without places is told that the municipality sets them and whom to ask; the
children a group has now are the children who have started there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from admissions import selectors, services
from institutions.models import MunicipalRole
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
from tests.factories import ChildFactory, MunicipalRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    municipality = koege()
    daycare = make_daycare(municipality, "Solstrålen")
    MunicipalRoleFactory(
        municipality=municipality,
        user=UserFactory(name="Birgitte Holm", email="birgitte@koege.example", totp=True),
    )
    MunicipalRoleFactory(
        municipality=municipality,
        role=MunicipalRole.Role.CONSULTANT,
        user=UserFactory(name="Jonas Brandt", email="jonas@koege.example"),
    )
    return municipality, daycare


def test_an_offer_in_a_month_without_places_says_who_sets_them(town):
    municipality, daycare = town
    group = with_places(daycare, "Egernet", places=1)
    signup = sign_up(municipality, [daycare])

    with pytest.raises(ValidationError) as refused:
        offer(daycare, signup, group, start=next_month(3))

    (message,) = refused.value.messages
    assert message.startswith("Egernet har ingen pladser til nye børn i ")
    assert message.endswith(
        "Kommunen fastsætter antallet af pladser pr. stue og måned: spørg Birgitte Holm "
        "(birgitte@koege.example)."
    )
    assert "Jonas Brandt" not in message  # a consultant does not set places


def test_without_administrators_the_municipality_is_named(town):
    municipality, _daycare = town
    MunicipalRole.objects.filter(role=MunicipalRole.Role.ADMINISTRATOR).delete()
    assert services.places_set_by(municipality) == (
        "Kommunen fastsætter antallet af pladser pr. stue og måned: spørg kommunens forvaltning."
    )


def test_the_leaders_pages_say_who_sets_the_places_and_the_admin_gets_the_link(client, town):
    municipality, daycare = town
    signup = sign_up(municipality, [daycare])
    capacity = reverse("admissions:capacity", args=[daycare.pk])
    client.force_login(leader_of(daycare))

    for url in (
        reverse("admissions:waiting_list", args=[daycare.pk]),
        reverse("admissions:offer_create", args=[daycare.pk, signup.pk]),
        capacity,
    ):
        page = client.get(url).content.decode()
        assert "Kommunen fastsætter antallet af pladser til nye børn pr. stue og måned" in page
        assert '<a href="mailto:birgitte@koege.example">Birgitte Holm</a>' in page
        assert f'href="{capacity}">Fastsæt pladserne' not in page

    client.force_login(_admin(municipality))
    page = client.get(reverse("admissions:waiting_list", args=[daycare.pk])).content.decode()
    assert f'<a href="{capacity}">Fastsæt pladserne</a>' in page


def _admin(municipality):
    return MunicipalRole.objects.get(
        municipality=municipality, role=MunicipalRole.Role.ADMINISTRATOR
    ).user


def test_the_children_now_are_those_who_have_started_and_not_left(town):
    municipality, daycare = town
    group = with_places(daycare, "Egernet", places=1)
    ChildFactory(group=group, started_on=today() - timedelta(days=100))
    ChildFactory(group=group, started_on=None)
    ChildFactory(
        group=group, started_on=today() - timedelta(days=300), left_on=today() - timedelta(days=1)
    )
    signup = sign_up(municipality, [daycare])
    services.offer_accept(actor=signup.parent, offer=offer(daycare, signup, group))  # starts later

    (row,) = selectors.capacity_table(daycare, selectors.months_from(today(), 1))

    assert row.children == 2
