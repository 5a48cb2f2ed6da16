"""Devices and suitcases in a real browser: the ambassador registers tablets for the two
rooms that had none and the coverage indicator turns met; the administrator generates and
publishes a rotation plan; a second booking of a suitcase for an overlapping week is
refused in words; a return with a missing item is flagged. axe checks every page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.indicators import evaluate, get_indicator
from devices.models import Booking, Device, RotationPlan, Suitcase, SuitcaseClosure
from institutions.models import Institution
from portal import demo
from tests.browser.conftest import check_accessibility, log_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMBASSADOR = "ambassador@koege.example"
ADMIN = "admin@koege.example"


def open_weekdays_within(slot, *, count):
    """The first day of `count` weekdays in a row inside the slot that no closure covers,
    so the refusal is about the overlap whatever week the plan happens to start in."""
    closures = list(SuitcaseClosure.objects.filter(municipality=slot.institution.municipality))

    def open_day(day):
        return day.weekday() < 5 and not any(c.starts_on <= day <= c.ends_on for c in closures)

    day = slot.starts_on
    while day + timedelta(days=count - 1) <= slot.ends_on:
        if all(open_day(day + timedelta(days=n)) for n in range(count)):
            return day
        day += timedelta(days=1)
    raise AssertionError(f"no {count} open weekdays in a row in {slot}")


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


def main_text(page) -> str:
    return " ".join(page.locator("main").inner_text().replace("\u00a0", " ").split())


def coverage_status(featured) -> str:
    indicator = get_indicator("devices.device_per_group")
    matrix = evaluate(municipality=featured.municipality, institutions=[featured])
    return matrix.result(indicator, featured).status


def test_devices_rotation_plan_overlap_and_flagged_return(seeded, new_context, page):
    featured = Institution.objects.get(name="Børnehuset Solstrålen")
    assert coverage_status(featured) == "not_met"

    # The ambassador registers tablets for the two rooms without. ----------------------
    log_in(page, AMBASSADOR, two_factor=False)
    page.locator("main").get_by_role("link", name="Udstyr", exact=True).first.click()
    page.wait_for_url(f"**/institutioner/{featured.pk}/udstyr/")
    check_accessibility(page)
    alert = page.locator(".alert-warning").inner_text()
    rooms = alert.split("\n")[-1].split(", ")
    assert len(rooms) == 2
    for index, room in enumerate(rooms):
        page.locator("main a", has_text="Registrér udstyr").click()
        page.wait_for_url(f"**/institutioner/{featured.pk}/udstyr/ny/")
        if index == 0:
            check_accessibility(page)
        page.select_option("#id_kind", "tablet")
        page.fill("#id_model", "iPad 10")
        page.fill("#id_serial_numbers", f"BR{index}A\nBR{index}B")
        page.select_option("#id_group", label=room)
        page.fill("#id_price_ore", "3.499")
        submit(page)
        page.wait_for_url(f"**/institutioner/{featured.pk}/udstyr/")
        assert "2 enheder registreret" in main_text(page)
    assert "Alle stuer og hjem har mindst én tilgængelig tablet eller pc" in main_text(page)
    assert Device.objects.filter(serial_number__startswith="BR").count() == 4
    assert coverage_status(featured) == "met"

    # The administrator generates and publishes a plan. -------------------------------
    admin = new_context(bypass_csp=True).new_page()
    log_in(admin, ADMIN, two_factor=True)
    admin.goto(f"/kommune/{featured.municipality_id}/rotationsplaner/")
    check_accessibility(admin)
    admin.locator("main a", has_text="Ny rotationsplan").click()
    check_accessibility(admin)
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday()) + timedelta(weeks=30)
    admin.fill("#id_name", "Næste sæson")
    admin.fill("#id_starts_on", start.isoformat())
    admin.fill("#id_ends_on", (start + timedelta(weeks=16) - timedelta(days=1)).isoformat())
    admin.fill("#id_weeks_per_turn", "4")
    submit(admin)
    admin.wait_for_url(re.compile(r".*/rotationsplaner/\d+/$"))
    check_accessibility(admin)
    plan = RotationPlan.objects.get(name="Næste sæson")
    assert plan.slots.count() == 16  # 4 suitcases × 4 turns
    admin.get_by_role("button", name="Offentliggør planen").click()
    admin.locator(".alert-success").first.wait_for()
    assert "16 bookinger blev oprettet" in main_text(admin)
    assert Booking.objects.filter(plan=plan).count() == 16

    # A second booking of a suitcase for an overlapping week is refused. ----------------
    slot = plan.slots.select_related("suitcase", "institution").order_by("turn", "pk").first()
    admin.goto(f"/kufferter/{slot.suitcase_id}/book/")
    check_accessibility(admin)
    other = Institution.objects.exclude(pk=slot.institution_id).get(name="Troldehøjen")
    admin.select_option("#id_institution", str(other.pk))
    first = open_weekdays_within(slot, count=3)
    admin.fill("#id_starts_on", first.isoformat())
    admin.fill("#id_ends_on", (first + timedelta(days=2)).isoformat())
    submit(admin)
    admin.locator(".error-summary").wait_for()
    assert f"er allerede booket af {slot.institution.name}" in main_text(admin)
    check_accessibility(admin)

    # A return with a missing item is flagged. -----------------------------------------
    robots = Suitcase.objects.get(name="Robotkufferten")
    out = Booking.objects.filter(suitcase=robots, status="handed_out").first()
    admin.goto(f"/kuffertbookinger/{out.pk}/")
    admin.locator("main a", has_text="Registrér afleveringen").click()
    check_accessibility(admin)
    bee = robots.items.get(name="Bee-Bot")
    admin.fill(f"#id_counted_{bee.pk}", "5")
    admin.fill("#id_note", "En robot mangler.")
    submit(admin)
    admin.wait_for_url(f"**/kuffertbookinger/{out.pk}/")
    assert "administratorerne har fået besked" in main_text(admin)
    assert "Markeret ved afleveringen" in main_text(admin)
    check_accessibility(admin)
    out.refresh_from_db()
    assert out.flagged and out.status == "returned"
