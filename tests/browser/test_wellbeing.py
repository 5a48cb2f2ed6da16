"""The children's own voice in a real browser with touch: a pedagogue starts the
questionnaire on the group's tablet, a child taps their picture and answers every
question by tapping (each question's sound exists and plays), chooses playmates, and the
session ends; the leader sees the group's results and relations map; a parent and a
staff member of another group get 404. axe checks the pages on the way."""

from __future__ import annotations

import re

import pytest

from institutions.models import Membership
from portal import demo
from tests.browser.conftest import check_accessibility, log_in
from wellbeing import speech
from wellbeing.models import Question, Response, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = "paedagog@koege.example"
LEADER = "leder@koege.example"
PARENT = "foraelder@koege.example"
OTHER_GROUP_STAFF = "medhjaelper@koege.example"
TABLET = {"has_touch": True, "is_mobile": True, "viewport": {"width": 820, "height": 1180}}

PLAYING = """() => {
    const audio = document.getElementById("question-audio");
    return (audio.currentTime > 0 && !audio.paused) || audio.ended;
}"""
HEARD = """() => {
    const audio = document.getElementById("question-audio");
    return {duration: audio.duration, played: audio.played.length, error: audio.error};
}"""


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    return demo.seed()


def test_a_child_answers_on_the_tablet_and_the_leader_sees_results_and_relations(
    seeded, new_context
):
    assert speech.is_available(), "espeak-ng is needed for the spoken questions (.ci/run)"
    staff = Membership.objects.get(user__email=STAFF, role="staff")
    group = staff.groups.get()
    questions = Question.objects.filter(municipality=seeded.koege, is_active=True)
    assert questions.count() >= 9

    # The pedagogue starts a session on the tablet. ------------------------------------
    tablet = new_context(bypass_csp=True, **TABLET).new_page()
    log_in(tablet, STAFF, two_factor=False)
    tablet.goto(f"/trivsel/grupper/{group.pk}/")
    check_accessibility(tablet)
    tablet.get_by_role("button", name="Start spørgeskemaet på tabletten").tap()
    tablet.wait_for_url(re.compile(r".*/trivsel/tablet/\d+/$"))
    session = Session.objects.get(group=group, closed_at__isnull=True)
    check_accessibility(tablet)

    # A child taps their own picture (one who has not answered this year). ---------------
    tablet.locator("button.tablet-child:not([disabled])").first.tap()
    tablet.wait_for_url(re.compile(r".*/trivsel/tablet/svar/\d+/$"))
    response = Response.objects.get(session=session)

    # Every question: its sound exists and plays; the child taps a smiley or playmates.
    for number in range(1, len(session.question_ids) + 1):
        assert f"Spørgsmål {number} af" in tablet.locator(".tablet-progress").inner_text()
        audio = tablet.locator("audio#question-audio")
        assert audio.count() == 1
        source = audio.get_attribute("src")
        assert source and "/lyd/" in source
        tablet.get_by_role("button", name="Hør spørgsmålet igen").tap()
        tablet.wait_for_function(PLAYING, timeout=8000)
        heard = tablet.evaluate(HEARD)
        assert heard["played"] and heard["duration"] > 0.5 and not heard["error"], heard
        if number == 1:
            check_accessibility(tablet)
        if tablet.locator(".tablet-peers").count():
            check_accessibility(tablet)
            tablet.locator("label.tablet-peer").nth(0).tap()
            tablet.locator("label.tablet-peer").nth(2).tap()
            with tablet.expect_navigation():
                tablet.get_by_role("button", name="Færdig").tap()
        else:
            with tablet.expect_navigation():
                tablet.get_by_role("button", name="Glad" if number % 3 else "Både og").tap()

    tablet.get_by_role("heading", name="Tak for dine svar!").wait_for()
    check_accessibility(tablet)
    response.refresh_from_db()
    assert response.completed_at is not None
    assert response.answers.count() == len(session.question_ids)
    assert response.choices.count() == 2

    # The adult ends the session from the picker page.
    tablet.get_by_role("link", name="Næste barn").tap()
    tablet.once("dialog", lambda dialog: dialog.accept())
    tablet.get_by_role("button", name="Afslut runden").tap()
    tablet.locator(".alert-success").wait_for()
    session.refresh_from_db()
    assert session.closed_at is not None and session.respondents == 1
    assert session.tallies.exists()

    # The leader sees the group's results and relations map. -----------------------------
    leader = new_context(bypass_csp=True).new_page()
    log_in(leader, LEADER, two_factor=True)
    leader.goto(f"/trivsel/grupper/{group.pk}/")
    assert "17 børn har svaret." in leader.locator("main").inner_text()
    assert leader.locator("main table .result-bar").count() >= 9
    check_accessibility(leader)
    leader.get_by_role("link", name="Relationskort: hvem leger gerne med hvem").click()
    leader.get_by_role("heading", level=1, name=f"Relationskort: {group.name}").wait_for()
    assert leader.locator("svg.relations-map line").count() > 5
    assert leader.locator("svg.relations-map text").count() == group.children.count()
    nobody = leader.locator("ul[aria-labelledby=nobody-heading] li")
    assert nobody.count() >= 1
    check_accessibility(leader)

    # A parent and a staff member of another group get 404 on every page of it. ---------
    other_group = group.institution.groups.exclude(pk=group.pk).first()
    Membership.objects.get(user__email=OTHER_GROUP_STAFF, role="staff").groups.add(other_group)
    pages = [
        f"/trivsel/grupper/{group.pk}/",
        f"/trivsel/grupper/{group.pk}/relationer/",
        f"/trivsel/grupper/{group.pk}/billeder/",
        f"/trivsel/tablet/{session.pk}/",
        f"/trivsel/tablet/svar/{response.pk}/",
    ]
    for email in (PARENT, OTHER_GROUP_STAFF):
        outsider = new_context(bypass_csp=True).new_page()
        log_in(outsider, email, two_factor=False)
        for path in pages:
            assert outsider.goto(path).status == 404, f"{email} reached {path}"
