"""Bookings: no two bookings of a suitcase overlap (hand-over days included), the refusal
is explained in Danish, closure days are respected, the waiting list is offered freed
days, and a return with a missing item is flagged to the administrators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from core.models import Notification
from devices import services
from devices.models import Booking, BookingCheck, SuitcaseClosure, WaitingListEntry
from messaging.models import ClosurePeriod
from tests.devices.helpers import book, make_suitcase, monday
from tests.smtp import body_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def suitcase(world):
    return make_suitcase(world.municipality, home_base=world.neighbour)


def test_a_free_period_is_booked(world, suitcase):
    booking = book(suitcase, world.institution, monday(2), monday(2) + timedelta(4))
    assert booking.status == Booking.Status.BOOKED
    assert booking.buffer_days == 2 and booking.booked_ends_on == booking.ends_on


def test_an_overlapping_booking_is_refused_in_danish_naming_the_other(world, suitcase):
    book(suitcase, world.institution, monday(2), monday(2) + timedelta(4))
    with translation.override("da"), pytest.raises(ValidationError) as refused:
        book(suitcase, world.neighbour, monday(2) + timedelta(2), monday(3))
    message = refused.value.messages[0]
    assert "allerede booket af Solstrålen" in message
    assert Booking.objects.filter(institution=world.neighbour).count() == 0


def test_hand_over_days_keep_the_days_after_a_return_free(world, suitcase):
    book(suitcase, world.institution, monday(2), monday(2) + timedelta(2))  # Mon–Wed
    # Two hand-over days: Thursday and Friday stay free; Monday after is bookable.
    with pytest.raises(ValidationError):
        book(suitcase, world.neighbour, monday(2) + timedelta(4), monday(3))
    book(suitcase, world.neighbour, monday(3), monday(3) + timedelta(4))


def test_the_exclusion_constraint_refuses_an_overlap_inserted_directly(world, suitcase):
    start = monday(2)
    Booking.objects.create(
        suitcase=suitcase,
        institution=world.institution,
        starts_on=start,
        ends_on=start + timedelta(4),
        booked_ends_on=start + timedelta(4),
        buffer_days=2,
    )
    with pytest.raises(IntegrityError, match="devices_booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            suitcase=suitcase,
            institution=world.neighbour,
            starts_on=start + timedelta(6),  # within the two hand-over days
            ends_on=start + timedelta(9),
            booked_ends_on=start + timedelta(9),
        )
    # A cancelled booking holds nothing; another suitcase is another matter.
    Booking.objects.create(
        suitcase=suitcase,
        institution=world.neighbour,
        starts_on=start,
        ends_on=start + timedelta(4),
        booked_ends_on=start + timedelta(4),
        status=Booking.Status.CANCELLED,
    )
    other = make_suitcase(world.municipality, name="Lydkufferten")
    Booking.objects.create(
        suitcase=other,
        institution=world.neighbour,
        starts_on=start,
        ends_on=start + timedelta(4),
        booked_ends_on=start + timedelta(4),
    )


def test_weekends_and_closure_days_cannot_be_hand_over_or_return_days(world, suitcase):
    with pytest.raises(ValidationError, match="weekenddag"):
        book(suitcase, world.institution, monday(2) - timedelta(1), monday(2) + timedelta(4))
    SuitcaseClosure.objects.create(
        municipality=world.municipality,
        starts_on=monday(3),
        ends_on=monday(3) + timedelta(4),
        reason="Vinterferie",
    )
    with pytest.raises(ValidationError, match="hverken udleveres eller afleveres"):
        book(suitcase, world.institution, monday(3) + timedelta(1), monday(4))
    ClosurePeriod.objects.create(
        institution=world.institution, starts_on=monday(5), ends_on=monday(5), reply="Lukket"
    )
    with pytest.raises(ValidationError, match="dagtilbuddet er lukket"):
        book(suitcase, world.institution, monday(5), monday(5) + timedelta(3))


def test_a_past_hand_over_day_is_refused(world, suitcase):
    with pytest.raises(ValidationError, match="overstået"):
        book(suitcase, world.institution, monday(-1), monday(-1) + timedelta(4))


def test_cancelling_offers_the_slot_to_the_first_in_line_and_tells_them(world, suitcase, mailbox):
    booking = book(suitcase, world.institution, monday(2), monday(2) + timedelta(4))
    first = services.waiting_join(
        actor=world.user("other_leader"), suitcase=suitcase, institution=world.neighbour
    )
    booking = services.booking_cancel(actor=world.user("leader"), booking=booking)
    first.refresh_from_db()
    assert first.status == WaitingListEntry.Status.OFFERED
    assert (first.offered_starts_on, first.offered_ends_on) == (monday(2), monday(2) + timedelta(4))
    told = Notification.objects.get(kind="devices.waiting_offer")
    assert told.recipient == world.user("other_leader")
    new = services.offer_accept(actor=world.user("other_leader"), entry=first)
    assert new.source == Booking.Source.WAITING_LIST and new.institution == world.neighbour


def test_a_declined_offer_goes_to_the_next_in_line(world, suitcase):
    booking = book(suitcase, world.institution, monday(2), monday(2) + timedelta(4))
    first = services.waiting_join(actor=None, suitcase=suitcase, institution=world.neighbour)
    second = services.waiting_join(
        actor=None, suitcase=suitcase, institution=world.objects["childminding"]
    )
    services.booking_cancel(actor=world.user("leader"), booking=booking)
    first.refresh_from_db()
    services.offer_decline(actor=world.user("other_leader"), entry=first)
    second.refresh_from_db()
    assert second.status == WaitingListEntry.Status.OFFERED


def test_an_unanswered_offer_expires_and_moves_on(world, suitcase):
    booking = book(suitcase, world.institution, monday(2), monday(2) + timedelta(4))
    first = services.waiting_join(actor=None, suitcase=suitcase, institution=world.neighbour)
    second = services.waiting_join(
        actor=None, suitcase=suitcase, institution=world.objects["childminding"]
    )
    services.booking_cancel(actor=world.user("leader"), booking=booking)
    assert services.offers_expire(now=timezone.now() + timedelta(days=3)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitingListEntry.Status.EXPIRED
    assert second.status == WaitingListEntry.Status.OFFERED


def test_a_waiting_period_that_does_not_meet_the_free_days_is_not_offered(world, suitcase):
    booking = book(suitcase, world.institution, monday(2), monday(2) + timedelta(4))
    entry = services.waiting_join(
        actor=None,
        suitcase=suitcase,
        institution=world.neighbour,
        wanted_from=monday(10),
        wanted_to=monday(12),
    )
    services.booking_cancel(actor=world.user("leader"), booking=booking)
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.WAITING


def test_a_return_with_a_missing_item_is_flagged_to_the_administrators(
    world, suitcase, mailbox, django_capture_on_commit_callbacks
):
    booking = book(suitcase, world.institution, monday(1), monday(1) + timedelta(4))
    items = {i.name: i for i in suitcase.items.all()}
    admin = world.user("admin")
    services.booking_hand_over(actor=admin, booking=booking, counts={})
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_return(
            actor=admin,
            booking=booking,
            counts={items["Bee-Bot"].pk: (5, 1), items["iPad"].pk: (2, 0)},
            note="En robot mangler, en har løs hjul.",
            returned_on=monday(1) + timedelta(4),
        )
    assert booking.flagged and booking.status == Booking.Status.RETURNED
    check = BookingCheck.objects.get(booking=booking, stage="return", item=items["Bee-Bot"])
    assert (check.missing, check.broken) == (1, 1)
    flag = Notification.objects.get(kind="devices.return_flagged")
    assert flag.recipient == admin
    mailbox.wait_for(1)
    (mail,) = mailbox.to("admin@example.org")
    assert "Bee-Bot: 1 mangler" in body_text(mail) and "løs hjul" in body_text(mail)


def test_a_complete_return_is_not_flagged(world, suitcase):
    booking = book(suitcase, world.institution, monday(1), monday(1) + timedelta(4))
    services.booking_hand_over(actor=world.user("admin"), booking=booking, counts={})
    booking = services.booking_return(
        actor=world.user("admin"), booking=booking, counts={}, returned_on=monday(1) + timedelta(4)
    )
    assert not booking.flagged
    assert not Notification.objects.filter(kind="devices.return_flagged").exists()


def test_an_early_return_frees_the_rest_for_the_waiting_list(world, suitcase):
    start = timezone.localdate()
    booking = Booking.objects.create(
        suitcase=suitcase,
        institution=world.institution,
        starts_on=start - timedelta(days=3),
        ends_on=start + timedelta(days=30),
        booked_ends_on=start + timedelta(days=30),
        buffer_days=2,
        status=Booking.Status.HANDED_OUT,
    )
    entry = services.waiting_join(actor=None, suitcase=suitcase, institution=world.neighbour)
    booking = services.booking_return(
        actor=world.user("admin"), booking=booking, counts={}, returned_on=start
    )
    assert booking.ends_on == start and booking.booked_ends_on == start + timedelta(days=30)
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.OFFERED
    assert entry.offered_starts_on > start + timedelta(days=2)
    assert entry.offered_ends_on <= start + timedelta(days=30)


def test_the_day_before_return_the_daycare_is_reminded_once(world, suitcase, mailbox):
    booking = book(suitcase, world.institution, monday(1), monday(1) + timedelta(4))
    the_day_before = booking.ends_on - timedelta(days=1)
    assert services.return_reminders_send(today=the_day_before - timedelta(days=1)) == 0
    assert services.return_reminders_send(today=the_day_before) == 1
    assert services.return_reminders_send(today=the_day_before) == 0
    told = {n.recipient for n in Notification.objects.filter(kind="devices.return_due")}
    assert told == {world.user("leader"), world.user("ambassador")}
