"""The administrator writes Køge's complaint guidance and letterhead in the browser: bad
input is refused in Danish and changes nothing; what is saved is printed on the next
decision letter, which the administrator then makes and downloads. axe checks each page."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from grants.models import Application
from institutions.models import Letterhead, Municipality
from portal import demo
from tests.browser.conftest import check_accessibility, log_in, submit
from tests.grants.helpers import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "admin@koege.example"
OWN = (
    "Er I uenige i afgørelsen, kan I skrive til Dagtilbud i Køge Kommune senest 4 uger "
    "efter, at I har fået brevet. Vi svarer skriftligt inden 14 dage."
)


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


def main_text(page) -> str:
    return " ".join(page.locator("main").inner_text().replace("\u00a0", " ").split())


def test_the_administrator_writes_the_guidance_and_the_next_letter_carries_it(
    seeded, page, tmp_path
):
    koege = Municipality.objects.get(code=demo.KOEGE_CODE)
    before = Letterhead.objects.values().get(municipality=koege)
    application = Application.objects.get(project="Digitale naturfortællinger")

    log_in(page, ADMIN, two_factor=True)
    page.locator("main a.card", has_text="Breve og klagevejledning").click()
    page.wait_for_url(f"**/kommune/{koege.pk}/breve/")
    check_accessibility(page)
    guidance = page.get_by_label("Klagevejledning ved afgørelser om tilskud")
    assert "kan I klage til Køge Kommune" in guidance.input_value()  # the suggestion

    # Bad input: refused in Danish, nothing saved. -------------------------------------
    guidance.fill("")
    page.locator("#id_email").fill("dagtilbud-koege")
    submit(page)
    page.locator(".error-summary").wait_for()
    summary = page.locator(".error-summary").inner_text()
    assert "Skriv klagevejledningen, eller behold den foreslåede tekst." in summary
    assert "Indtast en gyldig e-mail-adresse." in summary
    check_accessibility(page)
    assert Letterhead.objects.values().get(municipality=koege) == before

    # The municipality's own text and its logo. -----------------------------------------
    guidance.fill(OWN)
    page.locator("#id_email").fill("dagtilbud@koege.example")
    page.locator("#id_department").fill("Dagtilbud og Skole")
    logo = tmp_path / "koege-logo.png"
    Image.new("RGB", (600, 200), "darkgreen").save(logo)
    page.locator("#id_logo").set_input_files(str(logo))
    submit(page)
    page.locator(".alert-success").wait_for()
    assert "De næste breve får dem med." in main_text(page)
    assert page.locator("main figure img").get_attribute("src").startswith("data:image/")
    check_accessibility(page)
    saved = Letterhead.objects.get(municipality=koege)
    assert (saved.grants_complaints, saved.department) == (OWN, "Dagtilbud og Skole")

    # The next decision: rejected in the browser, its letter downloaded. --------------
    page.goto(f"/ansoegninger/{application.pk}/afgoer/")
    page.check("input[name=outcome][value=rejected]")
    page.fill("#id_reason", "Puljen prioriterer projekter, der bruger kufferternes udstyr.")
    submit(page)
    page.wait_for_url(f"**/ansoegninger/{application.pk}/")
    with page.expect_download() as download:
        page.locator("main a", has_text="Hent afgørelsesbrevet (PDF)").click()
    data = download.value.path().read_bytes()
    letter = pdf_text(data)
    assert OWN in letter
    assert "Klagevejledning" in letter
    assert "kan I klage til Køge Kommune" not in letter  # the suggestion was replaced
    for part in ("Dagtilbud og Skole", "Torvet 1", "4600 Køge", "Telefon 56 67 67 67"):
        assert part in letter
    assert "E-mail dagtilbud@koege.example" in letter
    first_page = PdfReader(io.BytesIO(data)).pages[0]
    assert len(first_page.images) == 1  # the logo
    assert re.search(r"Med venlig hilsen \S+", letter)
