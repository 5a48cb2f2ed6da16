"""Events: registration per daycare, capacity, the waiting list, check-in, invitations and
reminders with a calendar file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from competence import services
from competence.models import Event, Registration
from competence.selectors import completeness_of, event_completeness
from core.models import AuditEntry, Notification
from tests.competence.factories import EventFactory, RegistrationFactory
from tests.competence.helpers import ics_attachments, vevents
from tests.factories import InstitutionFactory, MembershipFactory
from tests.smtp import body_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    return EventFactory(municipality=world.municipality, title="Opstartskonference", capacity=2)


def register(world, event, role, *, actor=None, institution=None):
    user = world.users[role]
    return services.registration_create(
        actor=actor or user, event=event, institution=institution or world.institution, user=user
    )


def test_a_registration_takes_a_seat_and_is_audited(world, event):
    registration = register(world, event, "leader")

    event.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.as_leader is True
    assert event.confirmed_count == 1
    assert AuditEntry.objects.filter(action="registration.created", object_id=str(registration.pk))
    assert Notification.objects.get(recipient=world.users["leader"]).kind == (
        "competence.event_registered"
    )


def test_an_employee_is_registered_as_employee_by_the_leader(world, event):
    registration = register(world, event, "staff", actor=world.users["leader"])

    assert registration.as_leader is False
    assert registration.registered_by == world.users["leader"]


def test_the_registered_person_gets_an_email_with_a_calendar_file(
    world, event, mailbox, django_capture_on_commit_callbacks
):
    world.users["staff"].language = "en"
    world.users["staff"].save()
    with django_capture_on_commit_callbacks(execute=True):
        register(world, event, "staff")

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "paedagog@example.org"
    assert message["Subject"] == "You are registered for Opstartskonference"
    assert "cancel in the portal" in body_text(message)
    (calendar,) = ics_attachments(message)
    (vevent,) = vevents(calendar)
    assert str(vevent["SUMMARY"]) == "Opstartskonference"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert str(vevent["UID"]) == f"competence-event-{event.pk}@dagtilbudsportalen.dk"


def test_a_full_event_puts_the_next_person_on_the_waiting_list_and_says_so(
    world, event, mailbox, django_capture_on_commit_callbacks
):
    register(world, event, "leader")
    register(world, event, "ambassador")
    with django_capture_on_commit_callbacks(execute=True):
        waiting = register(world, event, "staff")

    event.refresh_from_db()
    assert waiting.status == Registration.Status.WAITING
    assert event.confirmed_count == 2
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Du er på ventelisten til Opstartskonference"
    assert ics_attachments(message) == []  # no seat, no calendar entry yet


def test_a_cancelled_seat_goes_to_the_first_on_the_waiting_list_who_is_told(
    world, event, mailbox, django_capture_on_commit_callbacks
):
    seat = register(world, event, "leader")
    register(world, event, "ambassador")
    first = register(world, event, "staff")
    second = services.registration_create(
        actor=world.users["childminder"],
        event=event,
        institution=world.objects["childminding"],
        user=world.users["childminder"],
    )

    with django_capture_on_commit_callbacks(execute=True):
        moved = services.registration_cancel(actor=world.users["leader"], registration=seat)

    assert moved == [first]
    first.refresh_from_db()
    second.refresh_from_db()
    seat.refresh_from_db()
    event.refresh_from_db()
    assert seat.status == Registration.Status.CANCELLED
    assert first.status == Registration.Status.CONFIRMED
    assert second.status == Registration.Status.WAITING
    assert event.confirmed_count == 2
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "paedagog@example.org"
    assert message["Subject"] == "Du har fået en plads til Opstartskonference"
    assert len(ics_attachments(message)) == 1


def test_cancelling_a_waiting_place_gives_nobody_a_seat(world, event):
    register(world, event, "leader")
    register(world, event, "ambassador")
    waiting = register(world, event, "staff")

    assert services.registration_cancel(actor=world.users["staff"], registration=waiting) == []
    event.refresh_from_db()
    assert event.confirmed_count == 2
    assert event.registrations.filter(status="confirmed").count() == 2


def test_cancelling_twice_is_refused(world, event):
    registration = register(world, event, "leader")
    services.registration_cancel(actor=world.users["leader"], registration=registration)

    with pytest.raises(ValidationError):
        services.registration_cancel(actor=world.users["leader"], registration=registration)
    event.refresh_from_db()
    assert event.confirmed_count == 0


def test_someone_who_does_not_work_in_the_daycare_is_refused(world, event):
    with pytest.raises(ValidationError, match="arbejder ikke"):
        services.registration_create(
            actor=world.users["leader"],
            event=event,
            institution=world.institution,
            user=world.users["other_leader"],
        )
    with pytest.raises(ValidationError):
        services.registration_create(
            actor=world.users["board_member"],
            event=event,
            institution=world.institution,
            user=world.users["board_member"],
        )
    assert not event.registrations.exists()


def test_a_person_cannot_be_registered_twice(world, event):
    register(world, event, "leader")
    with pytest.raises(ValidationError, match="allerede tilmeldt"):
        register(world, event, "leader")
    assert event.registrations.count() == 1


def test_a_daycare_of_another_municipality_cannot_register(world, event):
    foreign_leader = world.objects["foreign_leader"]
    with pytest.raises(ValidationError):
        services.registration_create(
            actor=foreign_leader, event=event, institution=world.foreign, user=foreign_leader
        )
    assert not event.registrations.exists()


def test_registration_closes_after_the_last_day_and_when_the_event_starts(world):
    closed = EventFactory(
        municipality=world.municipality,
        registration_closes_on=timezone.localdate() - timedelta(days=1),
    )
    started = EventFactory(
        municipality=world.municipality, starts_at=timezone.now() - timedelta(minutes=5)
    )
    for event in (closed, started):
        with pytest.raises(ValidationError):
            register(world, event, "leader")
        assert not event.registrations.exists()


def test_raising_the_capacity_gives_waiting_people_a_seat(world, event):
    register(world, event, "leader")
    register(world, event, "ambassador")
    waiting = register(world, event, "staff")

    services.event_update(actor=world.users["admin"], event=event, capacity=3)

    waiting.refresh_from_db()
    event.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert (event.capacity, event.confirmed_count) == (3, 3)
    assert Notification.objects.filter(
        recipient=world.users["staff"], kind="competence.event_promoted"
    )


def test_the_capacity_cannot_be_lowered_below_the_registered(world, event):
    register(world, event, "leader")
    register(world, event, "ambassador")

    with pytest.raises(ValidationError, match="allerede tilmeldt"):
        services.event_update(actor=world.users["admin"], event=event, capacity=1)
    event.refresh_from_db()
    assert event.capacity == 2


def test_the_database_refuses_more_seats_than_the_capacity(world, event):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(confirmed_count=3)


def test_a_municipality_has_one_kickoff_conference(world):
    data = {
        "title": "Opstart",
        "is_kickoff": True,
        "starts_at": timezone.now() + timedelta(days=10),
        "ends_at": timezone.now() + timedelta(days=10, hours=6),
        "place": "Rådhuset",
        "capacity": 50,
    }
    services.event_create(actor=world.users["admin"], municipality=world.municipality, **data)
    with pytest.raises(ValidationError, match="opstartskonference"):
        services.event_create(actor=world.users["admin"], municipality=world.municipality, **data)
    assert Event.objects.filter(is_kickoff=True).count() == 1
    # Another municipality has its own.
    services.event_create(
        actor=world.users["other_admin"], municipality=world.other_municipality, **data
    )


def test_an_event_must_end_after_it_starts(world):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError):
        services.event_create(
            actor=world.users["admin"],
            municipality=world.municipality,
            title="Forkert",
            starts_at=start,
            ends_at=start,
            place="Et sted",
            capacity=5,
        )
    assert not Event.objects.exists()


def test_check_in_on_the_day_and_undo(world):
    today = EventFactory(
        municipality=world.municipality, starts_at=timezone.now() - timedelta(minutes=30)
    )
    registration = RegistrationFactory(
        event=today, institution=world.institution, user=world.users["staff"]
    )

    services.registration_check_in(actor=world.users["admin"], registration=registration)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None

    services.registration_check_in(
        actor=world.users["admin"], registration=registration, arrived=False
    )
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert AuditEntry.objects.filter(action="registration.check_in_undone").count() == 1


def test_check_in_opens_on_the_day(world, event):
    registration = register(world, event, "staff")
    with pytest.raises(ValidationError, match="dagen"):
        services.registration_check_in(actor=world.users["admin"], registration=registration)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_invitations_reach_every_leader_and_ambassador_once_with_a_calendar_file(
    world, event, mailbox, django_capture_on_commit_callbacks
):
    school = InstitutionFactory(municipality=world.municipality, kind="school")
    MembershipFactory(institution=school, role="leader")  # schools are not invited
    with django_capture_on_commit_callbacks(execute=True):
        services.event_invitations_send(actor=world.users["admin"], event=event)

    invited = set(
        Notification.objects.filter(kind="competence.event_invitation").values_list(
            "recipient__email", flat=True
        )
    )
    assert invited == {"leder@example.org", "ambassador@example.org", "leder2@example.org"}
    messages = mailbox.wait_for(3)
    assert len(messages) == 3
    assert all(len(ics_attachments(m)) == 1 for m in messages)
    event.refresh_from_db()
    assert event.invitations_sent_at is not None

    assert services.event_invitations_deliver(event_id=event.pk) == 0


def test_an_event_reminder_goes_to_the_registered_two_days_before_once(
    world, mailbox, django_capture_on_commit_callbacks
):
    soon = EventFactory(
        municipality=world.municipality, starts_at=timezone.now() + timedelta(days=1, hours=20)
    )
    later = EventFactory(municipality=world.municipality)
    RegistrationFactory(event=soon, institution=world.institution, user=world.users["staff"])
    RegistrationFactory(event=later, institution=world.institution, user=world.users["leader"])

    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_reminders_send() == 1
    assert services.event_reminders_send() == 0

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "paedagog@example.org"
    assert message["Subject"].startswith("Påmindelse:")
    assert len(ics_attachments(message)) == 1


@pytest.mark.parametrize(
    "leaders,employees,after,status",
    [
        (1, 1, False, "met"),
        (1, 0, False, "at_risk"),
        (0, 2, False, "at_risk"),
        (0, 0, False, "not_met"),
        (1, 1, True, "met"),
        (0, 0, True, "not_met"),
    ],
)
def test_completeness_follows_the_strategy_rule(leaders, employees, after, status):
    class Reg:
        checked_in_at = timezone.now()

    result = completeness_of([Reg()] * leaders, [Reg()] * employees, after=after)
    assert result.status == status
    assert result.get_status_display()


def test_completeness_per_daycare_lists_every_daycare(world, event):
    register(world, event, "leader")
    register(world, event, "staff", actor=world.users["leader"])

    rows = {row.institution: row for row in event_completeness(event)}

    assert set(rows) == {world.institution, world.neighbour, world.objects["childminding"]}
    assert rows[world.institution].completeness.status == "met"
    assert rows[world.neighbour].completeness.status == "not_met"


# The kick-off conference: the leader and one employee per daycare ---------------------


@pytest.fixture
def kickoff(world):
    return EventFactory(
        municipality=world.municipality, title="Opstartskonference", is_kickoff=True, capacity=20
    )


def da(message: str, **params) -> str:
    with translation.override("da"):
        return translation.gettext(message) % params


def test_the_kickoff_takes_the_leader_and_one_employee_from_a_daycare(world, kickoff):
    register(world, kickoff, "leader")
    register(world, kickoff, "staff", actor=world.users["leader"])

    with pytest.raises(ValidationError) as refused:
        register(world, kickoff, "ambassador", actor=world.users["leader"])

    assert refused.value.messages == [
        da(
            "%(place)s has already registered an employee, %(name)s, for the kick-off "
            "conference. The conference is for the leader and one employee from each daycare: "
            "cancel that registration first to send someone else.",
            place="Solstrålen",
            name=world.users["staff"].name,
        )
    ]
    assert [(r.user, r.as_leader) for r in kickoff.registrations.order_by("pk")] == [
        (world.users["leader"], True),
        (world.users["staff"], False),
    ]
    kickoff.refresh_from_db()
    assert kickoff.confirmed_count == 2


def test_a_second_leader_of_the_daycare_is_refused_for_the_kickoff(world, kickoff):
    co_leader = MembershipFactory(institution=world.institution, role="leader").user
    register(world, kickoff, "leader")

    with pytest.raises(ValidationError) as refused:
        services.registration_create(
            actor=co_leader, event=kickoff, institution=world.institution, user=co_leader
        )

    assert "Solstrålen" in refused.value.messages[0]
    assert world.users["leader"].name in refused.value.messages[0]
    assert kickoff.registrations.count() == 1


def test_a_waiting_employee_holds_the_daycares_seat_and_moves_up(world, kickoff):
    kickoff.capacity = 1
    kickoff.save()
    neighbour_leader = world.users["other_leader"]
    services.registration_create(
        actor=neighbour_leader, event=kickoff, institution=world.neighbour, user=neighbour_leader
    )
    waiting = register(world, kickoff, "staff")
    assert waiting.status == Registration.Status.WAITING

    with pytest.raises(ValidationError) as refused:
        register(world, kickoff, "ambassador")
    waiting_name = da("%(name)s (on the waiting list)", name=world.users["staff"].name)
    assert waiting_name in refused.value.messages[0]

    services.registration_cancel(
        actor=neighbour_leader, registration=kickoff.registrations.get(user=neighbour_leader)
    )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert kickoff.registrations.active().filter(institution=world.institution).count() == 1


def test_a_cancelled_employee_frees_the_seat_for_a_colleague(world, kickoff):
    first = register(world, kickoff, "staff")
    services.registration_cancel(actor=world.users["staff"], registration=first)

    second = register(world, kickoff, "ambassador")

    assert second.status == Registration.Status.CONFIRMED


def test_other_events_take_more_than_one_employee_from_a_daycare(world, event):
    event.capacity = 5
    event.save()
    for role in ("leader", "staff", "ambassador"):
        register(world, event, role)
    assert event.registrations.active().count() == 3


def test_the_database_refuses_a_second_employee_for_the_kickoff(world, kickoff):
    RegistrationFactory(event=kickoff, institution=world.institution, user=world.users["staff"])
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(
            event=kickoff, institution=world.institution, user=world.users["ambassador"]
        )
    # Waiting counts too; a cancelled registration does not.
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(
            event=kickoff,
            institution=world.institution,
            user=world.users["ambassador"],
            status=Registration.Status.WAITING,
            confirmed_at=None,
        )
    RegistrationFactory(
        event=kickoff,
        institution=world.institution,
        user=world.users["ambassador"],
        status=Registration.Status.CANCELLED,
    )


def test_the_database_keeps_the_kickoff_mark_of_a_registration_true(world, kickoff, event):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=kickoff, institution=world.institution, for_kickoff=False)
    registration = RegistrationFactory(event=event, institution=world.institution)

    services.event_update(actor=world.users["admin"], event=kickoff, is_kickoff=False)
    services.event_update(actor=world.users["admin"], event=event, is_kickoff=True)

    registration.refresh_from_db()
    assert registration.for_kickoff is True
    assert not kickoff.registrations.filter(for_kickoff=True).exists()


def test_an_event_with_two_employees_from_a_daycare_cannot_become_the_kickoff(world, event):
    event.capacity = 5
    event.save()
    register(world, event, "staff")
    register(world, event, "ambassador")

    with pytest.raises(ValidationError) as refused:
        services.event_update(actor=world.users["admin"], event=event, is_kickoff=True)

    assert refused.value.messages == [
        da(
            "The kick-off conference is for the leader and one employee from each daycare, and "
            "more are registered from %(places)s. Cancel the extra registrations first.",
            places="Solstrålen",
        )
    ]
    event.refresh_from_db()
    assert not event.is_kickoff
    assert not event.registrations.filter(for_kickoff=True).exists()
