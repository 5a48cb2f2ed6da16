"""What a photo or a file gives away, through the real forms: a photo from a phone loses
its GPS position and every other piece of metadata before it is stored; a file is what
its content says, not its name; no text or file name can hide behind direction controls;
the children in a post's photo are marked (or said to be none) before it goes out, and
the personal-data log holds who was marked when the post was saved, not every child
each time the form is opened."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging.models import MessageAttachment, Post, PostImage, Thread
from privacy.models import PersonalDataAccess
from tests.messaging.helpers import (
    assert_without_metadata,
    children_to_mark,
    jpeg,
    pdf,
    photo_with_location,
    state,
)

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "faktura\u202efdp.exe" shows as "fakturaexe.pdf"
BIDI_REFUSED = "Teksten indeholder usynlige tegn, der vender skriveretningen"


def start_thread(client, family, **fields):
    client.force_login(family.guardian)
    data = {
        "child": family.alma.pk,
        "to": "group",
        "subject": "Fra legepladsen",
        "body": "Se billedet.",
        **fields,
    }
    return client.post(reverse("messaging:thread_start"), data)


def publish(client, family, **fields):
    client.force_login(family.staff)
    data = {
        "audience": "groups",
        "groups": [family.room.pk],
        "kind": "practical",
        "title": "Legepladsen",
        "body": "Vi var ude hele formiddagen.",
        "image": photo_with_location(),
        "image_description": "Gyngerne på legepladsen",
        **fields,
    }
    return client.post(reverse("messaging:post_create", args=[family.daycare.pk]), data)


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


# Metadata ---------------------------------------------------------------------------


def test_a_photo_attached_to_a_message_is_stored_without_its_gps_position(client, family):
    response = start_thread(client, family, files=[photo_with_location("gynge.jpg")])

    assert response.status_code == 302
    attachment = MessageAttachment.objects.get()
    assert (attachment.name, attachment.content_type) == ("gynge.jpg", "image/jpeg")
    assert_without_metadata(read(attachment.file))
    client.force_login(family.staff)
    served = client.get(reverse("messaging:message_file", args=[attachment.pk]))
    assert_without_metadata(b"".join(served.streaming_content))


def test_a_post_photo_is_stored_without_its_gps_position_in_both_sizes(client, family):
    response = publish(client, family, pictured=[family.alma.pk])

    assert response.status_code == 302
    image = PostImage.objects.get()
    assert_without_metadata(read(image.image))
    assert_without_metadata(read(image.thumbnail))


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n% faktura\n", b"<!doctype html><html><script>alert(1)</script></html>"],
    ids=["pdf", "html"],
)
def test_a_file_named_jpg_that_is_something_else_is_refused_in_danish(client, family, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = state()
    fake = SimpleUploadedFile("ferie.jpg", content, content_type="image/jpeg")

    response = start_thread(client, family, files=[fake])

    assert response.status_code == 400
    html = response.content.decode()
    assert "ferie.jpg: Filens indhold passer ikke til dens navn" in html
    assert state() == before


# Direction controls -----------------------------------------------------------------


@pytest.mark.parametrize("field", ["subject", "body"])
def test_a_message_hiding_behind_a_direction_control_is_refused_in_danish(client, family, field):
    before = state()

    response = start_thread(client, family, **{field: f"Se vedhæftet faktura{RLO}fdp.exe"})

    assert response.status_code == 400
    assert BIDI_REFUSED in response.content.decode()
    assert state() == before


def test_an_answer_hiding_behind_a_direction_control_is_refused(client, family):
    start_thread(client, family)
    thread = Thread.objects.get()
    client.force_login(family.staff)

    response = client.post(
        reverse("messaging:thread", args=[thread.pk]), {"body": f"Tak{RLO}\u2066 for sidst"}
    )

    assert response.status_code == 400
    assert BIDI_REFUSED in response.content.decode()
    assert thread.messages.count() == 1


def test_a_file_name_loses_its_direction_controls(client, family):
    disguised = pdf(f"faktura{RLO}fdp.exe\u2069.pdf")

    response = start_thread(client, family, files=[disguised])

    assert response.status_code == 302
    assert MessageAttachment.objects.get().name == "fakturafdp.exe.pdf"


# Who is in the photo ----------------------------------------------------------------


def test_opening_the_new_post_form_logs_no_look_at_any_child(client, family):
    client.force_login(family.staff)

    html = client.get(reverse("messaging:post_create", args=[family.daycare.pk])).content.decode()

    assert any(name.startswith("Alma") for name in children_to_mark(html)["Myren"])
    assert PersonalDataAccess.objects.count() == 0


def test_publishing_a_photo_logs_a_look_at_the_child_marked_in_it_only(client, family):
    response = publish(client, family, pictured=[family.alma.pk])

    assert response.status_code == 302
    looks = PersonalDataAccess.objects.all()
    assert [(look.child_id, look.actor_id) for look in looks] == [(family.alma.pk, family.staff.pk)]


def test_a_photo_with_no_child_marked_and_no_tick_is_refused_in_danish(client, family):
    before = state()

    response = publish(client, family)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Markér børnene på fotoet, eller sæt kryds ved “Ingen børn på fotoet”." in html
    assert state() == before
    assert PersonalDataAccess.objects.count() == 0


def test_a_photo_ticked_as_showing_no_children_is_published(client, family):
    response = publish(client, family, no_children="on")

    assert response.status_code == 302
    image = Post.objects.get().images.get()
    assert not image.pictured.exists()


def test_a_photo_with_children_marked_and_ticked_as_showing_none_is_refused(client, family):
    response = publish(client, family, pictured=[family.alma.pk], no_children="on")

    assert response.status_code == 400
    assert "Du har markeret børn på fotoet." in response.content.decode()
    assert not Post.objects.exists()


def test_a_municipal_post_with_a_photo_must_say_it_shows_no_children(client, family, world):
    client.force_login(world.users["admin"])
    url = reverse("messaging:municipality_post_create", args=[world.municipality.pk])
    data = {
        "audience": "municipality",
        "kind": "practical",
        "title": "Ny legeplads",
        "body": "Den nye legeplads er klar.",
        "image": jpeg(),
        "image_description": "Legepladsen",
    }

    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Et foto i et opslag fra kommunen må ikke vise børn." in refused.content.decode()
    assert not Post.objects.exists()

    data["image"] = jpeg()
    accepted = client.post(url, {**data, "no_children": "on"})
    assert accepted.status_code == 302
    assert Post.objects.get().images.count() == 1
