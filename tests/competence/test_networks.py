"""Networks on a fixed cadence: generating a year's meetings, adjusting them, attendance,
minutes and files, and the reminders before and after a meeting."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from competence import services
from competence.models import Meeting, MeetingAttendance, Network
from core.models import AuditEntry, Notification
from core.uploads import Upload
from tests.competence.factories import MeetingFactory, NetworkFactory
from tests.competence.helpers import ics_attachments, vevents
from tests.factories import InstitutionFactory, MembershipFactory
from tests.smtp import body_text

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def network(world):
    network = NetworkFactory(
        municipality=world.municipality,
        name="Ambassadørnetværket",
        organiser=world.users["consultant"],
        usual_place="Rådhuset",
    )
    network.members.add(world.institution)
    return network


@pytest.mark.parametrize(
    "cadence,months",
    [
        (1, [2]),
        (2, [2, 8]),
        (3, [2, 6, 10]),
        (4, [2, 5, 8, 11]),
        (6, [2, 4, 6, 8, 10, 12]),
        (12, list(range(1, 13))),
    ],
)
def test_meetings_are_spread_over_the_year_avoiding_july(cadence, months):
    assert services.meeting_months(cadence) == months


def test_a_year_of_meetings_is_generated_from_the_cadence(world, network):
    meetings = services.meetings_generate(
        actor=world.users["consultant"], network=network, year=2027, weekday=1, start=time(13)
    )

    starts = [m.starts_at.astimezone(CPH) for m in Meeting.objects.filter(network=network)]
    assert len(meetings) == 3
    assert [(s.month, s.weekday(), s.hour) for s in starts] == [(2, 1, 13), (6, 1, 13), (10, 1, 13)]
    assert [s.day for s in starts] == [9, 8, 12]  # the second Tuesday of each month
    assert all(m.ends_at - m.starts_at == timedelta(hours=2) for m in meetings)
    assert all(m.place == "Rådhuset" for m in meetings)
    assert AuditEntry.objects.filter(action="network.meetings_generated").count() == 1


def test_a_year_is_generated_once(world, network):
    services.meetings_generate(actor=world.users["admin"], network=network, year=2027)
    with pytest.raises(ValidationError, match="2027"):
        services.meetings_generate(actor=world.users["admin"], network=network, year=2027)
    assert network.meetings.count() == 3
    services.meetings_generate(actor=world.users["admin"], network=network, year=2028)
    assert network.meetings.count() == 6


def test_the_organiser_moves_a_meeting_and_sets_the_agenda(world, network):
    (meeting, *_rest) = services.meetings_generate(
        actor=world.users["admin"], network=network, year=2027
    )
    new_start = meeting.starts_at + timedelta(days=2, hours=1)

    services.meeting_update(
        actor=world.users["consultant"],
        meeting=meeting,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=3),
        place="Bibliotekets mødelokale",
        agenda="1. Erfaringer med tablets",
    )

    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place) == (new_start, "Bibliotekets mødelokale")
    assert meeting.agenda == "1. Erfaringer med tablets"
    entry = AuditEntry.objects.get(action="meeting.updated")
    assert set(entry.changes) == {"starts_at", "ends_at", "place", "agenda"}


def test_a_meeting_cannot_end_before_it_starts(world, network):
    meeting = MeetingFactory(network=network)
    before = (meeting.starts_at, meeting.ends_at)
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=world.users["admin"], meeting=meeting, ends_at=meeting.starts_at
        )
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at) == before


def test_minutes_and_files_are_kept_after_the_meeting(world, network):
    meeting = MeetingFactory(network=network)
    upload = Upload(
        "document", "referat.pdf", ContentFile(b"%PDF-1.4 x", name="referat.pdf"), "application/pdf"
    )

    services.meeting_minutes_save(
        actor=world.users["consultant"], meeting=meeting, minutes="Vi aftalte ...", files=[upload]
    )

    meeting.refresh_from_db()
    assert meeting.minutes == "Vi aftalte ..."
    assert meeting.minutes_by == world.users["consultant"]
    (stored,) = meeting.files.all()
    assert stored.name == "referat.pdf"
    assert stored.file.read() == b"%PDF-1.4 x"


def test_minutes_cannot_be_written_before_the_meeting(world, network):
    meeting = MeetingFactory(network=network, starts_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValidationError):
        services.meeting_minutes_save(actor=world.users["admin"], meeting=meeting, minutes="Nej")
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_attendance_is_recorded_per_member_daycare(world, network):
    network.members.add(world.neighbour)
    meeting = MeetingFactory(network=network)

    services.meeting_attendance_save(
        actor=world.users["consultant"], meeting=meeting, institutions=[world.institution]
    )
    services.meeting_attendance_save(
        actor=world.users["consultant"], meeting=meeting, institutions=[world.neighbour]
    )

    assert list(meeting.attendances.values_list("institution", flat=True)) == [world.neighbour.pk]
    with pytest.raises(ValidationError):
        services.meeting_attendance_save(
            actor=world.users["admin"], meeting=meeting, institutions=[world.foreign]
        )
    assert MeetingAttendance.objects.count() == 1


def test_the_organiser_must_work_in_the_administration(world):
    with pytest.raises(ValidationError):
        services.network_create(
            actor=world.users["admin"],
            municipality=world.municipality,
            name="Netværk",
            cadence=3,
            audience="ambassadors",
            organiser=world.users["leader"],
        )
    assert not Network.objects.exists()


def test_a_network_has_daycares_of_its_own_municipality_only(world):
    with pytest.raises(ValidationError):
        services.network_create(
            actor=world.users["admin"],
            municipality=world.municipality,
            name="Netværk",
            cadence=3,
            audience="ambassadors",
            organiser=world.users["admin"],
            members=[world.institution, world.foreign],
        )
    network = services.network_create(
        actor=world.users["admin"],
        municipality=world.municipality,
        name="Netværk",
        cadence=3,
        audience="ambassadors",
        organiser=world.users["admin"],
        members=[world.institution],
    )
    assert list(network.members.all()) == [world.institution]
    services.network_update(
        actor=world.users["admin"], network=network, members=[world.neighbour], cadence=4
    )
    network.refresh_from_db()
    assert (list(network.members.all()), network.cadence) == ([world.neighbour], 4)


def test_members_are_reminded_seven_days_before_once_in_their_language(
    world, network, mailbox, django_capture_on_commit_callbacks
):
    ambassador = world.users["ambassador"]
    ambassador.language = "en"
    ambassador.save()
    outside = InstitutionFactory(municipality=world.municipality)
    MembershipFactory(institution=outside, role="ambassador")  # not a member daycare
    soon = MeetingFactory(
        network=network, starts_at=timezone.now() + timedelta(days=6), agenda="Tablets i samling"
    )
    MeetingFactory(network=network, starts_at=timezone.now() + timedelta(days=9))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_send() == 1
    assert services.meeting_reminders_send() == 0

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "ambassador@example.org"
    assert str(message["Subject"]).strip().startswith("Reminder: Ambassadørnetværket meets on")
    assert "Tablets i samling" in body_text(message)
    (calendar,) = ics_attachments(message)
    (vevent,) = vevents(calendar)
    assert str(vevent["UID"]) == f"competence-meeting-{soon.pk}@dagtilbudsportalen.dk"
    assert str(vevent["SUMMARY"]) == "Ambassadørnetværket: meeting"


def test_a_moved_meeting_is_reminded_again(world, network):
    meeting = MeetingFactory(network=network, starts_at=timezone.now() + timedelta(days=6))
    services.meeting_reminders_send()
    services.meeting_update(
        actor=world.users["admin"],
        meeting=meeting,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
    )
    assert services.meeting_reminders_send() == 1


def test_the_organiser_is_told_once_when_minutes_are_missing_two_days_after(
    world, network, mailbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    missing = MeetingFactory(network=network, starts_at=now - timedelta(days=3, hours=2))
    MeetingFactory(network=network, starts_at=now - timedelta(days=1, hours=2))  # not yet due
    MeetingFactory(
        network=network, starts_at=now - timedelta(days=4), minutes="Skrevet"
    )  # has minutes

    with django_capture_on_commit_callbacks(execute=True):
        assert services.minutes_missing_send() == 1
    assert services.minutes_missing_send() == 0

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "konsulent@example.org"
    assert message["Subject"] == "Referat mangler: Ambassadørnetværket"
    notification = Notification.objects.get(kind="competence.minutes_missing")
    assert notification.url == f"/kompetence/moeder/{missing.pk}/referat/"
