"""The goals pages as their users meet them: the owner does the work, a member without the
role is refused (403), an outsider finds nothing (404). htmx requests get partials."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEntry
from goals.models import (
    ActionPlan,
    ActionStep,
    CurriculumEvaluation,
    Evidence,
    ForumDiscussion,
    LocalGoal,
    LocalPlan,
    Project,
    StrategyItem,
    StrategyPeriod,
)
from tests.factories import MembershipFactory
from tests.goals.factories import (
    ActionPlanFactory,
    ActionStepFactory,
    EvidenceFactory,
    FocusAreaFactory,
    ForumDecisionFactory,
    ForumDiscussionFactory,
    LocalGoalFactory,
    LocalPlanFactory,
    ProjectFactory,
    StrategyItemFactory,
    StrategyPeriodFactory,
    pdf_bytes,
    png_bytes,
    theme,
)
from tests.institutions.helpers import shown
from tests.messaging.helpers import assert_without_metadata, photo_with_location

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"goals:{name}", args=args)


@pytest.fixture
def goal(world):
    goal = LocalGoalFactory(institution=world.institution, title="Digital fortælling")
    goal.themes.set([theme("language")])
    return goal


@pytest.fixture
def plan(goal):
    return ActionPlanFactory(goal=goal, title="Efterårets forløb")


@pytest.fixture
def step(world, plan):
    return ActionStepFactory(plan=plan, title="Børnene laver bøger", owner=world.user("staff"))


# Goals --------------------------------------------------------------------------------


def test_a_leader_creates_a_goal_with_didactics_and_themes(world, login):
    client = login(world.user("leader"))
    item = StrategyItemFactory(
        focus_area__period__municipality=world.municipality, text="Didaktiske overvejelser"
    )
    business_plan = LocalPlanFactory(institution=world.institution)

    response = client.post(
        url("goal_create", world.institution.pk),
        {
            "title": "Digital fortælling",
            "children_activity": "Børnene laver bøger",
            "didactic_considerations": "Den voksne deltager",
            "inclusion": "Alle fortæller",
            "themes": [theme("language").pk, theme("culture").pk],
            "municipal_goals": [item.pk],
            "plan": business_plan.pk,
            "status": "active",
            "review_on": "2027-03-01",
        },
    )

    goal = LocalGoal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("goal_detail", world.institution.pk, goal.pk)
    assert goal.institution == world.institution
    assert sorted(t.code for t in goal.themes.all()) == ["culture", "language"]
    assert list(goal.municipal_goals.all()) == [item]
    page = client.get(response["Location"]).content.decode()
    assert "Digital fortælling" in page
    assert "Kommunikation og sprog" in page
    assert "Didaktiske overvejelser" in page


def test_a_goal_without_didactic_considerations_is_shown_back_with_the_error(world, login):
    client = login(world.user("ambassador"))

    response = client.post(
        url("goal_create", world.institution.pk), {"title": "Mål", "status": "active"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert shown("Didactic considerations") in page
    assert not LocalGoal.objects.exists()


def test_the_goal_form_offers_themes_of_2018_with_their_2004_names(world, login):
    page = login(world.user("leader")).get(url("goal_create", world.institution.pk))
    html = page.content.decode()
    assert shown("%(name)s (2004: %(old)s)", name="Kommunikation og sprog", old="Sprog") in html
    assert "Barnets alsidige personlige udvikling" in html  # as the 2004 name of a 2018 theme


def test_a_goal_with_2004_themes_shows_their_names_today(world, login, goal):
    goal.themes.set([theme("body", 2004)])
    page = login(world.user("staff")).get(url("goal_detail", world.institution.pk, goal.pk))
    html = page.content.decode()
    assert "Krop og bevægelse" in html
    assert "Krop, sanser og bevægelse" in html


def test_editing_a_goal_keeps_the_change_in_its_history(world, login, goal):
    client = login(world.user("leader"))
    response = client.post(
        url("goal_edit", world.institution.pk, goal.pk),
        {
            "title": "Digital fortælling for alle",
            "didactic_considerations": goal.didactic_considerations,
            "themes": [theme("language").pk],
            "status": "achieved",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Digital fortælling for alle", "achieved")

    history = login(world.user("board_member")).get(
        url("goal_history", world.institution.pk, goal.pk)
    )
    html = history.content.decode()
    assert world.user("leader").name in html
    assert "Digital fortælling for alle" in html
    assert shown("Achieved") in html
    assert shown("Goal changed") in html


def test_a_board_member_reads_goals_but_gets_no_buttons_and_no_evidence(world, login, goal, step):
    EvidenceFactory(step=step, text="Foto af Almas bog")
    client = login(world.user("board_member"))

    board = client.get(url("board", world.institution.pk)).content.decode()
    assert "Digital fortælling" in board
    assert url("goal_create", world.institution.pk) not in board
    detail = client.get(url("step_detail", world.institution.pk, goal.pk, step.pk))
    assert detail.status_code == 200
    assert "Foto af Almas bog" not in detail.content.decode()
    with translation.override("da"):
        staff_only = translation.gettext("Evidence is shown to the daycare's staff only.")
    assert staff_only in detail.content.decode()


def test_a_guardian_and_outsiders_cannot_read_the_goals(world, login, goal):
    assert login(world.user("guardian")).get(url("board", world.institution.pk)).status_code == 403
    for role in ("other_leader", "other_admin", "childminder"):
        response = login(world.user(role)).get(url("goal_detail", world.institution.pk, goal.pk))
        assert response.status_code == 404, role


def test_a_goal_of_another_daycare_is_not_found_through_ours(world, login):
    theirs = LocalGoalFactory(institution=world.neighbour)
    response = login(world.user("leader")).get(url("goal_detail", world.institution.pk, theirs.pk))
    assert response.status_code == 404


def test_the_municipality_reads_but_does_not_edit_a_daycares_goal(world, login, goal):
    client = login(world.user("admin"))
    assert client.get(url("goal_detail", world.institution.pk, goal.pk)).status_code == 200
    response = client.post(
        url("goal_edit", world.institution.pk, goal.pk), {"title": "X", "status": "draft"}
    )
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.title == "Digital fortælling"


# Action plans and steps ---------------------------------------------------------------


def test_a_leader_adds_an_action_plan_and_its_steps(world, login, goal):
    client = login(world.user("leader"))
    response = client.post(
        url("action_plan_create", world.institution.pk, goal.pk), {"title": "Forløb"}
    )
    plan = ActionPlan.objects.get()
    assert response["Location"] == url("step_create", world.institution.pk, goal.pk, plan.pk)

    form = client.get(response["Location"]).content.decode()
    assert world.user("staff").name in form
    assert world.user("board_member").name not in form  # only staff may own a step

    response = client.post(
        url("step_create", world.institution.pk, goal.pk, plan.pk),
        {
            "title": "Køb iPads",
            "owner": world.user("staff").pk,
            "due_on": "2026-12-01",
            "another": "1",
        },
    )
    assert response["Location"] == url("step_create", world.institution.pk, goal.pk, plan.pk)
    client.post(
        url("step_create", world.institution.pk, goal.pk, plan.pk),
        {"title": "Workshop", "owner": world.user("leader").pk, "due_on": "2026-12-15"},
    )
    assert [s.title for s in plan.steps.all()] == ["Køb iPads", "Workshop"]


def test_an_owner_outside_the_daycare_is_not_offered_and_not_accepted(world, login, plan):
    outsider = world.user("other_leader")
    response = login(world.user("leader")).post(
        url("step_create", world.institution.pk, plan.goal_id, plan.pk),
        {"title": "Køb", "owner": outsider.pk, "due_on": "2026-12-01"},
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not ActionStep.objects.exists()


def test_a_staff_member_marks_their_own_step_done_with_htmx(world, login, step):
    client = login(world.user("staff"))

    response = client.post(
        url("step_status", world.institution.pk, step.plan.goal_id, step.pk),
        {"status": "done"},
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<section class="plan-block" id="plan-{step.plan_id}"')
    assert 'data-hx-swap-oob="innerHTML"' in html
    assert shown("Done") in html
    assert f'id="status-{step.pk}" name="status" autofocus' in html
    step.refresh_from_db()
    assert step.status == "done" and step.completed_at


def test_without_javascript_the_status_form_posts_and_returns_to_the_goal(world, login, step):
    goal_url = url("goal_detail", world.institution.pk, step.plan.goal_id)
    response = login(world.user("leader")).post(
        url("step_status", world.institution.pk, step.plan.goal_id, step.pk),
        {"status": "in_progress", "next": goal_url + "#plan-1"},
    )
    assert response.status_code == 302
    assert response["Location"] == goal_url + "#plan-1"
    step.refresh_from_db()
    assert step.status == "in_progress"


def test_the_next_address_must_be_ours(world, login, step):
    response = login(world.user("leader")).post(
        url("step_status", world.institution.pk, step.plan.goal_id, step.pk),
        {"status": "done", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/institutioner/")


def test_staff_cannot_change_a_step_someone_else_owns(world, login, plan):
    theirs = ActionStepFactory(plan=plan, owner=world.user("leader"))
    response = login(world.user("staff")).post(
        url("step_status", world.institution.pk, plan.goal_id, theirs.pk), {"status": "done"}
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "not_started"


def test_steps_are_reordered_with_buttons_and_the_focus_follows(world, login, plan):
    first = ActionStepFactory(plan=plan, title="Første", owner=world.user("leader"), position=1)
    second = ActionStepFactory(plan=plan, title="Anden", owner=world.user("leader"), position=2)

    response = login(world.user("ambassador")).post(
        url("step_move", world.institution.pk, plan.goal_id, second.pk),
        {"direction": "up"},
        **HTMX,
    )

    html = response.content.decode()
    assert html.index("Anden") < html.index("Første")
    assert [s.title for s in plan.steps.order_by("position")] == ["Anden", "Første"]
    # The moved step is now first: "up" is disabled, so the focus lands on "down".
    row = html[html.index(f'id="step-{second.pk}"') : html.index(f'id="step-{first.pk}"')]
    assert 'value="up" class="function-link" disabled' in row
    assert 'value="down" class="function-link" autofocus' in row
    assert shown("%(step)s moved up.", step="Anden") in html


def _evidence_panel(response) -> str:
    html = response.content.decode()
    return html[html.index('<div id="evidence-panel">') :]


def test_text_pasted_with_an_invisible_nul_character_is_saved_as_typed(world, login, step):
    # Text copied from a PDF can carry NUL characters: the form said "Write the text"
    # (with "Null characters are not allowed") although the text was there.
    response = login(world.user("staff")).post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk),
        {"kind": "text", "text": "Referat fra\x00 forældremødet"},
        **HTMX,
    )

    panel = _evidence_panel(response)
    assert "error-summary" not in panel
    assert shown("Describe what was done.") not in panel
    assert Evidence.objects.get().text == "Referat fra forældremødet"
    assert "Referat fra forældremødet" in panel


def test_a_text_is_saved_though_the_link_box_holds_something_else(world, login, step):
    response = login(world.user("staff")).post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk),
        {"kind": "text", "text": "Bøgerne er lavet", "url": "se mappen"},
        **HTMX,
    )

    assert "error-summary" not in _evidence_panel(response)
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.text, evidence.url) == ("text", "Bøgerne er lavet", "")


def test_an_empty_text_is_refused_once_in_danish_and_nothing_is_stored(world, login, step):
    response = login(world.user("staff")).post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk),
        {"kind": "text", "text": "   "},
        **HTMX,
    )

    panel = _evidence_panel(response)
    assert panel.count(shown("Describe what was done.")) == 2  # the summary and the field
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"text": "Bøgerne er lavet"}, "text"),
        ({"url": "https://example.org/bog", "text": "Bogen"}, "link"),
        ({"file": "photo"}, "photo"),
    ],
)
def test_without_a_kind_chosen_the_evidence_is_what_was_filled_in(world, login, step, data, kind):
    if data.get("file") == "photo":
        data = {"file": SimpleUploadedFile("bog.png", png_bytes(), content_type="image/png")}
    login(world.user("staff")).post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk), data, **HTMX
    )
    assert Evidence.objects.get().kind == kind


def test_the_evidence_form_starts_on_text_and_calls_no_field_optional(world, login, step):
    page = login(world.user("staff")).get(
        url("step_detail", world.institution.pk, step.plan.goal_id, step.pk)
    )
    panel = _evidence_panel(page)
    assert 'value="text" id="id_kind_0" class="form-radio" checked' in panel
    assert shown("optional") not in panel
    assert f'for="id_text">{shown("Description")}</label>' in panel


def test_a_leader_adds_a_photo_as_evidence_with_htmx(world, login, step):
    client = login(world.user("leader"))
    photo = SimpleUploadedFile("bog.png", png_bytes(), content_type="image/png")

    response = client.post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk),
        {"kind": "photo", "text": "Forsiden", "file": photo},
        **HTMX,
    )

    assert response.status_code == 200
    evidence = Evidence.objects.get()
    html = response.content.decode()
    assert html.startswith('<div id="evidence-panel">')
    src = url("evidence_file", world.institution.pk, step.plan.goal_id, evidence.pk)
    assert f'<img src="{src}" alt="Forsiden"' in html
    assert shown("The evidence was added.") in html

    image = client.get(src)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"  # re-encoded without its metadata
    assert "attachment" not in image.get("Content-Disposition", "")
    assert image["Cache-Control"] == "private, max-age=0, no-store"


def test_an_evidence_photo_is_stored_without_its_gps_position(world, login, step):
    client = login(world.user("leader"))

    response = client.post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk),
        {"kind": "photo", "text": "Legepladsen", "file": photo_with_location()},
        **HTMX,
    )

    assert response.status_code == 200
    evidence = Evidence.objects.get()
    with evidence.file.open("rb") as stored:
        assert_without_metadata(stored.read())
    served = client.get(url("evidence_file", world.institution.pk, step.plan.goal_id, evidence.pk))
    assert_without_metadata(b"".join(served.streaming_content))


def test_a_wrong_file_is_refused_in_the_form_and_nothing_is_stored(world, login, step):
    fake = SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = login(world.user("staff")).post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk),
        {"kind": "file", "file": fake},
        **HTMX,
    )
    html = response.content.decode()
    assert "error-summary" in html
    assert (
        shown(
            "%(name)s: the file's content does not match its name. Save it again in the right "
            "format and choose it once more.",
            name="plan.pdf",
        )
        in html
    )
    assert not Evidence.objects.exists()


def test_documents_download_to_staff_and_municipality_photos_to_staff_only(world, login, step):
    client = login(world.user("staff"))
    client.post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk),
        {"kind": "file", "file": SimpleUploadedFile("Handleplan.pdf", pdf_bytes())},
    )
    client.post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk),
        {"kind": "photo", "file": SimpleUploadedFile("barn.png", png_bytes())},
    )
    document = Evidence.objects.get(kind="file")
    photo = Evidence.objects.get(kind="photo")
    goal_id = step.plan.goal_id

    download = client.get(url("evidence_file", world.institution.pk, goal_id, document.pk))
    assert download["Content-Disposition"] == 'attachment; filename="Handleplan.pdf"'
    assert b"".join(download.streaming_content) == pdf_bytes()

    consultant = login(world.user("consultant"))
    assert (
        consultant.get(url("evidence_file", world.institution.pk, goal_id, document.pk)).status_code
        == 200
    )
    assert (
        consultant.get(url("evidence_file", world.institution.pk, goal_id, photo.pk)).status_code
        == 403
    )
    page = consultant.get(
        url("step_detail", world.institution.pk, goal_id, step.pk)
    ).content.decode()
    assert "Handleplan.pdf" in page
    assert "barn.png" not in page
    with translation.override("da"):
        hidden = translation.ngettext(
            "%(counter)s photo is shown to the daycare's staff only.",
            "%(counter)s photos are shown to the daycare's staff only.",
            1,
        ) % {"counter": 1}
    assert hidden in page  # template text, not escaped


def test_whoever_added_evidence_may_remove_it(world, login, step):
    evidence = EvidenceFactory(step=step, added_by=world.user("staff"))
    response = login(world.user("staff")).post(
        url("evidence_delete", world.institution.pk, step.plan.goal_id, evidence.pk)
    )
    assert response.status_code == 302
    assert not Evidence.objects.exists()


# Plans, discussions and evaluations ---------------------------------------------------


def test_a_leader_records_this_years_business_plan(world, login):
    client = login(world.user("leader"))
    response = client.post(
        url("plans", world.institution.pk),
        {"kind": "business_plan", "year": timezone.localdate().year, "title": "Leg og sprog"},
    )
    assert response.status_code == 302
    assert LocalPlan.objects.get().title == "Leg og sprog"
    assert (
        login(world.user("staff"))
        .post(url("plans", world.institution.pk), {"kind": "business_plan", "year": 2030})
        .status_code
        == 403
    )


def test_a_board_discussion_is_recorded_and_a_decision_becomes_a_step_in_one_click(
    world, login, plan
):
    client = login(world.user("leader"))
    response = client.post(
        url("discussion_create", world.institution.pk),
        {
            "forum": "parent_board",
            "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "topic": "Billeder af børnene",
            "reflection": "Forældrene vil se processen",
            "ethics": "Kun lukkede grupper",
            "decisions": "Samtykke fra alle forældre\n\nBøger vises på forældreaften",
        },
    )
    discussion = ForumDiscussion.objects.get()
    assert response["Location"] == url("discussion_detail", world.institution.pk, discussion.pk)
    decision = discussion.decisions.get(text="Samtykke fra alle forældre")

    response = client.post(
        url("decision_to_step", world.institution.pk, discussion.pk, decision.pk),
        {"plan": plan.pk},
        **HTMX,
    )

    step = ActionStep.objects.get()
    assert (step.plan, step.title, step.source_decision) == (plan, decision.text, decision)
    html = response.content.decode()
    assert html.startswith(f'<li class="decision" id="decision-{decision.pk}">')
    assert url("step_detail", world.institution.pk, plan.goal_id, step.pk) in html
    assert "autofocus" in html
    # The board member sees the decision with its step.
    page = login(world.user("board_member")).get(
        url("discussion_detail", world.institution.pk, discussion.pk)
    )
    assert step.title in page.content.decode()


def test_a_decision_cannot_be_turned_into_a_step_of_another_daycare(world, login):
    theirs = ActionPlanFactory(goal__institution=world.neighbour)
    decision = ForumDecisionFactory(discussion__institution=world.institution)
    response = login(world.user("leader")).post(
        url("decision_to_step", world.institution.pk, decision.discussion_id, decision.pk),
        {"plan": theirs.pk},
        **HTMX,
    )
    assert response.status_code == 200
    assert shown("Choose the action plan the step belongs to.") in response.content.decode()
    assert not ActionStep.objects.exists()


def test_a_decision_is_added_to_a_discussion(world, login):
    discussion = ForumDiscussionFactory(institution=world.institution)
    response = login(world.user("ambassador")).post(
        url("decision_add", world.institution.pk, discussion.pk),
        {"text": "Prøv stop motion", "responsible": world.user("staff").pk, "due_on": "2027-01-10"},
    )
    assert response.status_code == 302
    decision = discussion.decisions.get()
    assert (decision.responsible, decision.due_on) == (world.user("staff"), date(2027, 1, 10))


def test_an_evaluation_with_its_document_is_recorded_and_read_by_the_board(world, login):
    client = login(world.user("leader"))
    response = client.post(
        url("evaluations", world.institution.pk),
        {
            "evaluated_on": "2026-03-01",
            "summary": "Sprog styrkes",
            "children_perspective": "on",
            "document": SimpleUploadedFile("evaluering.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    evaluation = CurriculumEvaluation.objects.get()
    assert evaluation.children_perspective

    board = login(world.user("board_member"))
    page = board.get(url("evaluations", world.institution.pk)).content.decode()
    assert "Sprog styrkes" in page
    document = board.get(url("evaluation_document", world.institution.pk, evaluation.pk))
    assert b"".join(document.streaming_content) == pdf_bytes()
    assert board.post(url("evaluations", world.institution.pk), {}).status_code == 403


# The strategy and projects ------------------------------------------------------------


def test_an_administrator_starts_a_new_period_as_a_copy_of_the_last(world, login):
    last = StrategyPeriodFactory(municipality=world.municipality)
    area = FocusAreaFactory(period=last, number=1, title="Digitale medier i anvendelse")
    StrategyItemFactory(focus_area=area, text="Wi-Fi i alle dagtilbud", deadline=date(2014, 12, 31))
    client = login(world.user("admin"))

    form = client.get(url("period_create", world.municipality.pk)).content.decode()
    assert 'value="2016"' in form and 'value="2018"' in form  # suggested next years

    response = client.post(
        url("period_create", world.municipality.pk),
        {"title": "Delstrategi", "start_year": 2016, "end_year": 2018, "copy_last": "on"},
    )
    new = StrategyPeriod.objects.get(start_year=2016)
    assert response["Location"] == url("period_detail", world.municipality.pk, new.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Wi-Fi i alle dagtilbud" in page
    assert "31. december 2017" in page


def test_an_administrator_adds_an_action_with_a_budget_in_kroner(world, login):
    period = StrategyPeriodFactory(municipality=world.municipality)
    area = FocusAreaFactory(period=period)
    response = login(world.user("admin")).post(
        url("item_create", world.municipality.pk, period.pk, area.pk),
        {
            "kind": "action",
            "text": "iPads til dagplejen",
            "timing": "Efteråret 2013",
            "budget_kr": "160000",
        },
    )
    assert response.status_code == 302
    item = StrategyItem.objects.get()
    assert (item.kind, item.budget_ore, item.timing) == ("action", 16_000_000, "Efteråret 2013")
    page = login(world.user("guardian")).get(url("period_detail", world.municipality.pk, period.pk))
    assert "160.000 kr." in page.content.decode()


def test_a_municipal_goal_in_use_is_not_removed(world, login):
    item = StrategyItemFactory(focus_area__period__municipality=world.municipality)
    LocalGoalFactory(institution=world.institution).municipal_goals.add(item)
    client = login(world.user("admin"))
    response = client.post(
        url("item_delete", world.municipality.pk, item.focus_area.period_id, item.pk)
    )
    assert response["Location"] == url(
        "item_edit", world.municipality.pk, item.focus_area.period_id, item.pk
    )
    assert StrategyItem.objects.filter(pk=item.pk).exists()


def test_a_leader_cannot_change_the_strategy(world, login):
    period = StrategyPeriodFactory(municipality=world.municipality)
    response = login(world.user("leader")).post(
        url("period_edit", world.municipality.pk, period.pk),
        {"title": "Min strategi", "start_year": 2013, "end_year": 2015},
    )
    assert response.status_code == 403
    period.refresh_from_db()
    assert period.title != "Min strategi"


def test_another_municipalitys_strategy_is_not_found(world, login):
    foreign = StrategyPeriodFactory(municipality=world.other_municipality)
    response = login(world.user("admin")).get(
        url("period_detail", world.municipality.pk, foreign.pk)
    )
    assert response.status_code == 404


def test_a_leader_creates_a_daycare_project_with_other_daycares(world, login):
    response = login(world.user("leader")).post(
        url("institution_project_create", world.institution.pk),
        {
            "title": "Sociale relationer",
            "partner": "Klassetrivsel",
            "institutions": [world.neighbour.pk],
            "themes": [theme("social").pk],
            "status": "running",
            "budget_kr": "12500.50",
        },
    )
    project = Project.objects.get()
    assert response["Location"] == url("project_detail", world.municipality.pk, project.pk)
    assert project.owner_institution == world.institution
    assert project.budget_ore == 1_250_050
    assert sorted(i.name for i in project.institutions.all()) == ["Solstrålen", "Troldehøjen"]
    # The neighbour's leader reads it but cannot edit it.
    neighbour = login(world.user("other_leader"))
    assert (
        neighbour.get(url("project_detail", world.municipality.pk, project.pk)).status_code == 200
    )
    assert neighbour.get(url("project_edit", world.municipality.pk, project.pk)).status_code == 403


def test_a_leader_cannot_edit_the_municipalitys_project(world, login):
    project = ProjectFactory(municipality=world.municipality)
    assert (
        login(world.user("leader"))
        .get(url("project_edit", world.municipality.pk, project.pk))
        .status_code
        == 403
    )


def test_the_overview_lists_each_daycares_goals_and_overdue_steps(world, login):
    today = timezone.localdate()
    goal = LocalGoalFactory(institution=world.institution)
    ActionStepFactory(plan__goal=goal, due_on=today - timedelta(days=2), owner=world.user("staff"))
    ForumDiscussionFactory(institution=world.neighbour, held_on=date(2026, 2, 3))

    page = login(world.user("consultant")).get(url("overview", world.municipality.pk))

    html = page.content.decode()
    assert url("board", world.institution.pk) in html
    assert "Troldehøjen" in html and "Havtornen" not in html
    row = html[html.index(url("board", world.institution.pk)) :]
    row = row[: row.index("</tr>")]
    assert ">1<" in row  # one active goal
    assert 'class="overdue-text"' in row


# The shell ----------------------------------------------------------------------------


def test_the_home_page_lists_a_persons_open_steps(world, login, step):
    html = login(world.user("staff")).get("/").content.decode()
    assert shown("Your steps") in html
    assert url("step_detail", world.institution.pk, step.plan.goal_id, step.pk) in html
    assert f'href="{url("board", world.institution.pk)}" class="nav-link"' in html


def test_board_members_get_the_goals_in_their_navigation(world, login):
    html = login(world.user("board_member")).get("/").content.decode()
    assert f'href="{url("board", world.institution.pk)}" class="nav-link"' in html


def test_the_municipality_gets_strategy_and_local_goals_in_its_navigation(world, login):
    html = login(world.user("consultant")).get("/").content.decode()
    assert f'href="{url("strategy", world.municipality.pk)}" class="nav-link"' in html
    assert f'href="{url("overview", world.municipality.pk)}" class="nav-link"' in html


def test_every_write_is_audited_with_the_daycare(world, login, step):
    login(world.user("staff")).post(
        url("evidence_add", world.institution.pk, step.plan.goal_id, step.pk),
        {"kind": "text", "text": "Færdig"},
    )
    entry = AuditEntry.objects.get(action="goals.evidence.added")
    assert (entry.actor, entry.institution) == (world.user("staff"), world.institution)


def test_a_board_member_in_another_daycare_is_not_let_in(world, login, goal):
    outsider = MembershipFactory(institution=world.neighbour, role="board_member").user
    assert login(outsider).get(url("board", world.institution.pk)).status_code == 404


def test_the_status_on_the_step_page_is_changed_with_htmx(world, login, step):
    response = login(world.user("staff")).post(
        url("step_status", world.institution.pk, step.plan.goal_id, step.pk),
        {"status": "done", "view": "step"},
        **HTMX,
    )
    html = response.content.decode()
    assert html.startswith('<div id="step-status">')
    assert "badge-success" in html
    assert shown("%(step)s: %(status)s", step=step.title, status=shown("Done")) in html
    step.refresh_from_db()
    assert step.status == "done"


def test_a_step_page_shows_the_decision_it_came_from(world, login, plan):
    decision = ForumDecisionFactory(discussion__institution=world.institution)
    step = ActionStepFactory(plan=plan, source_decision=decision, owner=world.user("leader"))
    html = (
        login(world.user("board_member"))
        .get(url("step_detail", world.institution.pk, plan.goal_id, step.pk))
        .content.decode()
    )
    assert url("discussion_detail", world.institution.pk, decision.discussion_id) in html


def test_the_owning_daycares_leader_edits_its_project(world, login):
    project = ProjectFactory(municipality=world.municipality, owner_institution=world.institution)
    project.institutions.add(world.institution)
    client = login(world.user("leader"))
    assert client.get(url("project_edit", world.municipality.pk, project.pk)).status_code == 200

    response = client.post(
        url("project_edit", world.municipality.pk, project.pk),
        {"title": "Sociale relationer", "status": "completed", "evaluation": "Børnene deltog"},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.status, project.evaluation) == (
        "Sociale relationer",
        "completed",
        "Børnene deltog",
    )
    assert list(project.institutions.all()) == [world.institution]
    assert (
        login(world.user("admin"))
        .get(url("project_edit", world.municipality.pk, project.pk))
        .status_code
        == 403
    )
