"""The core flow through the services: sign-up, waiting list, offer, answer, withdraw."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from admissions import selectors, services
from admissions.models import Capacity, Letter, Offer, Signup, Wish
from core.models import Notification
from institutions.models import Child, Guardianship, Institution
from tests.admissions.helpers import (
    koege,
    leader_of,
    make_daycare,
    make_policy,
    next_month,
    offer,
    sign_up,
    today,
    with_places,
)
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    municipality = koege()
    first = make_daycare(municipality, "Solstrålen")
    second = make_daycare(municipality, "Troldehøjen", kind=Institution.Kind.NURSERY)
    third = make_daycare(municipality, "Dagplejen", kind=Institution.Kind.CHILDMINDING)
    return municipality, [first, second, third]


def test_a_sign_up_keeps_the_ranked_wishes_and_dates_the_guarantee(town):
    municipality, daycares = town
    signup = sign_up(municipality, daycares, birth=today() - timedelta(days=30))

    assert [w.institution for w in signup.wishes.order_by("rank")] == daycares
    assert signup.state == Signup.State.WAITING
    assert signup.channel == Signup.Channel.DIGITAL
    # Signed up at one month old: seniority from birth.
    assert signup.seniority_date == signup.birth_date
    assert signup.guarantee_date >= signup.birth_date + timedelta(weeks=26)
    assert Letter.objects.filter(signup=signup, kind=Letter.Kind.SIGNED_UP).exists()


def test_more_wishes_than_the_municipality_allows_are_refused(town):
    municipality, daycares = town
    make_policy(municipality, max_wishes=2)

    with pytest.raises(ValidationError, match=r"højst 2|at most 2"):
        sign_up(municipality, daycares)
    assert not Signup.objects.exists()


def test_a_daycare_of_another_municipality_cannot_be_wished(town):
    municipality, daycares = town
    elsewhere = make_daycare(koege_other(), "Havtornen")

    with pytest.raises(ValidationError):
        sign_up(municipality, [daycares[0], elsewhere])
    assert not Signup.objects.exists()


def koege_other():
    from tests.factories import MunicipalityFactory

    return MunicipalityFactory(name="Solrød Kommune", code="269")


def test_the_leader_offers_and_the_parent_accepts_the_child_is_enrolled(
    town, django_capture_on_commit_callbacks
):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    parent = UserFactory(name="Mette Forælder")
    signup = sign_up(municipality, daycares, parent=parent)

    made = offer(daycares[0], signup, group)
    capacity = Capacity.objects.get(group=group)
    assert capacity.offered == 1 and capacity.free == 0
    services.offer_accept(actor=parent, offer=made)

    signup.refresh_from_db()
    made.refresh_from_db()
    assert made.state == Offer.State.ACCEPTED
    assert signup.state == Signup.State.PLACED
    child = signup.child
    assert child.group == group and child.started_on == made.start_date
    assert Guardianship.objects.filter(child=child, guardian=parent).exists()
    assert Capacity.objects.get(group=group).offered == 1  # the place stays taken
    assert list(Letter.objects.filter(signup=signup).values_list("kind", flat=True)) == [
        "signed_up",
        "offer",
        "accepted",
    ]
    assert Notification.objects.filter(
        recipient=leader_of(daycares[0]), kind="admissions.offer_accepted_leader"
    ).exists()


def test_an_offer_needs_a_free_place(town):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    offer(daycares[0], sign_up(municipality, daycares, name="Ida"), group)
    second = sign_up(municipality, daycares, name="Bo")

    with pytest.raises(ValidationError, match=r"ledig|free"):
        offer(daycares[0], second, group)
    assert not Offer.objects.filter(signup=second).exists()


def test_an_offer_in_a_month_without_places_is_refused(town):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    signup = sign_up(municipality, daycares)

    with pytest.raises(ValidationError):
        offer(daycares[0], signup, group, start=next_month(3))


def test_a_daycare_not_wished_cannot_offer(town):
    municipality, daycares = town
    group = with_places(daycares[1])
    signup = sign_up(municipality, [daycares[0]])

    with pytest.raises(ValidationError):
        offer(daycares[1], signup, group)


def test_declining_gives_the_place_back_and_suggests_the_next_child(town):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    first = sign_up(municipality, daycares, name="Ida", birth=today() - timedelta(days=200))
    second = sign_up(municipality, daycares, name="Bo", birth=today() - timedelta(days=100))
    made = offer(daycares[0], first, group)

    services.offer_decline(actor=first.parent, offer=made)

    assert Capacity.objects.get(group=group).offered == 0
    assert Wish.objects.get(signup=first, institution=daycares[0]).declined_at is not None
    rows = selectors.waiting_list(daycares[0])
    assert [r.signup for r in rows] == [second]
    assert rows[0].suggested
    note = Notification.objects.get(kind="admissions.offer_declined_leader")
    assert "Bo" in note.body
    # Still waiting for the other wishes.
    first.refresh_from_db()
    assert first.state == Signup.State.WAITING


def test_an_offer_past_its_deadline_cannot_be_accepted_and_expires(town):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    signup = sign_up(municipality, daycares)
    made = offer(daycares[0], signup, group, deadline=today())
    Offer.objects.filter(pk=made.pk).update(deadline=today() - timedelta(days=1))
    made.refresh_from_db()

    with pytest.raises(ValidationError):
        services.offer_accept(actor=signup.parent, offer=made)
    assert services.offers_expire() == 1
    assert services.offers_expire() == 0  # idempotent

    made.refresh_from_db()
    assert made.state == Offer.State.EXPIRED
    assert Capacity.objects.get(group=group).offered == 0
    assert Letter.objects.filter(signup=signup, kind=Letter.Kind.EXPIRED).exists()


def test_withdrawing_cancels_the_open_offer(town):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    signup = sign_up(municipality, daycares)
    made = offer(daycares[0], signup, group)

    services.signup_withdraw(actor=signup.parent, signup=signup)

    made.refresh_from_db()
    signup.refresh_from_db()
    assert made.state == Offer.State.CANCELLED
    assert signup.state == Signup.State.WITHDRAWN
    assert Capacity.objects.get(group=group).offered == 0
    with pytest.raises(ValidationError):
        services.signup_change_wishes(actor=signup.parent, signup=signup, wishes=daycares[:1])


def test_changing_wishes_keeps_seniority_and_a_declined_daycare_stays_declined(town):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    signup = sign_up(municipality, daycares)
    services.offer_decline(actor=signup.parent, offer=offer(daycares[0], signup, group))
    seniority = signup.seniority_date

    services.signup_change_wishes(
        actor=signup.parent, signup=signup, wishes=[daycares[2], daycares[0]]
    )

    wishes = list(signup.wishes.order_by("rank"))
    assert [w.institution for w in wishes] == [daycares[2], daycares[0]]
    assert wishes[1].declined_at is not None
    signup.refresh_from_db()
    assert signup.seniority_date == seniority
    assert Letter.objects.filter(signup=signup, kind=Letter.Kind.WISHES_CHANGED).exists()


def test_the_wish_with_an_open_offer_cannot_be_removed(town):
    municipality, daycares = town
    group = with_places(daycares[0])
    signup = sign_up(municipality, daycares)
    offer(daycares[0], signup, group)

    with pytest.raises(ValidationError):
        services.signup_change_wishes(actor=signup.parent, signup=signup, wishes=daycares[1:])


def test_the_database_refuses_two_open_or_two_accepted_offers_for_a_child(town):
    municipality, daycares = town
    group = with_places(daycares[0], places=3)
    signup = sign_up(municipality, daycares)
    made = offer(daycares[0], signup, group)

    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            signup=signup,
            institution=daycares[0],
            group=group,
            capacity=made.capacity,
            start_date=made.start_date,
            deadline=made.deadline,
        )
    Offer.objects.filter(pk=made.pk).update(state="accepted", answered_at=made.made_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            signup=signup,
            institution=daycares[0],
            group=group,
            capacity=made.capacity,
            start_date=made.start_date,
            deadline=made.deadline,
            state="accepted",
            answered_at=made.made_at,
        )


def test_the_database_refuses_more_offers_than_places(town):
    municipality, daycares = town
    group = with_places(daycares[0], places=1)
    offer(daycares[0], sign_up(municipality, daycares), group)

    with pytest.raises(IntegrityError), transaction.atomic():
        Capacity.objects.filter(group=group).update(offered=2)


def test_places_already_offered_cannot_be_taken_away(town):
    municipality, daycares = town
    group = with_places(daycares[0], places=2)
    offer(daycares[0], sign_up(municipality, daycares), group)

    with pytest.raises(ValidationError):
        services.capacity_set(
            actor=None, group=group, first_month=next_month(), last_month=None, places=0
        )
    assert Capacity.objects.get(group=group).places == 2


def test_a_sibling_in_the_daycare_comes_first_when_the_municipality_says_so(town):
    municipality, daycares = town
    make_policy(municipality, priority_order=["sibling", "seniority", "waiting_time"])
    older = sign_up(municipality, daycares[:1], name="Ida", birth=today() - timedelta(days=300))
    parent = UserFactory()
    GuardianshipFactory(
        guardian=parent, child=ChildFactory(group=GroupFactory(institution=daycares[0]))
    )
    younger = sign_up(
        municipality, daycares[:1], parent=parent, name="Bo", birth=today() - timedelta(days=30)
    )

    rows = selectors.waiting_list(daycares[0])
    assert [r.signup for r in rows] == [younger, older]
    assert rows[0].sibling


def test_special_needs_priority_is_the_municipalitys_assessment(town):
    municipality, daycares = town
    first = sign_up(municipality, daycares[:1], name="Ida", birth=today() - timedelta(days=300))
    second = sign_up(municipality, daycares[:1], name="Bo", birth=today() - timedelta(days=30))
    services.signup_set_needs_priority(actor=None, signup=second, priority=True)

    assert [r.signup for r in selectors.waiting_list(daycares[0])] == [second, first]
    places = selectors.positions_for([Signup.objects.get(pk=first.pk)])[first.pk]
    assert (places[0].position, places[0].total) == (2, 2)


def test_new_rules_move_the_guarantee_dates_of_children_waiting(town):
    municipality, daycares = town
    birth = today() - timedelta(days=7)
    signup = sign_up(municipality, daycares, birth=birth, start=today() + timedelta(days=1))
    assert signup.guarantee_date == birth + timedelta(weeks=26)

    services.policy_update(actor=None, municipality=municipality, guarantee_age_weeks=20)

    signup.refresh_from_db()
    assert signup.guarantee_date == birth + timedelta(weeks=20)


def test_rules_less_generous_than_the_law_are_refused(town):
    municipality, _daycares = town
    with pytest.raises(ValidationError):
        services.policy_update(actor=None, municipality=municipality, guarantee_age_weeks=30)
    with pytest.raises(ValidationError):
        services.policy_update(
            actor=None, municipality=municipality, guarantee_months_after_signup=4
        )


def test_a_child_from_a_nursery_moves_to_kindergarten_with_its_guardians(town):
    municipality, daycares = town
    parent = UserFactory()
    other_parent = UserFactory()
    nursery_child = ChildFactory(
        group=GroupFactory(institution=daycares[1]),
        birth_date=today() - timedelta(days=2 * 365 + 300),
        started_on=today() - timedelta(days=400),
    )
    GuardianshipFactory(guardian=parent, child=nursery_child)
    GuardianshipFactory(guardian=other_parent, child=nursery_child)
    group = with_places(daycares[0])
    signup = sign_up(
        municipality,
        daycares[:1],
        parent=parent,
        birth=nursery_child.birth_date,
        current_child=nursery_child,
    )

    services.offer_accept(actor=parent, offer=offer(daycares[0], signup, group))

    nursery_child.refresh_from_db()
    assert nursery_child.left_on == next_month() - timedelta(days=1)
    new = Child.objects.get(group=group)
    assert set(new.guardians.all()) == {parent, other_parent}


def test_school_start_moves_the_child_to_school_and_after_school_care(town):
    municipality, daycares = town
    school = make_daycare(municipality, "Ellebækskolen", kind=Institution.Kind.SCHOOL)
    club = make_daycare(municipality, "SFO Ellebæk", kind=Institution.Kind.AFTER_SCHOOL)
    child = ChildFactory(
        group=GroupFactory(institution=daycares[0]), started_on=today() - timedelta(days=900)
    )
    parent = GuardianshipFactory(child=child).guardian
    school_class = GroupFactory(institution=school, name="0.A")
    club_group = GroupFactory(institution=club, name="Myretuen")
    first_day = today() + timedelta(days=30)

    new = services.child_move_to_school(
        actor=leader_of(daycares[0]),
        child=child,
        school_group=school_class,
        after_school_group=club_group,
        on=first_day,
    )

    child.refresh_from_db()
    assert child.left_on == first_day - timedelta(days=1)
    assert {c.group for c in new} == {school_class, club_group}
    assert all(parent in c.guardians.all() for c in new)
    assert Notification.objects.filter(recipient=parent, kind="admissions.moved_on").exists()
    with pytest.raises(ValidationError):
        services.child_move_to_school(
            actor=None,
            child=child,
            school_group=school_class,
            after_school_group=None,
            on=first_day,
        )


def test_children_near_the_guarantee_date_without_an_offer_are_listed(town):
    municipality, daycares = town
    make_policy(municipality, guarantee_warning_days=30)
    group = with_places(daycares[0])
    near = sign_up(municipality, daycares, name="Ida")
    offered = sign_up(municipality, daycares, name="Bo")
    later = sign_up(municipality, daycares, name="Eva")
    Signup.objects.filter(pk__in=[near.pk, offered.pk]).update(
        guarantee_date=today() + timedelta(days=10)
    )
    Signup.objects.filter(pk=later.pk).update(guarantee_date=today() + timedelta(days=90))
    offer(daycares[0], offered, group)

    assert selectors.near_guarantee(municipality) == [near]
    assert services.guarantee_alerts_send() == 1
