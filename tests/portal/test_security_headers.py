"""Every page carries a strict Content-Security-Policy and the other protective headers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def pages(client):
    def fetch():
        anonymous = [client.get(reverse("account_login")), client.get(reverse("accessibility"))]
        client.force_login(UserFactory())
        return [*anonymous, client.get(reverse("home")), client.get(reverse("accounts:profile"))]

    return fetch


def test_pages_forbid_inline_scripts_and_styles_and_foreign_sources(pages):
    for response in pages():
        directives = policy(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_pages_contain_no_inline_script_or_style_the_policy_would_block(pages):
    for response in pages():
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert "<style" not in html
        assert not re.search(r"\son[a-z]+=\"", html), "inline event handler"


def test_pages_may_not_be_framed_and_send_no_full_referrer(pages):
    for response in pages():
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_are_out_of_reach_of_scripts(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:profile"))

    assert client.cookies["sessionid"]["httponly"]
    assert response.cookies["csrftoken"]["httponly"]


def permissions_policy(response) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))


def test_every_answer_denies_camera_microphone_location_payment_and_usb(client, pages):
    answers = [
        *pages(),
        client.get("/findes-ikke/"),
        client.get("/static/css/portal.css"),
        client.post(reverse("account_logout")),
    ]

    for response in answers:
        features = permissions_policy(response)
        for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial"):
            assert features[feature] == "()", (response.status_code, feature)
        # The children's survey reads its questions aloud by itself, on the portal only.
        assert features["autoplay"] == "(self)"


def test_pages_for_a_logged_in_person_are_not_kept_by_the_browser(pages):
    _login, public, home, profile = pages()

    for response in (home, profile):
        assert "no-store" in response["Cache-Control"]
    assert "no-store" not in public.get("Cache-Control", "")


def test_a_childs_photo_and_the_families_attachments_are_not_kept_by_the_browser(client, world):
    from tests.messaging.matrix import extend_world

    extend_world(world)
    client.force_login(world.users["staff"])
    photo = world.objects["other_group_image"]
    urls = [
        reverse("messaging:post_image", args=[photo.pk, "fuld"]),
        reverse("messaging:post_image", args=[photo.pk, "lille"]),
        reverse("messaging:post_file", args=[world.objects["other_group_file"].pk]),
        reverse("messaging:message_file", args=[world.objects["other_family_file"].pk]),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert b"".join(response.streaming_content)


def test_a_spoken_survey_question_the_same_for_every_child_may_be_kept_by_the_tablet(client, world):
    from tests.wellbeing.helpers import give_audio, questions_of

    question = give_audio(questions_of(world.municipality)[0])
    client.force_login(world.users["leader"])

    response = client.get(reverse("wellbeing:question_audio", args=[question.pk]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=86400"
    assert b"".join(response.streaming_content)
