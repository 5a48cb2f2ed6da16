"""The organiser's and administrator's competence pages through the Django client: moving a
meeting, writing minutes with a file, taking attendance, editing an event and sending its
invitation, cancelling a registration. Then a fixed number of queries, with 3 rows and
with 30, on the events list, a network, a meeting, the check-in list and an experience."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competence import services
from competence.models import Event, MeetingAttendance, MeetingFile, Registration
from core.models import AuditEntry, Notification
from tests.competence.factories import (
    EventFactory,
    MeetingFactory,
    MeetingFileFactory,
    NetworkFactory,
    PostFactory,
    PostFileFactory,
    RegistrationFactory,
)
from tests.competence.helpers import ics_attachments, shown
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Registration.Status


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def network(world):
    network = NetworkFactory(
        municipality=world.municipality,
        name="Ambassadørnetværket",
        organiser=world.users["consultant"],
        usual_place="Rådhuset",
    )
    network.members.add(world.institution, world.neighbour)
    return network


@pytest.fixture
def organiser(client, world):
    client.force_login(world.users["consultant"])
    return client


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# Meetings ---------------------------------------------------------------------------------


def test_the_organiser_moves_a_meeting_and_sets_the_agenda_in_the_form(world, network, organiser):
    meeting = MeetingFactory(network=network, starts_at=timezone.now() + timedelta(days=20))
    day = timezone.localdate() + timedelta(days=22)
    url = reverse("competence:meeting_edit", args=[meeting.pk])
    assert organiser.get(url).status_code == 200

    response = organiser.post(
        url,
        {
            "day": day.isoformat(),
            "start_time": "13:30",
            "end_time": "15:00",
            "place": "Bibliotekets mødelokale",
            "agenda": "1. Erfaringer med tablets\n2. Næste møde",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("competence:meeting", args=[meeting.pk])
    meeting.refresh_from_db()
    assert local(meeting.starts_at) == f"{day.isoformat()} 13:30"
    assert local(meeting.ends_at) == f"{day.isoformat()} 15:00"
    assert meeting.place == "Bibliotekets mødelokale"
    page = html_of(organiser.get(response["Location"]))
    assert shown("The meeting was saved.") in page
    assert "Bibliotekets mødelokale" in page
    assert "13:30–15:00" in page
    assert "1. Erfaringer med tablets" in page
    assert AuditEntry.objects.filter(action="meeting.updated").count() == 1


def test_a_meeting_that_ends_before_it_starts_is_refused_and_nothing_changes(
    world, network, organiser
):
    meeting = MeetingFactory(network=network, starts_at=timezone.now() + timedelta(days=20))
    before = (meeting.starts_at, meeting.ends_at, meeting.place)

    response = organiser.post(
        reverse("competence:meeting_edit", args=[meeting.pk]),
        {
            "day": timezone.localdate().isoformat(),
            "start_time": "15:00",
            "end_time": "14:00",
            "place": "Et andet sted",
        },
    )

    assert response.status_code == 400
    assert shown("The meeting must end after it starts.") in html_of(response)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at, meeting.place) == before


def test_a_member_daycares_staff_cannot_edit_the_meeting(client, world, network):
    meeting = MeetingFactory(network=network)
    client.force_login(world.users["leader"])

    assert client.get(reverse("competence:meeting", args=[meeting.pk])).status_code == 200
    response = client.post(
        reverse("competence:meeting_edit", args=[meeting.pk]),
        {"day": "2030-01-01", "start_time": "10:00", "end_time": "11:00"},
    )
    assert response.status_code == 403


def test_the_organiser_writes_minutes_with_a_file_that_members_download(
    client, world, network, organiser
):
    meeting = MeetingFactory(network=network)  # three days ago

    response = organiser.post(
        reverse("competence:meeting_minutes", args=[meeting.pk]),
        {
            "minutes": "Vi aftalte at prøve Book Creator.",
            "files": [
                SimpleUploadedFile(
                    "referat.pdf", b"%PDF-1.4\n% referat\n", content_type="application/pdf"
                )
            ],
        },
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Vi aftalte at prøve Book Creator."
    assert meeting.minutes_by == world.users["consultant"]
    stored = MeetingFile.objects.get(meeting=meeting)
    assert stored.name == "referat.pdf"
    page = html_of(organiser.get(reverse("competence:meeting", args=[meeting.pk])))
    assert shown("The minutes were saved.") in page
    assert "Vi aftalte at prøve Book Creator." in page
    file_url = reverse("competence:meeting_file", args=[meeting.pk, stored.pk])
    assert f'href="{file_url}"' in page
    client.force_login(world.users["leader"])  # a member daycare's leader
    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")


def test_a_file_that_is_not_what_it_says_is_refused_and_no_minutes_are_stored(
    world, network, organiser
):
    meeting = MeetingFactory(network=network)

    response = organiser.post(
        reverse("competence:meeting_minutes", args=[meeting.pk]),
        {
            "minutes": "Referat",
            "files": [SimpleUploadedFile("referat.pdf", b"nope", content_type="application/pdf")],
        },
    )

    assert response.status_code == 400
    assert "error-summary" in html_of(response)
    meeting.refresh_from_db()
    assert meeting.minutes == ""
    assert not MeetingFile.objects.exists()


def test_minutes_before_the_meeting_are_refused_in_danish(world, network, organiser):
    meeting = MeetingFactory(network=network, starts_at=timezone.now() + timedelta(days=2))

    response = organiser.post(
        reverse("competence:meeting_minutes", args=[meeting.pk]), {"minutes": "For tidligt"}
    )

    assert response.status_code == 400
    assert shown("Minutes are written after the meeting.") in html_of(response)
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_the_organiser_takes_attendance_and_the_meeting_shows_it(world, network, organiser):
    meeting = MeetingFactory(network=network)
    url = reverse("competence:meeting_attendance", args=[meeting.pk])
    form = html_of(organiser.get(url))
    assert world.institution.name in form and world.neighbour.name in form
    assert world.foreign.name not in form

    response = organiser.post(url, {"present": [world.institution.pk]})

    assert response.status_code == 302
    assert list(meeting.attendances.values_list("institution", flat=True)) == [world.institution.pk]
    page = html_of(organiser.get(reverse("competence:meeting", args=[meeting.pk])))
    assert shown("The attendance was saved.") in page
    assert "1 af 2 dagtilbud deltog." in page
    assert shown("Not present") in page


def test_attendance_for_a_daycare_outside_the_network_is_refused(world, network, organiser):
    meeting = MeetingFactory(network=network)

    response = organiser.post(
        reverse("competence:meeting_attendance", args=[meeting.pk]),
        {"present": [world.foreign.pk]},
    )

    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed" in html_of(response)
    assert not MeetingAttendance.objects.exists()


# Events -----------------------------------------------------------------------------------


def event_post(day, **over) -> dict:
    data = {
        "title": "Digital dannelse i praksis",
        "kind": "theme_day",
        "day": day.isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "Køge Bibliotek",
        "address": "Kirkestræde 18, 4600 Køge",
        "capacity": "2",
        "audience": "Pædagoger og ledere",
        "programme": "Oplæg og workshop.",
    }
    data.update(over)
    return data


def test_the_administrator_edits_an_event_and_raising_the_capacity_seats_the_waiting(client, world):
    event = EventFactory(municipality=world.municipality, title="Temadag", capacity=1)
    RegistrationFactory(event=event, institution=world.institution, user=world.users["leader"])
    waiting = RegistrationFactory(
        event=event,
        institution=world.institution,
        user=world.users["staff"],
        status=Status.WAITING,
        confirmed_at=None,
    )
    day = timezone.localdate() + timedelta(days=45)
    client.force_login(world.users["admin"])

    response = client.post(reverse("competence:event_edit", args=[event.pk]), event_post(day))

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.capacity, event.place) == (
        "Digital dannelse i praksis",
        2,
        "Køge Bibliotek",
    )
    assert local(event.starts_at) == f"{day.isoformat()} 09:00"
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    page = html_of(client.get(response["Location"]))
    assert shown("The event was saved.") in page
    assert "Digital dannelse i praksis" in page
    assert "Kirkestræde 18, 4600 Køge" in page
    assert "0 af 2 pladser ledige" in page


def test_an_event_edit_below_the_registered_is_refused_and_nothing_changes(client, world):
    event = EventFactory(municipality=world.municipality, title="Temadag", capacity=5)
    for role in ("leader", "staff"):
        RegistrationFactory(event=event, institution=world.institution, user=world.users[role])
    client.force_login(world.users["admin"])

    response = client.post(
        reverse("competence:event_edit", args=[event.pk]),
        event_post(timezone.localdate() + timedelta(days=45), capacity="1"),
    )

    assert response.status_code == 400
    assert "2 personer er allerede tilmeldt" in html_of(response)
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Temadag", 5)


def test_staff_cannot_edit_an_event(client, world):
    event = EventFactory(municipality=world.municipality, title="Temadag")
    client.force_login(world.users["leader"])

    response = client.post(
        reverse("competence:event_edit", args=[event.pk]),
        event_post(timezone.localdate() + timedelta(days=45)),
    )

    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title == "Temadag"


def test_the_administrator_sends_the_invitation_and_leaders_get_it_once(
    client, world, mailbox, django_capture_on_commit_callbacks
):
    event = EventFactory(municipality=world.municipality, title="Opstartskonference")
    client.force_login(world.users["admin"])
    url = reverse("competence:event_invite", args=[event.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    page = html_of(response)
    assert (
        shown(
            "The invitation is on its way to the leaders and digital ambassadors of every daycare."
        )
        in page
    )
    event.refresh_from_db()
    assert event.invitations_sent_at is not None
    invited = set(
        Notification.objects.filter(kind="competence.event_invitation").values_list(
            "recipient__email", flat=True
        )
    )
    assert invited == {"leder@example.org", "ambassador@example.org", "leder2@example.org"}
    messages = mailbox.wait_for(3)
    assert all(len(ics_attachments(m)) == 1 for m in messages)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert Notification.objects.filter(kind="competence.event_invitation").count() == 3


def test_an_invitation_after_registration_closed_is_refused(client, world):
    event = EventFactory(
        municipality=world.municipality, starts_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(world.users["admin"])

    response = client.post(reverse("competence:event_invite", args=[event.pk]), follow=True)

    assert shown("The event has started; registration is closed.") in html_of(response)
    event.refresh_from_db()
    assert event.invitations_sent_at is None
    assert not Notification.objects.exists()


def test_staff_cancel_their_registration_and_the_first_waiting_gets_the_seat(client, world):
    event = EventFactory(municipality=world.municipality, title="Temadag", capacity=1)
    mine = RegistrationFactory(
        event=event, institution=world.institution, user=world.users["staff"]
    )
    waiting = RegistrationFactory(
        event=event,
        institution=world.neighbour,
        user=world.users["other_leader"],
        status=Status.WAITING,
        confirmed_at=None,
    )
    client.force_login(world.users["staff"])

    response = client.post(
        reverse("competence:registration_cancel", args=[event.pk, mine.pk]), follow=True
    )

    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    event.refresh_from_db()
    assert event.confirmed_count == 1
    assert shown("The registration of %(name)s was cancelled.", name=mine.user.name) in html_of(
        response
    )
    assert Notification.objects.filter(recipient=world.users["other_leader"]).exists()


def test_a_colleague_cannot_cancel_someone_elses_registration(client, world):
    event = EventFactory(municipality=world.municipality)
    registration = RegistrationFactory(
        event=event, institution=world.institution, user=world.users["leader"]
    )
    client.force_login(world.users["staff"])

    response = client.post(
        reverse("competence:registration_cancel", args=[event.pk, registration.pk])
    )

    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_a_registration_cannot_be_cancelled_after_the_event_started(client, world):
    event = EventFactory(
        municipality=world.municipality, starts_at=timezone.now() - timedelta(minutes=5)
    )
    registration = RegistrationFactory(
        event=event, institution=world.institution, user=world.users["staff"]
    )
    client.force_login(world.users["staff"])

    response = client.post(
        reverse("competence:registration_cancel", args=[event.pk, registration.pk]),
        follow=True,
    )

    assert shown("The event has started; registrations can no longer change.") in html_of(response)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


# Fixed query counts -------------------------------------------------------------------------


def queries(client, url) -> tuple[int, str]:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def test_the_events_list_keeps_a_fixed_number_of_queries(client, world):
    def grow(up_to):
        for n in range(Event.objects.count(), up_to):
            offset = timedelta(days=n + 1) * (1 if n % 2 else -1)
            event = EventFactory(
                municipality=world.municipality,
                title=f"Arrangement {n:02d}",
                starts_at=timezone.now() + offset,
            )
            RegistrationFactory(event=event, institution=world.institution)

    client.force_login(world.users["leader"])
    url = reverse("competence:events", args=[world.municipality.pk])
    grow(3)
    few, _ = queries(client, url)
    grow(30)
    many, page = queries(client, url)

    assert few == many
    assert page.count("Arrangement ") == 30


def test_the_network_page_keeps_a_fixed_number_of_queries(client, world, network):
    def grow(up_to):
        for n in range(network.members.count(), up_to):
            daycare = InstitutionFactory(municipality=world.municipality, name=f"Dagtilbud {n:02d}")
            MembershipFactory(institution=daycare, role="ambassador")
            MembershipFactory(institution=daycare, role="leader")
            network.members.add(daycare)
        for n in range(network.meetings.count(), up_to):
            meeting = MeetingFactory(
                network=network, starts_at=timezone.now() + timedelta(days=n * 10 - 40)
            )
            MeetingFileFactory(meeting=meeting)
            MeetingAttendance.objects.create(meeting=meeting, institution=world.institution)

    client.force_login(world.users["consultant"])
    url = reverse("competence:network", args=[network.pk])
    grow(3)
    few, _ = queries(client, url)
    grow(30)
    many, page = queries(client, url)

    assert few == many
    assert page.count("Dagtilbud ") >= 28


def test_the_meeting_page_keeps_a_fixed_number_of_queries(client, world, network):
    meeting = MeetingFactory(network=network, minutes="Referat", minutes_by=world.users["admin"])

    def grow(up_to):
        for n in range(network.members.count(), up_to):
            daycare = InstitutionFactory(municipality=world.municipality, name=f"Dagtilbud {n:02d}")
            network.members.add(daycare)
            if n % 2:
                MeetingAttendance.objects.create(meeting=meeting, institution=daycare)
        for n in range(meeting.files.count(), up_to):
            MeetingFileFactory(meeting=meeting, name=f"bilag-{n:02d}.pdf")

    client.force_login(world.users["consultant"])
    url = reverse("competence:meeting", args=[meeting.pk])
    grow(3)
    few, _ = queries(client, url)
    grow(30)
    many, page = queries(client, url)

    assert few == many
    assert page.count("bilag-") == 30
    assert page.count("Dagtilbud ") == 28


def test_the_check_in_list_keeps_a_fixed_number_of_queries(client, world):
    event = EventFactory(
        municipality=world.municipality,
        capacity=100,
        starts_at=timezone.now() - timedelta(minutes=30),
    )

    def grow(up_to):
        for n in range(event.registrations.count(), up_to):
            daycare = InstitutionFactory(municipality=world.municipality, name=f"Dagtilbud {n:02d}")
            RegistrationFactory(
                event=event,
                institution=daycare,
                user=UserFactory(name=f"Deltager {n:02d}"),
                checked_in_at=timezone.now() if n % 3 == 0 else None,
            )

    client.force_login(world.users["consultant"])
    url = reverse("competence:event_checkin", args=[event.pk])
    grow(3)
    few, _ = queries(client, url)
    grow(30)
    many, page = queries(client, url)

    assert few == many
    assert page.count("<strong>Deltager ") == 30


def test_the_experience_page_keeps_a_fixed_number_of_queries(client, world):
    post = PostFactory(institution=world.institution, author=world.users["ambassador"])

    def grow(up_to):
        for n in range(post.comments.count(), up_to):
            author = MembershipFactory(
                institution=InstitutionFactory(municipality=world.municipality),
                role="staff",
                user__name=f"Kollega {n:02d}",
            ).user
            services.comment_create(actor=author, post=post, body=f"Kommentar {n:02d}")
            services.useful_toggle(actor=author, post=post)
            PostFileFactory(post=post, name=f"fil-{n:02d}.pdf")

    client.force_login(world.users["other_leader"])
    url = reverse("competence:post", args=[post.pk])
    grow(3)
    few, _ = queries(client, url)
    grow(30)
    many, page = queries(client, url)

    assert few == many
    assert page.count("Kommentar ") == 30
    assert page.count("fil-") >= 30
