"""The municipality's administrator onboards daycares, staff, children and guardians from
one workbook in a real browser: downloads the template, fills it, uploads a version with
a mistake and sees where, uploads the corrected one, reads the preview, imports, and
sees every invitation sent. Each page passes axe."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from institutions.models import Child, Institution, Invitation, Municipality
from portal import demo
from tests.browser.conftest import check_accessibility, log_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "admin@koege.example"
SHEETS = {
    "Dagtilbud": [
        ["501", "Solbakken", "integreret", "kommunal", "Solbakken 2", "4600", "Køge", "", "", ""],
        ["502", "Dagplejen Strandbakken", "dagpleje", "", "", "", "", "", "", ""],
    ],
    "Grupper": [
        ["501-1", "501", "Frøen", "stue"],
        ["501-2", "501", "Ugleungerne", "stue"],
        ["502-1", "502", "Dagplejer Krogh", ""],
    ],
    "Medarbejdere": [
        ["M501", "Hanne Krogh", "hanne.krogh@koege.example", "leder", "501"],
        ["M502", "Ali Yilmaz", "ali.yilmaz@koege.example", "pædagog", "501"],
        ["M503", "Bente Krogh", "bente.krogh@koege.example", "dagplejer", "502"],
    ],
    "Børn": [
        ["B501", "Asta", "Krogh", date(2022, 4, 3), "501", "501-1", None],
        ["B502", "Malik", "Yilmaz", date(2021, 9, 14), "501", "501-2", None],
        ["B503", "Vera", "Dahl", date(2023, 6, 30), "502", "502-1", None],
    ],
    "Forældre": [
        ["F501", "Jonas Krogh", "jonas.krogh@familie.example", "B501"],
        ["F502", "Eva Krogh", "eva.krogh@familie.example", "B501"],
        ["F503", "Deniz Yilmaz", "deniz.yilmaz@familie.example", "B502"],
        ["F504", "Lene Dahl", "lene.dahl@familie.example", "B503"],
    ],
}


def fill(template, path, *, birth_date_of_asta=None) -> None:
    book = load_workbook(io.BytesIO(template.read_bytes()))
    for name, rows in SHEETS.items():
        for row in rows:
            row = list(row)
            if name == "Børn" and row[0] == "B501" and birth_date_of_asta is not None:
                row[3] = birth_date_of_asta
            book[name].append(row)
    book.save(path)


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


def test_administrator_onboards_the_municipality_from_its_workbook(seeded, page, mailbox, tmp_path):
    koege = Municipality.objects.get(code=demo.KOEGE_CODE)
    log_in(page, ADMIN, two_factor=True)

    # Home → the municipality's workbook.
    page.locator("main a.card", has_text="Kommunens projektmappe").click()
    page.wait_for_url(f"**/kommune/{koege.pk}/projektmappe/")
    check_accessibility(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Hent skabelonen (Excel)").click()
    assert download.value.suggested_filename == "projektmappe-koege-kommune.xlsx"
    template = download.value.path()

    # A first try with a birth date typed as text: refused, and the place is named.
    wrong = tmp_path / "kommunen-forkert.xlsx"
    fill(template, wrong, birth_date_of_asta="03-04-2022")
    page.set_input_files("#id_file", str(wrong))
    submit(page)
    problems = page.locator("#workbook-problems tbody tr")
    problems.first.wait_for()
    assert problems.count() == 1
    assert problems.first.locator("td").all_inner_texts() == [
        "Børn",
        "2",
        "D (Fødselsdato)",
        "“03-04-2022” er tekst og ikke en dato. Skriv datoen i en datocelle, fx 17-05-2022, "
        "så dag og måned ikke kan byttes om.",
    ]
    assert not Institution.objects.filter(external_key="501").exists()
    check_accessibility(page)

    # The corrected workbook: the preview says what will happen.
    right = tmp_path / "kommunen.xlsx"
    fill(template, right)
    page.set_input_files("#id_file", str(right))
    submit(page)
    page.wait_for_url(re.compile(r"/kommune/\d+/projektmappe/\d+/$"))
    main = page.locator("main")
    assert (
        "2 dagtilbud, 3 grupper, 3 medarbejdere, 3 børn, 4 forældre; 7 invitationer sendes"
        in main.inner_text()
    )
    assert not Institution.objects.filter(external_key="501").exists()
    check_accessibility(page)

    # Import: the invitations go out (inline in tests) and the page says so.
    page.get_by_role("button", name="Importér projektmappen").click()
    page.locator("#workbook-progress", has_text="Alle 7 invitationer er sendt.").wait_for()
    assert "Projektmappen er importeret" in main.inner_text()
    check_accessibility(page)

    solbakken = Institution.objects.get(municipality=koege, external_key="501")
    assert solbakken.name == "Solbakken"
    assert sorted(
        Child.objects.filter(key_municipality=koege).values_list("first_name", flat=True)
    ) == [
        "Asta",
        "Malik",
        "Vera",
    ]
    invited = sorted(
        Invitation.objects.filter(workbook__isnull=False).values_list("email", flat=True)
    )
    assert len(invited) == 7
    arrived = {m["To"] for m in mailbox.wait_for(7)}
    assert set(invited) <= arrived
