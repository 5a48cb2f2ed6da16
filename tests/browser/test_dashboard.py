"""The compliance dashboard in a real browser, with the demo data: the administrator
opens the dashboard, filters and sorts it, drills into an indicator and a daycare, and
downloads the municipality's PDF report; the leader opens her daycare's indicators and
downloads its report. The figures in both PDFs match the pages; axe checks every page,
and the dashboard keeps the strict Content-Security-Policy (the SVG charts included)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from core.indicators import all_indicators
from institutions.models import Institution, Municipality
from portal import demo
from portal.dashboard import selectors
from tests.browser.conftest import check_accessibility, log_in, problems_of
from tests.dashboard.helpers import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "admin@koege.example"
LEADER = "leder@koege.example"
CONSULTANT = "konsulent@koege.example"


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


def da(text: str, **values) -> str:
    with translation.override("da"):
        return translation.gettext(text) % values if values else translation.gettext(text)


def test_administrator_and_leader_follow_the_strategy_and_download_their_reports(
    seeded, new_context, page, strict_page
):
    koege = Municipality.objects.get(code=demo.KOEGE_CODE)
    featured = Institution.objects.get(name="Børnehuset Solstrålen")
    dashboard = selectors.municipality_dashboard(koege)

    # The administrator: home → dashboard, every indicator for every daycare. ------------
    log_in(page, ADMIN, two_factor=True)
    page.locator("main a.card", has_text=da("Indicators")).first.click()
    page.wait_for_url(f"**/kommune/{koege.pk}/indikatorer/")
    check_accessibility(page)
    rows = page.locator("table.matrix tbody tr")
    assert rows.count() == len(dashboard.rows) == 37
    assert page.locator("table.matrix thead tr").nth(1).locator("th").count() == (
        len(all_indicators()) + 3
    )
    for summary in dashboard.summaries:
        met = da("met by %(met)s of %(total)s", met=summary.met, total=summary.applicable)
        assert met in page.locator("main").inner_text()
    assert page.locator("figure.trend-chart img").get_attribute("alt")

    # Filter by district, sort by the ambassador indicator. ------------------------------
    page.select_option("#id_district", "Køge Nord")
    page.select_option("#id_sort", "institutions.ambassador_named")
    page.get_by_role("button", name=da("Show")).click()
    page.wait_for_url(re.compile(r".*district=.*"))
    nord = [r for r in dashboard.rows if r.institution.district == "Køge Nord"]
    assert page.locator("table.matrix tbody tr").count() == len(nord)
    check_accessibility(page)

    # Drill down: one indicator, then one daycare. ---------------------------------------
    page.locator("main a", has_text=da("Digital ambassador named")).first.click()
    page.wait_for_url("**/indikatorer/institutions.ambassador_named/**")
    check_accessibility(page)
    page.locator("main table a", has_text="Børnehuset Solstrålen").click()
    page.wait_for_url(f"**/institutioner/{featured.pk}/indikatorer/")
    check_accessibility(page)

    # The municipality's report: asked for, made, downloaded; its figures match. --------
    page.goto(f"/kommune/{koege.pk}/rapporter/")
    check_accessibility(page)
    # Tasks run inline in tests, so the request itself makes the PDF: allow it time.
    page.get_by_role("button", name=da("Make a new report")).click(no_wait_after=True)
    link = page.locator("#report-status a", has_text=re.compile("PDF"))
    link.wait_for(timeout=90_000)
    assert re.search(r"/rapporter/\d+/$", page.url)
    check_accessibility(page)
    with page.expect_download() as download:
        link.click()
    text = pdf_text(download.value.path().read_bytes())
    for summary in dashboard.summaries:
        assert da("met by %(met)s of %(total)s", met=summary.met, total=summary.applicable) in text

    # The dashboard keeps the strict CSP, charts included. -------------------------------
    log_in(strict_page, CONSULTANT, two_factor=False)
    strict_page.goto(f"/kommune/{koege.pk}/indikatorer/")
    assert strict_page.locator("figure.trend-chart img").evaluate("img => img.naturalWidth") > 0
    assert not problems_of(strict_page).csp_violations

    # The leader: her daycare's indicators, what to do next, and its report. -------------
    leader_page = new_context(bypass_csp=True).new_page()
    log_in(leader_page, LEADER, two_factor=True)
    leader_page.locator("main").get_by_role("link", name=da("Our indicators"), exact=True).click()
    leader_page.wait_for_url(f"**/institutioner/{featured.pk}/indikatorer/")
    check_accessibility(leader_page)
    mine = selectors.institution_dashboard(featured)
    lead = da("%(met)s of %(total)s indicators met.", met=mine.met, total=mine.applicable)
    assert lead in leader_page.locator("main").inner_text()
    leader_page.locator("main a", has_text=da("Status report (PDF)")).click()
    leader_page.get_by_role("button", name=da("Make a new report")).click(no_wait_after=True)
    link = leader_page.locator("#report-status a", has_text=re.compile("PDF"))
    link.wait_for(timeout=90_000)
    with leader_page.expect_download() as download:
        link.click()
    text = pdf_text(download.value.path().read_bytes())
    assert lead in text
    assert da("Every indicator with its evidence") in text
