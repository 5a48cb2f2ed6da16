"""A place is for a child of the age the daycare takes, on the day the place starts:
nursery and childminding 0-2 years, kindergarten from 3 years to school start, an
integrated institution both. Checked at sign-up, at the offer and at acceptance."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from admissions import services
from admissions.models import Capacity, Offer, Signup
from core.dates import months_before
from institutions.models import Child, Institution
from tests.admissions.helpers import (
    koege,
    make_daycare,
    next_month,
    offer,
    sign_up,
    with_places,
)

pytestmark = pytest.mark.django_db

Kind = Institution.Kind


@pytest.fixture
def town():
    municipality = koege()
    return municipality, {
        "integrated": make_daycare(municipality, "Solstrålen"),
        "kindergarten": make_daycare(municipality, "Troldehøjen", kind=Kind.KINDERGARTEN),
        "nursery": make_daycare(municipality, "Myretuen", kind=Kind.NURSERY),
        "childminding": make_daycare(municipality, "Dagplejen", kind=Kind.CHILDMINDING),
    }


def aged(months: int, *, on=None):
    """The birth date of a child who is `months` months old on `on` (next month's first)."""
    return months_before(on or next_month(), months)


def test_a_baby_cannot_be_signed_up_for_a_kindergarten(town):
    municipality, places = town

    with pytest.raises(ValidationError) as refused:
        sign_up(
            municipality,
            [places["integrated"], places["kindergarten"]],
            name="Ida",
            birth=aged(9),
        )

    (message,) = refused.value.messages
    assert message.startswith("Ida er 9 måneder den ")
    assert message.endswith(" Troldehøjen er en børnehave for børn fra 3 år til skolestart.")
    assert not Signup.objects.exists()


@pytest.mark.parametrize(
    ("months", "takes", "refuses", "age"),
    [
        (35, ["integrated", "nursery", "childminding"], "kindergarten", "2 år og 11 måneder"),
        (36, ["integrated", "kindergarten"], "nursery", "3 år"),
        (36, ["kindergarten"], "childminding", "3 år"),
    ],
)
def test_the_third_birthday_divides_nursery_and_kindergarten(town, months, takes, refuses, age):
    municipality, places = town
    sign_up(municipality, [places[k] for k in takes], name="Bo", birth=aged(months))

    with pytest.raises(ValidationError, match=f"Bo er {age} den .* {places[refuses].name} er "):
        sign_up(municipality, [places[refuses]], name="Bo", birth=aged(months))
    assert Signup.objects.count() == 1


def test_a_new_wish_for_a_kindergarten_is_refused_for_a_baby_and_the_old_ones_stay(town):
    municipality, places = town
    signup = sign_up(municipality, [places["nursery"]], birth=aged(9))

    with pytest.raises(ValidationError, match="Troldehøjen er en børnehave"):
        services.signup_change_wishes(
            actor=signup.parent,
            signup=signup,
            wishes=[places["nursery"], places["kindergarten"]],
        )

    assert [w.institution for w in signup.wishes.all()] == [places["nursery"]]


def test_a_kindergarten_place_cannot_be_offered_before_the_third_birthday(town):
    municipality, places = town
    kindergarten = places["kindergarten"]
    early = months_before(next_month(3), 2)
    group = with_places(kindergarten, "Uglen", month=early.replace(day=1))
    # Signed up to start on the third birthday; the leader offers two months before it.
    signup = sign_up(
        municipality,
        [kindergarten],
        name="Alma",
        birth=aged(36, on=next_month(3)),
        start=next_month(3),
    )

    with pytest.raises(ValidationError) as refused:
        offer(kindergarten, signup, group, start=early)

    assert refused.value.messages[0].startswith("Alma er 2 år og 10 måneder den ")
    assert not Offer.objects.exists()
    assert Capacity.objects.get(group=group).offered == 0


def test_an_offer_for_a_child_too_young_is_not_accepted(town):
    municipality, places = town
    kindergarten = places["kindergarten"]
    group = with_places(kindergarten, "Uglen")
    signup = sign_up(municipality, [kindergarten], name="Karl", birth=aged(40))
    made = offer(kindergarten, signup, group)
    # The birth date was typed wrong and corrected after the offer: Karl is a baby.
    Signup.objects.filter(pk=signup.pk).update(birth_date=aged(7))

    with pytest.raises(ValidationError, match=r"Karl er 7 måneder den .* Troldehøjen er en "):
        services.offer_accept(actor=signup.parent, offer=made)

    made.refresh_from_db()
    assert made.state == Offer.State.PENDING
    assert not Child.objects.exists()
    assert Signup.objects.get(pk=signup.pk).state == Signup.State.WAITING


def test_an_integrated_institution_takes_a_baby_and_a_five_year_old(town):
    municipality, places = town
    integrated = places["integrated"]
    group = with_places(integrated, "Myren", places=2)
    for name, months in (("Ella", 8), ("Storm", 60)):
        signup = sign_up(municipality, [integrated], name=name, birth=aged(months))
        services.offer_accept(actor=signup.parent, offer=offer(integrated, signup, group))
    assert Child.objects.filter(group=group).count() == 2
