"""Pages of competence development as people use them: forms, htmx actions, and list pages
that keep a fixed number of queries."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from competence.models import Event, Meeting, Post, Registration
from competence.schedule import SCHEDULE
from portal.celery import app
from tests.competence.factories import (
    EventFactory,
    NetworkFactory,
    PostFactory,
    RegistrationFactory,
)
from tests.competence.helpers import shown
from tests.factories import InstitutionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_leader_registers_herself_and_an_employee_and_the_daycare_is_complete(world, as_user):
    event = EventFactory(municipality=world.municipality, title="Opstartskonference")
    client = as_user(world.users["leader"])
    url = reverse("competence:event_register", args=[event.pk])
    for role in ("leader", "staff"):
        response = client.post(url, {"person": f"{world.institution.pk}:{world.users[role].pk}"})
        assert response.status_code == 302

    registrations = Registration.objects.filter(event=event).order_by("pk")
    assert [(r.user, r.as_leader) for r in registrations] == [
        (world.users["leader"], True),
        (world.users["staff"], False),
    ]
    page = client.get(reverse("competence:event", args=[event.pk])).content.decode()
    assert shown("Leader and employee registered") in page
    assert "badge-success" in page


def test_staff_can_register_only_themselves(world, as_user):
    event = EventFactory(municipality=world.municipality)
    client = as_user(world.users["staff"])
    page = client.get(reverse("competence:event", args=[event.pk])).content.decode()
    assert f'value="{world.institution.pk}:{world.users["staff"].pk}"' in page
    assert f'value="{world.institution.pk}:{world.users["leader"].pk}"' not in page

    client.post(
        reverse("competence:event_register", args=[event.pk]),
        {"person": f"{world.institution.pk}:{world.users['leader'].pk}"},
    )
    assert not Registration.objects.exists()


def test_the_kickoff_page_offers_only_the_daycares_free_seats_and_refuses_a_third(world, as_user):
    event = EventFactory(municipality=world.municipality, is_kickoff=True)
    client = as_user(world.users["leader"])
    page_url = reverse("competence:event", args=[event.pk])
    register_url = reverse("competence:event_register", args=[event.pk])

    def person(role):
        return f"{world.institution.pk}:{world.users[role].pk}"

    def option(role):
        return f'value="{person(role)}"'

    client.post(register_url, {"person": person("staff")})
    page = client.get(page_url).content.decode()
    assert option("leader") in page
    assert option("ambassador") not in page  # the employee seat is taken
    # A colleague who can only register herself is told why she cannot.
    colleague = as_user(world.users["ambassador"]).get(page_url).content.decode()
    assert 'id="id_person"' not in colleague
    assert (
        shown(
            "%(place)s has registered one employee for the kick-off conference, which is for "
            "the leader and one employee from each daycare.",
            place="Solstrålen",
        )
        in colleague
    )
    client = as_user(world.users["leader"])
    client.post(register_url, {"person": person("leader")})
    page = client.get(page_url).content.decode()
    assert 'id="id_person"' not in page
    assert (
        shown(
            "%(place)s has registered its leader and one employee, the seats the kick-off "
            "conference has for each daycare. To send someone else, cancel a registration first.",
            place="Solstrålen",
        )
        in page
    )

    # A page opened before the seats were taken: the refusal says why, nothing changes.
    response = client.post(register_url, {"person": person("ambassador")}, follow=True)
    assert (
        shown(
            "%(place)s has already registered an employee, %(name)s, for the kick-off "
            "conference. The conference is for the leader and one employee from each daycare: "
            "cancel that registration first to send someone else.",
            place="Solstrålen",
            name=world.users["staff"].name,
        )
        in response.content.decode()
    )
    assert event.registrations.count() == 2


def test_the_admin_creates_an_event_in_local_time(world, as_user):
    client = as_user(world.users["admin"])
    day = timezone.localdate() + timedelta(days=40)
    response = client.post(
        reverse("competence:event_create", args=[world.municipality.pk]),
        {
            "title": "Opstartskonference",
            "kind": "conference",
            "is_kickoff": "on",
            "day": day.isoformat(),
            "start_time": "09:00",
            "end_time": "15:30",
            "place": "Køge Kulturhus",
            "capacity": "80",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.is_kickoff
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "09:00"


def test_a_form_error_is_shown_in_the_error_summary(world, as_user):
    client = as_user(world.users["admin"])
    response = client.post(
        reverse("competence:event_create", args=[world.municipality.pk]),
        {
            "title": "X",
            "kind": "conference",
            "day": "2030-01-01",
            "start_time": "10:00",
            "end_time": "09:00",
            "place": "Her",
            "capacity": "5",
        },
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert shown("The event must end after it starts.") in response.content.decode()
    assert not Event.objects.exists()


def test_check_in_on_a_tablet_answers_with_the_row_and_the_new_count(world, as_user):
    event = EventFactory(
        municipality=world.municipality, starts_at=timezone.now() - timedelta(minutes=10)
    )
    registration = RegistrationFactory(
        event=event, institution=world.institution, user=world.users["staff"]
    )
    client = as_user(world.users["consultant"])
    page = client.get(reverse("competence:event_checkin", args=[event.pk])).content.decode()
    assert "checkin-button" in page

    response = client.post(
        reverse("competence:event_checkin_toggle", args=[event.pk, registration.pk]),
        {"arrived": "1"},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="tjek-{registration.pk}"' in content
    assert shown("Undo") in content
    assert 'data-hx-swap-oob="true"' in content
    assert shown("%(n)s of %(total)s have arrived.", n=1, total=1) in content
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_marking_useful_with_htmx_answers_with_the_button(world, as_user):
    post = PostFactory(institution=world.institution, author=world.users["ambassador"])
    client = as_user(world.users["other_leader"])
    response = client.post(
        reverse("competence:post_useful", args=[post.pk]), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'aria-pressed="true"' in content
    assert post.useful_marks.filter(user=world.users["other_leader"]).exists()


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="PNG")
    return SimpleUploadedFile("skov.png", out.getvalue(), content_type="image/png")


def test_an_experience_is_shared_with_a_photo_through_the_form(world, as_user):
    client = as_user(world.users["ambassador"])
    response = client.post(
        reverse("competence:post_create", args=[world.municipality.pk]),
        {
            "institution": world.institution.pk,
            "title": "Skovtur med tablet",
            "body": "Vi legede med lyde.",
            "themes": ["nature", "language"],
            "device": "iPad",
            "age_group": "3_5",
            "files": [_photo()],
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.themes == ["nature", "language"]
    (stored,) = post.files.all()
    photo = client.get(reverse("competence:post_file", args=[post.pk, stored.pk]))
    assert photo.status_code == 200
    # A photo without transparency is stored as JPEG (re-encoded, metadata dropped).
    assert (stored.name, photo["Content-Type"]) == ("skov.jpg", "image/jpeg")


def test_a_bad_file_is_refused_and_nothing_is_shared(world, as_user):
    client = as_user(world.users["ambassador"])
    response = client.post(
        reverse("competence:post_create", args=[world.municipality.pk]),
        {
            "institution": world.institution.pk,
            "title": "T",
            "body": "B",
            "age_group": "3_5",
            "files": [SimpleUploadedFile("plan.pdf", b"nope", content_type="application/pdf")],
        },
    )
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_a_colleague_cannot_share_from_a_daycare_she_does_not_work_in(world, as_user):
    client = as_user(world.users["staff"])
    response = client.post(
        reverse("competence:post_create", args=[world.municipality.pk]),
        {"institution": world.neighbour.pk, "title": "T", "body": "B", "age_group": "3_5"},
    )
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_the_organiser_plans_the_years_meetings_in_the_form(world, as_user):
    network = NetworkFactory(municipality=world.municipality, organiser=world.users["consultant"])
    client = as_user(world.users["consultant"])
    response = client.post(
        reverse("competence:network_generate", args=[network.pk]),
        {"year": "2027", "weekday": "2", "start": "14:00", "duration_minutes": "90"},
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(network=network).count() == 3


def test_the_ambassador_directory_shows_how_to_reach_them_and_the_indicator(world, as_user):
    client = as_user(world.users["other_leader"])
    page = client.get(reverse("competence:ambassadors", args=[world.municipality.pk]))
    content = page.content.decode()
    assert "mailto:ambassador@example.org" in content
    assert content.count("status-badge") == 3  # one per daycare
    assert world.foreign.name not in content


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_directory_and_the_registrations_keep_a_fixed_query_count(world, as_user):
    event = EventFactory(municipality=world.municipality, capacity=100)
    client = as_user(world.users["admin"])
    urls = [
        reverse("competence:ambassadors", args=[world.municipality.pk]),
        reverse("competence:event_registrations", args=[event.pk]),
        reverse("competence:plans", args=[world.municipality.pk]),
        reverse("competence:networks", args=[world.municipality.pk]),
    ]
    few = [_count(client, url) for url in urls]
    for _ in range(30):
        daycare = InstitutionFactory(municipality=world.municipality)
        MembershipFactory(institution=daycare, role="ambassador")
        leader = MembershipFactory(institution=daycare, role="leader").user
        RegistrationFactory(event=event, institution=daycare, user=leader, as_leader=True)
        NetworkFactory(municipality=world.municipality, organiser=world.users["admin"]).members.add(
            daycare
        )
    many = [_count(client, url) for url in urls]
    assert few == many


def test_the_schedule_names_real_tasks():
    import competence.tasks  # noqa: F401  (registers the shared tasks)

    for name, entry in SCHEDULE.items():
        assert entry["task"] == name
        assert name in app.tasks
