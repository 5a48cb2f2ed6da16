"""Goals and action plans in a real browser, on the demo data, with axe on every page:

- a leader creates a goal with didactics and themes, adds an action plan with steps,
  reorders them with buttons, records a parent board discussion and turns a decision into
  a step in one click, and marks a step done with evidence;
- an administrator sees the four indicators per daycare, the strategy and the overview.
"""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from goals.models import ActionStep, Evidence, ForumDiscussion, LocalGoal, LocalPlan
from portal import demo
from tests.browser.conftest import check_accessibility, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(live_server):
    demo.seed()
    return live_server


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (40, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def path_of(page) -> str:
    return urlsplit(page.url).path


def test_a_leader_works_with_goals_plans_discussions_and_evidence(seeded, page):
    today = timezone.localdate()
    log_in(page, "leder@koege.example", two_factor=True)
    check_accessibility(page)

    # The goal board, from the main navigation.
    page.locator("header nav.nav").get_by_role("link", name="Mål og handleplaner").click()
    page.get_by_role(
        "heading", level=1, name="Mål og handleplaner for Børnehuset Solstrålen"
    ).wait_for()
    check_accessibility(page)

    # A new goal with didactic considerations, two themes and the municipal goal it answers.
    page.get_by_role("link", name="Nyt mål").first.click()
    page.get_by_role("heading", level=1, name="Nyt mål for digitale medier").wait_for()
    check_accessibility(page)
    page.get_by_label("Titel", exact=True).fill("Lerfigurer bliver til film")
    page.locator("#id_children_activity").fill("Børnene bygger figurer i ler og filmer dem.")
    page.get_by_label("Didaktiske overvejelser", exact=True).fill(
        "Filmen er et redskab til fortælling; den voksne hjælper børnene med at planlægge."
    )
    page.get_by_label("Kommunikation og sprog (2004: Sprog)", exact=True).check()
    page.get_by_label(
        "Kultur, æstetik og fællesskab (2004: Kulturelle udtryksformer og værdier)"
    ).check()
    page.get_by_label("Alle dagtilbud har didaktiske overvejelser", exact=False).check()
    business_plan = LocalPlan.objects.get(
        institution__name="Børnehuset Solstrålen", kind="business_plan", year=today.year
    )
    page.select_option("#id_plan", value=str(business_plan.pk))
    page.get_by_label("Aktivt", exact=True).check()
    page.fill("#id_review_on", (today + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", level=1, name="Lerfigurer bliver til film").wait_for()
    check_accessibility(page)
    goal = LocalGoal.objects.get(title="Lerfigurer bliver til film")
    assert goal.status == "active"
    assert sorted(t.code for t in goal.themes.all()) == ["culture", "language"]
    assert goal.municipal_goals.count() == 1
    assert goal.plan == business_plan

    # An action plan with two steps.
    page.get_by_role("link", name="Ny handleplan").click()
    page.get_by_label("Titel", exact=True).fill("Stop motion i Egernet")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", level=1, name="Nyt trin i Stop motion i Egernet").wait_for()
    check_accessibility(page)
    page.get_by_label("Titel", exact=True).fill("Lerfigurer bygges")
    page.select_option("#id_owner", label="Sara Holst")
    page.fill("#id_due_on", (today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Gem og tilføj endnu en").click()
    page.get_by_text("Trin indtil nu").wait_for()
    page.get_by_label("Titel", exact=True).fill("Filmen vises for forældrene")
    page.select_option("#id_owner", label="Lone Kjær")
    page.fill("#id_due_on", (today + timedelta(days=40)).isoformat())
    page.get_by_role("button", name="Gem trinnet").click()
    page.get_by_role("heading", level=1, name="Lerfigurer bliver til film").wait_for()
    plan = goal.action_plans.get()
    assert [s.title for s in plan.steps.all()] == [
        "Lerfigurer bygges",
        "Filmen vises for forældrene",
    ]

    # Reorder with the buttons (htmx); the focus stays on the moved step.
    block = page.locator(f"#plan-{plan.pk}")
    last = plan.steps.get(title="Filmen vises for forældrene")
    block.locator(f"#step-{last.pk} button[value=up]").click()
    page.wait_for_function(
        "id => document.querySelector(`#plan-${id} tbody tr`).textContent.includes('Filmen vises')",
        arg=plan.pk,
    )
    assert [s.title for s in plan.steps.order_by("position")] == [
        "Filmen vises for forældrene",
        "Lerfigurer bygges",
    ]
    focused = page.evaluate("document.activeElement.textContent")
    assert "Flyt ned" in focused and "Filmen vises for forældrene" in focused
    assert "Filmen vises for forældrene er flyttet op." in page.locator("#goals-live").inner_text()
    check_accessibility(page)

    # A parent board discussion whose decision becomes a step in one click.
    page.goto(f"/institutioner/{goal.institution_id}/maal/")
    page.get_by_role("link", name="Registrér en drøftelse").first.click()
    page.get_by_role("heading", level=1, name="Registrér en drøftelse af digitalisering").wait_for()
    check_accessibility(page)
    page.get_by_label("Forældrebestyrelse", exact=True).check()
    page.fill("#id_held_on", (today - timedelta(days=2)).isoformat())
    page.get_by_label("Emne", exact=True).fill("Film med børnene")
    page.locator("#id_reflection").fill("Bestyrelsen vil gerne se børnenes film.")
    page.locator("#id_ethics").fill("Filmene vises kun for forældrene i gruppen.")
    page.locator("#id_decisions").fill("Forældrene giver samtykke til film\nFilmfestival i juni")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", level=1, name="Film med børnene").wait_for()
    check_accessibility(page)
    discussion = ForumDiscussion.objects.get(topic="Film med børnene")
    decision = discussion.decisions.get(text="Forældrene giver samtykke til film")
    row = page.locator(f"#decision-{decision.pk}")
    row.get_by_label("Handleplan").select_option(str(plan.pk))
    row.get_by_role("button", name="Gør det til et trin i handleplanen").click()
    page.locator(f"#decision-{decision.pk}").get_by_role(
        "link", name="Forældrene giver samtykke til film"
    ).wait_for()
    step_from_decision = ActionStep.objects.get(source_decision=decision)
    assert step_from_decision.plan == plan
    check_accessibility(page)

    # Mark a step done with evidence: a text and a photo, then the status (htmx).
    page.locator(f"#decision-{decision.pk}").get_by_role("link").click()
    page.get_by_role("heading", level=1, name="Forældrene giver samtykke til film").wait_for()
    check_accessibility(page)
    panel = page.locator("#evidence-panel")
    # A text is the kind chosen to begin with, and no field calls itself optional.
    assert panel.get_by_label("Tekst", exact=True).is_checked()
    assert "(frivilligt)" not in panel.locator("form").last.inner_text()
    assert panel.locator("label[for=id_text]").inner_text() == "Beskrivelse"
    # Pasted from a PDF, the text carries an invisible NUL; it is saved as it reads.
    panel.locator("#id_text").evaluate(
        "(box) => { box.value = 'Alle forældre i Egernet har\\u0000 givet samtykke.';"
        " box.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    panel.get_by_role("button", name="Tilføj dokumentation").click()
    page.locator("#evidence-panel .evidence-item p").get_by_text(
        "Alle forældre i Egernet har givet samtykke.", exact=True
    ).wait_for()
    assert page.locator("#evidence-panel .error-summary").count() == 0
    page.locator("#evidence-panel").get_by_label("Foto", exact=True).check()
    page.locator("#evidence-panel #id_text").fill("Samtykkeerklæringerne i mappen")
    page.locator("#evidence-panel #id_file").set_input_files(
        files=[{"name": "samtykke.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.locator("#evidence-panel").get_by_role("button", name="Tilføj dokumentation").click()
    page.locator("#evidence-panel img[alt='Samtykkeerklæringerne i mappen']").wait_for()
    assert page.evaluate('document.querySelector("#evidence-panel img").naturalWidth') == 120
    page.select_option("#step-status-select", label="Færdig")
    page.get_by_role("button", name="Gem status").click()
    page.locator("#step-status .badge-success").wait_for()
    check_accessibility(page)
    step_from_decision.refresh_from_db()
    assert step_from_decision.status == "done"
    assert set(Evidence.objects.filter(step=step_from_decision).values_list("kind", flat=True)) == {
        "text",
        "photo",
    }

    # The goal's history shows who changed what.
    page.goto(f"/institutioner/{goal.institution_id}/maal/{goal.pk}/historik/")
    page.get_by_role("heading", level=1, name="Historik for Lerfigurer bliver til film").wait_for()
    assert "Lone Kjær" in page.locator("main").inner_text()
    check_accessibility(page)


def test_an_administrator_sees_the_four_indicators_per_daycare(seeded, page):
    log_in(page, "admin@koege.example", two_factor=True)
    page.locator("header nav.nav").get_by_role("link", name="Indikatorer").click()
    page.get_by_role("heading", level=1, name="Indikatorer for Køge Kommune").wait_for()
    check_accessibility(page)
    headers = page.locator("table.matrix thead").inner_text()
    for title in (
        "Mål for digitale medier",
        "Mål i virksomhedsplan eller læreplan",
        "Digitalisering drøftet i et forum",
        "Læreplanen evalueret",
    ):
        assert title in headers
    solstraalen = page.locator("table.matrix tbody tr", has_text="Børnehuset Solstrålen")
    assert solstraalen.locator(".badge-success").count() >= 3
    rows = page.locator("table.matrix tbody tr").count()
    assert rows == 37  # 36 institutions and the childminding unit
    # The matrix shows the status; the daycare's own page says why.
    solstraalen.get_by_role("link", name="Børnehuset Solstrålen").click()
    page.wait_for_url("**/institutioner/*/indikatorer/")
    assert "Aktive mål:" in page.locator("main").inner_text()
    check_accessibility(page)

    # The strategy as data, and the overview of every daycare's goals.
    page.locator("header nav.nav").get_by_role("link", name="Strategi").click()
    page.get_by_role("link", name="Delstrategi for digitalisering i dagtilbud 2013–2015").click()
    page.get_by_role("heading", level=2, name="1. Digitale medier i anvendelse").wait_for()
    text = page.locator("main").inner_text()
    assert "Alle dagtilbud har adgang til trådløst netværk inden udgangen af 2014" in text
    assert "160.000 kr." in text
    check_accessibility(page)
    page.locator("header nav.nav").get_by_role("link", name="Lokale mål").click()
    page.get_by_role(
        "heading", level=1, name="Lokale mål i dagtilbuddene i Køge Kommune"
    ).wait_for()
    check_accessibility(page)
    page.get_by_role("link", name="Børnehuset Solstrålen").click()
    page.get_by_role(
        "heading", level=1, name="Mål og handleplaner for Børnehuset Solstrålen"
    ).wait_for()
    assert page.get_by_role("link", name="Nyt mål").count() == 0
    check_accessibility(page)
    assert path_of(page).endswith("/maal/")
