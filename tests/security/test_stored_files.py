"""Uploaded and generated files have no public address: not on the development server
(DEBUG) either, where Django would otherwise serve MEDIA_ROOT to anyone. A file is
reached only through its app's view, after the access check, and its stored name is
random, so knowing one letter's address says nothing about the next one's."""

from __future__ import annotations

import importlib
import re
from pathlib import PurePosixPath

import pytest
from django.conf import settings
from django.urls import clear_url_caches, reverse

import portal.urls
from admissions.models import Letter
from tests.admissions.helpers import koege, make_daycare, sign_up
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def development_server(settings):
    """The URLs as `make run` builds them: with DEBUG on when the URLconf is loaded."""
    settings.DEBUG = True
    importlib.reload(portal.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(portal.urls)
    clear_url_caches()


@pytest.fixture
def letters(django_capture_on_commit_callbacks):
    """Two families' sign-up letters, made and stored the way the task makes them."""
    municipality = koege()
    daycare = make_daycare(municipality, "Solstrålen", leader=False)
    parents = [UserFactory(), UserFactory()]
    made = []
    for parent, name in zip(parents, ("Ida", "Otto"), strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            signup = sign_up(municipality, [daycare], parent=parent, name=name)
        letter = Letter.objects.get(signup=signup)
        assert letter.pdf and letter.pdf.storage.exists(letter.pdf.name)
        made.append(letter)
    return made


def test_a_stored_letter_is_not_served_at_its_media_address_even_on_the_development_server(
    client, development_server, letters
):
    letter = letters[0]

    response = client.get(f"{settings.MEDIA_URL}{letter.pdf.name}")

    assert response.status_code == 404
    assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_letter_is_served_to_its_family_and_to_nobody_else(client, letters):
    mine, theirs = letters
    url = reverse("admissions:letter", args=[mine.pk])

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))

    client.force_login(theirs.signup.parent)
    assert client.get(url).status_code == 404

    client.force_login(mine.signup.parent)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_letters_stored_name_is_random_and_not_sequential(letters):
    names = [PurePosixPath(letter.pdf.name) for letter in letters]
    stems = [name.stem for name in names]

    assert len(set(stems)) == 2
    for letter, name in zip(letters, names, strict=True):
        assert name.suffix == ".pdf"
        assert f"/{letter.signup_id}/" not in str(name)
        assert not name.stem.endswith(f"-{letter.pk}")
        assert letter.filename not in str(name)
        # URL-safe base64: six bits a character; at least 128 bits of randomness.
        assert re.fullmatch(r"[A-Za-z0-9_-]+", name.stem)
        assert len(name.stem) * 6 >= 128
