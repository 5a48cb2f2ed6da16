"""A bad onboarding workbook is refused whole, through the page, with every place named
in Danish by sheet, row and column, and nothing in the portal changes: wrong columns, a
daycare in two rows, a child in a group of another daycare, a guardian's e-mail address
that is a work address in another municipality, one e-mail address typed twice with
different case, dates as text, an empty sheet, a 50 MB file, a workbook made for another
municipality; and a re-import that would break what the portal has."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from institutions.models import Institution, Membership
from institutions.onboarding import services
from tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
)
from tests.institutions.helpers import shown, snapshot
from tests.institutions.workbooks import CHILDREN, GUARDIANS, STAFF, rows, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def admin(koege):
    return MunicipalRoleFactory(municipality=koege, user__email="admin@koege.example").user


def problems(page: str) -> list[tuple[str, str, str, str]]:
    """The rows of the page's table of problems: (sheet, row, column, message)."""
    table = page.split('id="workbook-problems"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        found.append(tuple(cells))
    return found


def danish(message: str, **params) -> str:
    return html.unescape(shown(message, **params))


def refused(client, koege, workbook) -> list[tuple[str, str, str, str]]:
    """Upload `workbook`; assert the page refuses it (400, in Danish) and that nothing in
    the portal changed; return the problems it names."""
    before = snapshot()
    response = client.post(reverse("institutions:workbook", args=[koege.pk]), {"file": workbook})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Projektmappen blev ikke importeret" in page
    assert snapshot() == before
    return problems(page)


@pytest.fixture
def page(client, admin):
    client.force_login(admin)
    return client


def test_wrong_columns_are_named_with_the_columns_the_sheet_has(page, koege):
    workbook = upload(
        koege,
        rows(),
        headers={
            "Børn": ["Barn-id", "Fornavn", "Efternavn", "Fødselsdag", "Dagtilbud-id", "Gruppe-id"]
        },
    )

    found = refused(page, koege, workbook)

    columns = "Barn-id, Fornavn, Efternavn, Fødselsdato, Dagtilbud-id, Gruppe-id, Startdato"
    assert found == [
        ("Børn", "1", "Fødselsdato", "Kolonnen “Fødselsdato” mangler."),
        (
            "Børn",
            "1",
            "D (Fødselsdag)",
            danish(
                "The column “%(title)s” is not known. The sheet's columns are: %(columns)s.",
                title="Fødselsdag",
                columns=columns,
            ),
        ),
    ]


def test_a_daycare_in_two_rows_is_named_at_its_second_row(page, koege):
    daycares = [
        ["101", "Solsikken", "integreret", "", "", "", "", "", "", ""],
        ["102", "Dagplejen Syd", "dagpleje", "", "", "", "", "", "", ""],
        ["101", "Mælkebøtten", "børnehave", "", "", "", "", "", "", ""],
    ]

    found = refused(page, koege, upload(koege, rows(Dagtilbud=daycares)))

    assert found == [
        (
            "Dagtilbud",
            "4",
            "A (Dagtilbud-id)",
            "Dagtilbud-id “101” står også i række 2. Et dagtilbud har kun én række.",
        )
    ]


def test_a_child_in_a_group_of_another_daycare_is_refused(page, koege):
    children = [list(row) for row in CHILDREN]
    children[1][5] = "102-1"  # Otto, in daycare 101, put in a childminder home of 102

    found = refused(page, koege, upload(koege, rows(Børn=children)))

    assert found == [
        (
            "Børn",
            "3",
            "F (Gruppe-id)",
            "Gruppen “Dagplejer Hansen” (102-1) hører til dagtilbuddet “Dagplejen Syd” (102) "
            "på arket Grupper, ikke til dagtilbuddet i denne række (101).",
        )
    ]


def test_a_guardians_address_that_is_a_work_address_in_another_municipality_is_refused(page, koege):
    solrod = MunicipalityFactory(name="Solrød Kommune", code="269")
    MembershipFactory(
        institution=InstitutionFactory(municipality=solrod),
        role=Membership.Role.STAFF,
        user__email="anna.berg@solrod.example",
    )
    guardians = [list(row) for row in GUARDIANS]
    guardians[2][2] = "Anna.Berg@solrod.example"

    found = refused(page, koege, upload(koege, rows(Forældre=guardians)))

    assert found == [
        (
            "Forældre",
            "4",
            "C (E-mail)",
            "Anna.Berg@solrod.example er arbejdsadresse for en medarbejder i en anden kommune. "
            "Brug forælderens egen adresse.",
        )
    ]


def test_one_address_typed_twice_with_different_case_for_two_people_is_refused(page, koege):
    staff = [list(row) for row in STAFF]
    staff[1][2] = "Lise.Holm@Koege.example"  # Per Berg given Lise Holm's address

    found = refused(page, koege, upload(koege, rows(Medarbejdere=staff)))

    assert found == [
        (
            "Medarbejdere",
            "3",
            "C (E-mail)",
            "E-mailadressen Lise.Holm@Koege.example står også i række 2, skrevet "
            "lise.holm@koege.example, for en anden person (M1). Store og små bogstaver gør "
            "ingen forskel i en e-mailadresse, så det er den samme adresse. Hver person skal "
            "have sin egen.",
        )
    ]


def test_dates_as_text_are_refused_at_their_cells(page, koege):
    children = [list(row) for row in CHILDREN]
    children[0][3] = "17-05-2022"
    children[2][6] = "1. august 2024"

    found = refused(page, koege, upload(koege, rows(Børn=children)))

    hint = "Skriv datoen i en datocelle, fx 17-05-2022, så dag og måned ikke kan byttes om."
    assert found == [
        ("Børn", "2", "D (Fødselsdato)", f"“17-05-2022” er tekst og ikke en dato. {hint}"),
        ("Børn", "4", "G (Startdato)", f"“1. august 2024” er tekst og ikke en dato. {hint}"),
    ]


def test_an_empty_sheet_is_refused_before_everyone_on_it_would_leave(page, koege):
    found = refused(page, koege, upload(koege, rows(Forældre=[])))

    assert found == [
        (
            "Forældre",
            "",
            "",
            "Arket har ingen rækker under kolonnernes navne. Et tomt ark ville betyde, at alle "
            "på arket er stoppet, så projektmappen afvises.",
        )
    ]


def test_a_50_mb_file_is_refused_before_it_is_read(page, koege):
    before = snapshot()
    big = SimpleUploadedFile("kommunen.xlsx", b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))

    response = page.post(reverse("institutions:workbook", args=[koege.pk]), {"file": big})

    assert response.status_code == 400
    assert shown("The file is too large. The largest file is %(size)d MB.", size=20) in (
        response.content.decode()
    )
    assert snapshot() == before


def test_a_workbook_made_for_another_municipality_is_refused(page, koege):
    solrod = MunicipalityFactory(name="Solrød Kommune", code="269")

    found = refused(page, koege, upload(solrod, rows()))

    assert found == [
        (
            "Kommune",
            "2",
            "A (Kommunekode)",
            "Projektmappen er til Solrød Kommune (kommunekode 269), ikke til Køge Kommune (259). "
            "Hent skabelonen til Køge Kommune.",
        )
    ]


def test_a_file_that_is_not_a_workbook_is_refused(page, koege):
    fake = SimpleUploadedFile("kommunen.xlsx", b"navn;type\nSolsikken;vuggestue\n")

    found = refused(page, koege, fake)

    assert found == [("", "", "", "Filen kunne ikke læses som en Excel-projektmappe.")]


def test_a_missing_sheet_is_named(page, koege):
    found = refused(page, koege, upload(koege, rows(), drop=("Grupper",)))

    assert found == [
        (
            "Grupper",
            "",
            "",
            "Projektmappen har intet ark, der hedder “Grupper”. Tag udgangspunkt i "
            "skabelonen, som har alle ark.",
        )
    ]


def test_every_bad_cell_of_a_sheet_is_named_at_once(page, koege):
    children = [list(row) for row in CHILDREN]
    children[0][3] = date(2099, 1, 1)
    children[1][1] = ""
    staff = [list(row) for row in STAFF]
    staff[2][3] = "kok"

    found = refused(page, koege, upload(koege, rows(Børn=children, Medarbejdere=staff)))

    assert found == [
        (
            "Medarbejdere",
            "4",
            "D (Rolle)",
            "“kok” kendes ikke. Brug en af disse: leder, pædagog, medhjælper, dagplejer.",
        ),
        ("Børn", "2", "D (Fødselsdato)", "Fødselsdatoen kan ikke ligge i fremtiden."),
        ("Børn", "3", "B (Fornavn)", "Cellen er tom, men kolonnen skal udfyldes."),
    ]


# Against what the portal has ---------------------------------------------------------


def test_a_reimport_that_moves_a_group_to_another_daycare_changes_nothing(page, koege, admin):
    first = services.workbook_check(actor=admin, municipality=koege, upload=upload(koege))
    services.workbook_import(actor=admin, workbook=first)
    groups = [["101-1", "102", "Myren", "stue"], ["101-2", "101", "Egernet", "stue"],
              ["102-1", "102", "Dagplejer Hansen", ""]]  # fmt: skip
    children = [list(row) for row in CHILDREN]
    children[0][4] = "102"

    found = refused(page, koege, upload(koege, rows(Grupper=groups, Børn=children)))

    assert found == [
        (
            "Grupper",
            "2",
            "B (Dagtilbud-id)",
            "Gruppen “101-1” hører til dagtilbuddet “Solsikken” i portalen. En gruppe kan ikke "
            "flytte til et andet dagtilbud, så giv den et nyt id.",
        )
    ]


def test_a_name_taken_by_a_daycare_the_workbook_does_not_name_is_refused(page, koege, admin):
    first = services.workbook_check(actor=admin, municipality=koege, upload=upload(koege))
    services.workbook_import(actor=admin, workbook=first)
    InstitutionFactory(municipality=koege, name="Troldehøjen")  # made in the portal
    daycares = [list(row) for row in rows()["Dagtilbud"]]
    daycares[0][1] = "Troldehøjen"  # Solsikken (101) renamed to the portal's daycare's name

    found = refused(page, koege, upload(koege, rows(Dagtilbud=daycares)))

    assert found == [
        (
            "Dagtilbud",
            "2",
            "B (Navn)",
            "Et andet dagtilbud i portalen hedder “Troldehøjen”, og det er ikke med i "
            "projektmappen (det er lukket, eller det er oprettet i portalen under et andet "
            "navn). Giv rækken det dagtilbuds id eller et andet navn.",
        )
    ]
    assert Institution.objects.get(external_key="101").name == "Solsikken"
