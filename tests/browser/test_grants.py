"""The strategy's money in a real browser: a leader applies for 20,000 kr, the
administrator approves 12,000 kr in part, the leader books expenses against it and
reports; the 315,000 kr shared by number of children add up to exactly 315,000 kr and
each daycare sees its share and earmarks. axe checks every page on the way."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from grants.demo import RECEIPT_PDF
from grants.models import Application, Expense, Grant, Pool, Share
from institutions.models import Institution
from portal import demo
from tests.browser.conftest import check_accessibility, log_in, submit
from tests.grants.helpers import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADER = "leder@koege.example"
ADMIN = "admin@koege.example"
OTHER_LEADER = "leder.troldehoejen@koege.example"
TRIALS = "Forsøg med digitale læremidler"
SHARED = "Udviklingsmidler fordelt efter antal børn"
PROJECT = "Fortællekasser med lyd og billeder"


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


def path_of(page) -> str:
    return urlsplit(page.url).path


def main_text(page) -> str:
    return " ".join(page.locator("main").inner_text().replace("\u00a0", " ").split())


def test_leader_applies_administrator_approves_in_part_leader_spends_and_reports(
    seeded, new_context, page, tmp_path
):
    featured = Institution.objects.get(name="Børnehuset Solstrålen")
    trials = Pool.objects.get(name=TRIALS)

    # The leader: home → grants → apply to the open pool. -------------------------------
    log_in(page, LEADER, two_factor=True)
    page.locator("main").get_by_role("link", name="Tilskud og puljer", exact=True).click()
    page.wait_for_url(f"**/institutioner/{featured.pk}/tilskud/")
    check_accessibility(page)
    page.locator("main a", has_text=f"Søg {TRIALS}").first.click()
    page.wait_for_url(f"**/tilskud/ansoeg/{trials.pk}/")
    check_accessibility(page)

    page.fill("#id_project", PROJECT)
    page.fill("#id_purpose", "Børnene fortæller historier med lyd og billeder på en tablet.")
    page.fill("#id_goal_text", "Børnenes sprog og medbestemmelse")
    page.fill("#id_amount_asked_ore", "20.000")
    page.fill("#id_lines-0-description", "To tablets med cover")
    page.select_option("#id_lines-0-earmark", "devices")
    page.fill("#id_lines-0-amount_ore", "12.000")
    page.fill("#id_lines-1-description", "Licens til fortælle-app")
    page.select_option("#id_lines-1-earmark", "learning_materials")
    page.fill("#id_lines-1-amount_ore", "8.000")
    submit(page)
    page.wait_for_url(re.compile(r".*/ansoegninger/\d+/$"))
    application = Application.objects.get(project=PROJECT)
    assert application.amount_asked_ore == 2_000_000
    check_accessibility(page)

    page.get_by_role("button", name="Indsend ansøgningen").click()
    page.locator(".alert-success").wait_for()
    assert "Indsendt" in main_text(page)
    check_accessibility(page)
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED

    # The administrator: pools → the pool → the application → review → decide. -------
    admin = new_context(bypass_csp=True).new_page()
    log_in(admin, ADMIN, two_factor=True)
    admin.locator("header nav.nav a", has_text="Puljer").first.click()
    admin.wait_for_url("**/puljer/")
    check_accessibility(admin)
    admin.locator("main table").get_by_role("link", name=TRIALS, exact=True).click()
    admin.wait_for_url(f"**/puljer/{trials.pk}/")
    check_accessibility(admin)
    admin.locator("main table").get_by_role("link", name=PROJECT).click()
    admin.wait_for_url(f"**/ansoegninger/{application.pk}/")
    admin.get_by_role("button", name="Start behandlingen").click()
    admin.locator(".alert-success").wait_for()
    admin.locator("main a", has_text="Træf afgørelse").first.click()
    admin.wait_for_url(f"**/ansoegninger/{application.pk}/afgoer/")
    check_accessibility(admin)
    admin.check("input[name=outcome][value=partly_approved]")
    admin.fill("#id_approved_ore", "12.000")
    admin.fill("#id_reason", "Puljen støtter tablets og licens, men der var mange ansøgere.")
    admin.fill("#id_report_due_on", (timezone.localdate() + timedelta(days=120)).isoformat())
    submit(admin)
    admin.wait_for_url(f"**/ansoegninger/{application.pk}/")
    text = main_text(admin)
    assert "Delvist bevilget" in text
    assert "12.000,00 kr." in text
    check_accessibility(admin)
    application.refresh_from_db()
    assert (application.state, application.approved_ore) == ("decided", 1_200_000)

    # The letter was made after the decision committed; the leader downloads it. -------
    page.reload()
    assert "Delvist bevilget" in main_text(page)
    with page.expect_download() as download:
        page.locator("main a", has_text="Hent afgørelsesbrevet (PDF)").click()
    letter = pdf_text(download.value.path().read_bytes())
    assert "12.000,00 kr." in letter
    assert "20.000,00 kr." in letter
    assert "mange ansøgere" in letter

    # The leader books two expenses against the grant, with receipts. -----------------
    page.locator("main a", has_text="Udgifter og bilag").click()
    grant = Grant.objects.get(application=application)
    page.wait_for_url(f"**/bevillinger/{grant.pk}/")
    check_accessibility(page)
    receipt = tmp_path / "kvittering.pdf"
    receipt.write_bytes(RECEIPT_PDF)
    for earmark, description, amount in [
        ("devices", "To tablets med cover", "7.100,00"),
        ("learning_materials", "Licens til fortælle-app", "4.200"),
    ]:
        page.select_option("#id_earmark", earmark)
        page.fill("#id_description", description)
        page.fill("#id_amount_ore", amount)
        page.set_input_files("#id_receipt", str(receipt))
        submit(page)
        page.locator(".alert-success").wait_for()
    text = main_text(page)
    assert "Tablets og pc'er 7.200,00 kr. 7.100,00 kr. 100,00 kr." in text
    assert "Digitale læremidler 4.800,00 kr. 4.200,00 kr. 600,00 kr." in text
    check_accessibility(page)
    assert Expense.objects.filter(allocation__grant=grant).count() == 2

    # ... and reports. -----------------------------------------------------------------
    page.locator("main a", has_text="Ansøgningen").first.click()
    page.wait_for_url(f"**/ansoegninger/{application.pk}/")
    page.locator("main a", has_text="Skriv slutrapporten").click()
    page.wait_for_url(f"**/ansoegninger/{application.pk}/slutrapport/")
    check_accessibility(page)
    page.fill(
        "#id_report_text", "Vi købte to tablets og en licens; alle stuer har lavet fortællinger."
    )
    page.fill("#id_report_evaluation", "Børnene fortæller mere. Vi fortsætter i vuggestuen.")
    submit(page)
    page.wait_for_url(f"**/ansoegninger/{application.pk}/")
    assert "Slutrapport indsendt" in main_text(page)
    check_accessibility(page)
    application.refresh_from_db()
    assert application.state == Application.State.REPORTING

    # The administrator approves the report and closes: 700 kr go back to the pool. ----
    admin.reload()
    admin.once("dialog", lambda dialog: dialog.accept())  # "Close the grant?"
    admin.get_by_role("button", name="Godkend rapporten, og luk bevillingen").click()
    admin.locator(".alert-success").wait_for()
    assert "Lukket" in main_text(admin)
    grant.refresh_from_db()
    assert grant.returned_ore == 70_000


def test_the_315000_kroner_add_up_and_each_daycare_sees_its_share_and_earmarks(
    seeded, new_context, page
):
    shared = Pool.objects.get(name=SHARED)
    shares = Share.objects.filter(run__pool=shared).select_related("institution")
    assert sum(s.amount_ore for s in shares) == 315_000 * 100

    # The administrator's view of the shares: the sum is the pool's total exactly.
    log_in(page, ADMIN, two_factor=True)
    page.goto(f"/puljer/{shared.pk}/fordeling/")
    check_accessibility(page)
    text = main_text(page)
    assert "Andelene i alt 315.000,00 kr." in text
    assert "Offentliggjort den" in text
    page.goto(f"/puljer/{shared.pk}/")
    check_accessibility(page)
    assert page.locator("main table tbody tr").count() == shares.count() == 37

    # Each daycare's leader sees its own share and what is left per earmark.
    for email, name in [
        (LEADER, "Børnehuset Solstrålen"),
        (OTHER_LEADER, "Troldehøjen"),
    ]:
        share = shares.get(institution__name=name)
        leader = new_context(bypass_csp=True).new_page()
        log_in(leader, email, two_factor=True)
        leader.locator("header nav.nav a", has_text="Tilskud").first.click()
        leader.wait_for_url(f"**/institutioner/{share.institution_id}/tilskud/")
        check_accessibility(leader)
        text = main_text(leader)
        assert "Andel efter antal børn" in text
        amount = f"{share.amount_ore // 100:,}".replace(",", ".") + ",00 kr."
        assert amount in text
        leader.locator("main a", has_text="Andel efter antal børn").click()
        leader.wait_for_url("**/bevillinger/*/")
        check_accessibility(leader)
        text = main_text(leader)
        assert "Tablets og pc'er" in text
        if not share.has_wifi:
            assert "Trådløst netværk" in text
        # The pool page shows this daycare its own share, and no other's.
        leader.goto(f"/puljer/{shared.pk}/")
        check_accessibility(leader)
        rows = leader.locator("main table tbody tr")
        assert rows.count() == 1
        assert name in rows.first.inner_text()
        assert path_of(leader) == f"/puljer/{shared.pk}/"
