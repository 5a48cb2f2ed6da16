"""Danish first: the language switch, the saved choice, and no Accept-Language guessing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("set_language")
PAGE = reverse("accessibility")
COOKIE = settings.LANGUAGE_COOKIE_NAME


def page_language(response) -> str:
    assert f'<html lang="{response["Content-Language"]}">' in response.content.decode()
    return response["Content-Language"]


def test_danish_is_served_even_to_a_browser_asking_for_english(client):
    response = client.get(PAGE, headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert page_language(response) == "da"


def test_switching_to_english_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post(SWITCH, {"language": "en", "next": PAGE})

    assert response.status_code == 302
    assert response["Location"] == PAGE
    cookie = response.cookies[COOKIE]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert page_language(client.get(PAGE)) == "en"


def test_switching_back_to_danish(client):
    client.post(SWITCH, {"language": "en", "next": PAGE})

    client.post(SWITCH, {"language": "da", "next": PAGE})

    assert page_language(client.get(PAGE)) == "da"


def test_a_logged_in_persons_choice_is_saved_on_the_account(client):
    person = UserFactory(language="da")
    client.force_login(person)

    client.post(SWITCH, {"language": "en", "next": "/"})

    person.refresh_from_db()
    assert person.language == "en"


def test_the_saved_choice_wins_over_an_old_cookie(client):
    client.force_login(UserFactory(language="en"))
    client.cookies[COOKIE] = "da"

    assert page_language(client.get(reverse("home"))) == "en"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/"]
)
def test_an_unsafe_next_address_is_replaced_by_the_front_page(client, unsafe):
    response = client.post(SWITCH, {"language": "en", "next": unsafe})

    assert response["Location"] == "/"
    assert response.cookies[COOKIE].value == "en"


def test_an_unknown_language_falls_back_to_danish(client):
    client.cookies[COOKIE] = "en"

    response = client.post(SWITCH, {"language": "xx", "next": PAGE})

    assert response.cookies[COOKIE].value == "da"


def test_an_unknown_language_in_the_cookie_is_ignored(client):
    client.cookies[COOKIE] = "fr"

    assert page_language(client.get(PAGE)) == "da"


def test_the_switch_only_accepts_post(client):
    assert client.get(SWITCH, {"language": "en"}).status_code == 405


def test_every_page_offers_the_switch_back_to_the_page_itself(client):
    html = client.get(PAGE).content.decode()

    assert f'action="{SWITCH}"' in html
    assert f'name="next" value="{PAGE}"' in html
