"""The municipality's letterhead and complaint guidance: suggested by the portal, edited by
the municipality's administrators, checked (a logo through the one upload checker), and
refused in Danish when wrong, with nothing saved."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.urls import reverse
from PIL import Image

from core.audit import AuditEntry
from institutions.letterhead import (
    GRANTS,
    PLACES,
    default_complaints,
    letterhead_context,
    letterhead_for,
    letterhead_update,
)
from institutions.models import Letterhead
from tests.factories import MunicipalityFactory, MunicipalRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def admin(koege):
    return MunicipalRoleFactory(municipality=koege, user__email="admin@example.org").user


def url(municipality) -> str:
    return reverse("institutions:letterhead", args=[municipality.pk])


def picture(name="logo.png", size=(1200, 300), colour="navy", kind="PNG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=kind)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{kind.lower()}")


def data(municipality, **changes) -> dict:
    return {
        "department": "Dagtilbud",
        "address": "Torvet 1\r\n4600 Køge",
        "phone": "56 67 67 67",
        "email": "dagtilbud@koege.example",
        "grants_complaints": default_complaints(municipality, GRANTS),
        "places_complaints": default_complaints(municipality, PLACES),
        **changes,
    }


def test_the_page_suggests_the_default_guidance_for_each_kind_of_decision(client, koege, admin):
    client.force_login(admin)

    html = client.get(url(koege)).content.decode()

    assert "Breve og klagevejledning" in html
    assert "Hvis I er uenige i afgørelsen, kan I klage til Køge Kommune." in html
    assert "Skriv, hvilken ansøgning klagen gælder" in html  # grants
    assert "dagtilbudslovens § 26, stk. 1" in html  # place allocation
    assert 'enctype="multipart/form-data"' in html
    assert "Fjern logoet" not in html  # nothing to remove yet


def test_the_administrator_saves_the_letterhead_and_a_default_text_stays_the_default(
    client, koege, admin
):
    client.force_login(admin)
    own = "Klag til Børne- og Ungeudvalget senest 14 dage efter afgørelsen."

    response = client.post(url(koege), data(koege, grants_complaints=own, logo=picture()))

    assert response.status_code == 302 and response["Location"] == url(koege)
    letterhead = Letterhead.objects.get(municipality=koege)
    assert (letterhead.department, letterhead.address, letterhead.phone) == (
        "Dagtilbud",
        "Torvet 1\n4600 Køge",
        "56 67 67 67",
    )
    assert letterhead.email == "dagtilbud@koege.example"
    assert letterhead.grants_complaints == own
    assert letterhead.places_complaints == ""  # the default, so it follows the portal
    assert letterhead.updated_by == admin
    assert letterhead.logo.name.startswith("letterheads/")
    with letterhead.logo.open("rb") as logo, Image.open(logo) as image:
        assert max(image.size) == 800  # made smaller, re-encoded without metadata
    entry = AuditEntry.objects.get(action="institutions.letterhead_changed")
    assert set(entry.changes["fields"]) >= {"department", "grants_complaints", "logo"}
    page = client.get(url(koege)).content.decode()
    assert own in page
    assert 'src="data:image/' in page  # the logo, shown as it is printed
    assert "Fjern logoet" in page


def test_saving_without_changes_writes_no_audit_entry(client, koege, admin):
    client.force_login(admin)
    client.post(url(koege), data(koege))
    client.post(url(koege), data(koege))

    assert AuditEntry.objects.filter(action="institutions.letterhead_changed").count() == 1


def test_the_logo_is_replaced_and_removed_and_the_old_file_deleted(
    client, koege, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(koege), data(koege, logo=picture()))
    first = Letterhead.objects.get(municipality=koege).logo
    storage, first_name = first.storage, first.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(koege), data(koege, logo=picture("nyt.jpg", colour="red", kind="JPEG")))
    second = Letterhead.objects.get(municipality=koege).logo.name
    assert second != first_name and not storage.exists(first_name)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(koege), data(koege, remove_logo="on"))
    assert not Letterhead.objects.get(municipality=koege).logo
    assert not storage.exists(second)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"grants_complaints": "   "}, "Skriv klagevejledningen, eller behold den foreslåede"),
        ({"places_complaints": ""}, "Skriv klagevejledningen, eller behold den foreslåede"),
        ({"phone": "ring til os"}, "Skriv telefonnummeret med cifre"),
        ({"email": "ikke en adresse"}, "Indtast en gyldig e-mail-adresse."),
        ({"grants_complaints": "x" * 5001}, "må højst have 5000 tegn"),
        (
            {"logo": SimpleUploadedFile("logo.png", b"%PDF-1.4 not a picture")},
            "logo.png kan ikke bruges her",
        ),
        (
            {"logo": SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)},
            "logo.png: Billedet kan ikke læses.",
        ),
        (
            {"logo": SimpleUploadedFile("logo.txt", b"just text")},
            "logo.txt kan ikke bruges her",
        ),
    ],
)
def test_bad_input_is_refused_in_danish_and_saves_nothing(client, koege, admin, changes, message):
    client.force_login(admin)

    response = client.post(url(koege), data(koege, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Letterhead.objects.exists()
    assert not AuditEntry.objects.filter(action="institutions.letterhead_changed").exists()


def test_bad_input_leaves_a_saved_letterhead_as_it_was(client, koege, admin):
    client.force_login(admin)
    client.post(url(koege), data(koege))

    response = client.post(url(koege), data(koege, department="Ny afdeling", email="forkert"))

    assert response.status_code == 400
    assert Letterhead.objects.get(municipality=koege).department == "Dagtilbud"


def test_the_database_refuses_a_phone_number_without_digits(koege):
    with pytest.raises(IntegrityError):
        Letterhead.objects.create(municipality=koege, phone="ring til os")


def test_only_the_municipalitys_own_administrator_may_change_it(client, koege):
    consultant = MunicipalRoleFactory(municipality=koege, role="consultant").user
    other_admin = MunicipalRoleFactory(municipality=MunicipalityFactory(code="269")).user
    for person, status in ((consultant, 403), (other_admin, 404)):
        client.force_login(person)
        assert client.get(url(koege)).status_code == status
        assert client.post(url(koege), data(koege)).status_code == status
    assert not Letterhead.objects.exists()


def test_the_administrator_finds_the_page_from_the_home_page(client, koege, admin):
    client.force_login(admin)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{url(koege)}"' in html
    assert "Breve og klagevejledning" in html


def test_a_municipality_without_a_letterhead_gets_its_name_and_the_default_guidance(koege):
    context = letterhead_context(koege, kind=PLACES)

    assert letterhead_for(koege).pk is None
    assert context["logo_src"] == ""
    assert context["complaints"] == default_complaints(koege, PLACES)
    assert "Køge Kommune" in context["complaints"]
    assert letterhead_context(koege, kind=None)["complaints"] == ""


@pytest.mark.django_db(transaction=True)
def test_two_administrators_saving_the_first_letterhead_at_once_make_one(koege, admin):
    second = MunicipalRoleFactory(municipality=koege).user
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def save(index: int, actor, department: str) -> None:
        try:
            barrier.wait(5)
            outcomes[index] = letterhead_update(
                actor=actor,
                municipality=koege,
                department=department,
                address="",
                phone="",
                email="",
                grants_complaints=default_complaints(koege, GRANTS),
                places_complaints=default_complaints(koege, PLACES),
            ).pk
        except Exception as error:  # any failure is an outcome too
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(0, admin, "Dagtilbud")),
        threading.Thread(target=save, args=(1, second, "Børn og Unge")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert outcomes[0] == outcomes[1] == Letterhead.objects.get(municipality=koege).pk, outcomes
    assert Letterhead.objects.get().department in ("Dagtilbud", "Børn og Unge")
