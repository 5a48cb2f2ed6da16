"""Place allocation in a real browser: a parent signs a child up with three wishes and
sees the place on each waiting list and the guarantee date; the leader of the first wish
offers a place from the waiting list; the parent accepts; the child is in the group and
in the leader's children list. axe checks every page on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from admissions import rules
from admissions.models import Letter, Signup
from core.dates import add_months
from institutions.models import Child, ChildrenCount, Institution
from portal import demo
from tests.browser.conftest import check_accessibility, log_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARENT = "foraelder@koege.example"
LEADER = "leder@koege.example"


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


def main_text(page) -> str:
    return " ".join(page.locator("main").inner_text().replace("\u00a0", " ").split())


def test_parent_signs_up_leader_offers_parent_accepts_child_is_in_the_group(
    seeded, new_context, page
):
    featured = Institution.objects.get(name="Børnehuset Solstrålen")
    daycares = (
        Institution.objects.filter(municipality=featured.municipality)
        .daycares()
        .exclude(pk=featured.pk)
        .order_by("name")
    )
    others = list(daycares.exclude(kind=Institution.Kind.KINDERGARTEN)[:2])
    kindergarten = daycares.filter(kind=Institution.Kind.KINDERGARTEN).first()
    today = timezone.localdate()
    start = add_months(rules.first_of_month(today), 2)

    # The parent signs Otto up with three wishes. ---------------------------------------
    log_in(page, PARENT, two_factor=False)
    page.locator("main a.card", has_text="Dine opskrivninger").first.click()
    page.wait_for_url("**/pladsanvisning/")
    check_accessibility(page)
    page.locator("main a", has_text="Skriv et barn op").click()
    page.wait_for_url("**/pladsanvisning/opskriv/*/")
    check_accessibility(page)
    page.fill("#id_child_first_name", "Otto")
    page.fill("#id_child_last_name", "Dahl")
    page.fill("#id_birth_date", (today - timedelta(days=60)).isoformat())
    page.fill("#id_wished_start", start.isoformat())
    # A two-month-old baby is too young for a kindergarten: the refusal says why.
    page.select_option("#id_wish_1", str(kindergarten.pk))
    submit(page)
    summary = page.locator("main .error-summary")
    summary.wait_for()
    months = rules.age_in_months(today - timedelta(days=60), start)
    assert f"Otto er {months} måneder den " in summary.inner_text()
    assert f"{kindergarten.name} er en børnehave for børn fra 3 år til skolestart." in (
        summary.inner_text()
    )
    check_accessibility(page)
    assert not Signup.objects.filter(child_first_name="Otto").exists()
    page.select_option("#id_wish_1", str(featured.pk))
    page.select_option("#id_wish_2", str(others[0].pk))
    page.select_option("#id_wish_3", str(others[1].pk))
    submit(page)
    page.wait_for_url("**/pladsanvisning/opskrivninger/*/")
    check_accessibility(page)
    otto = Signup.objects.get(child_first_name="Otto")
    text = main_text(page)
    assert "Otto Dahl" in text
    assert f"Plads garanteret fra {otto.guarantee_date.day}." in text
    for institution in (featured, *others):
        assert institution.name in text
    assert text.count("Nummer ") == 3
    assert otto.letters.filter(kind=Letter.Kind.SIGNED_UP).exclude(pdf="").exists()

    # The leader of the first wish offers a place from the waiting list. -----------------
    leader = new_context(bypass_csp=True).new_page()
    log_in(leader, LEADER, two_factor=True)
    leader.goto(f"/institutioner/{featured.pk}/venteliste/")
    check_accessibility(leader)
    assert "Ledige pladser pr. stue og måned" in main_text(leader)
    # The places are the municipality's to set: the page says so and whom to write to.
    box = leader.locator("main .places-set-by")
    assert "Kommunen fastsætter antallet af pladser til nye børn" in box.inner_text()
    admin = box.get_by_role("link", name="Birgitte Holm")
    assert admin.get_attribute("href") == "mailto:admin@koege.example"
    row = leader.locator("main tr", has_text="Otto Dahl")
    row.locator("a", has_text="Tilbyd en plads").click()
    leader.wait_for_url(f"**/venteliste/{otto.pk}/tilbud/")
    check_accessibility(leader)
    submit(leader)
    leader.wait_for_url(f"**/institutioner/{featured.pk}/venteliste/")
    assert "Otto har fået tilbudt en plads" in main_text(leader)
    offer = otto.offers.get()

    # The parent accepts. ------------------------------------------------------------------
    page.reload()
    check_accessibility(page)
    assert "Tilbud om plads i Børnehuset Solstrålen" in main_text(page)
    page.locator("main button", has_text="Tag imod pladsen").click()
    page.wait_for_url(f"**/pladsanvisning/opskrivninger/{otto.pk}/")
    check_accessibility(page)
    assert "Velkommen" in main_text(page)
    otto.refresh_from_db()
    assert otto.state == Signup.State.PLACED
    child = Child.objects.get(pk=otto.child_id)
    assert child.group_id == offer.group_id

    # The child is in the group and in the leader's children list. -------------------------
    leader.goto(f"/institutioner/{featured.pk}/boern/")
    check_accessibility(leader)
    # By full name, under the offered group's heading: the demo has other children
    # called Otto.
    leader.locator(
        f"xpath=//main//h2[normalize-space()='{offer.group.name}']"
        "/following-sibling::*[1]//tr[contains(., 'Otto Dahl')]"
    ).wait_for()


def test_a_daycares_groups_hold_the_children_its_grant_share_counts(seeded, page):
    troldehoejen = Institution.objects.get(name="Troldehøjen")
    counted = ChildrenCount.objects.filter(institution=troldehoejen).latest("counted_on")
    log_in(page, "leder.troldehoejen@koege.example", two_factor=True)
    page.goto(f"/institutioner/{troldehoejen.pk}/venteliste/")
    check_accessibility(page)
    rows = page.locator("main table").first.locator("tbody tr")
    now = [int(rows.nth(n).locator("td").first.inner_text()) for n in range(rows.count())]
    assert len(now) == troldehoejen.groups.count()
    assert all(now)  # no group shows "0 children now"
    assert sum(now) == counted.total
