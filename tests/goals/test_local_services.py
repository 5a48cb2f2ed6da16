"""Services of a daycare's own work: plans, goals (with their history), action plans,
steps and evidence. Each write is audited; a refused write changes nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from core.models import AuditEntry
from goals import services
from goals.models import ActionStep, Evidence, LocalGoal, LocalPlan
from institutions.models import Membership
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory
from tests.goals.factories import (
    ActionPlanFactory,
    ActionStepFactory,
    EvidenceFactory,
    LocalGoalFactory,
    LocalPlanFactory,
    StrategyItemFactory,
    pdf_bytes,
    png_bytes,
    theme,
)
from tests.goals.helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def daycare():
    return InstitutionFactory(name="Solstrålen")


@pytest.fixture
def leader(daycare):
    return MembershipFactory(institution=daycare, role=Membership.Role.LEADER).user


@pytest.fixture
def pedagogue(daycare):
    return MembershipFactory(
        institution=daycare, role=Membership.Role.STAFF, user__name="Sara"
    ).user


# Plans --------------------------------------------------------------------------------


def test_a_business_plan_is_recorded_once_a_year(daycare, leader):
    plan = services.plan_create(
        actor=leader, institution=daycare, kind="business_plan", year=2026, title="Leg og sprog"
    )
    assert (plan.kind, plan.year, plan.adopted_on) == ("business_plan", 2026, None)
    assert AuditEntry.objects.filter(action="goals.plan.created", institution=daycare).count() == 1

    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.plan_create(actor=leader, institution=daycare, kind="business_plan", year=2026)
    assert error.value.messages == ["The daycare already has a business plan for 2026."]
    assert snapshot() == before


def test_a_curriculum_revision_takes_its_year_from_its_date(daycare, leader):
    plan = services.plan_create(
        actor=leader,
        institution=daycare,
        kind="curriculum_revision",
        adopted_on=date(2025, 3, 12),
        year=1999,
    )
    assert (plan.year, plan.adopted_on) == (2025, date(2025, 3, 12))


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "curriculum_revision"},
        {"kind": "curriculum_revision", "adopted_on": date.today() + timedelta(days=30)},
        {"kind": "business_plan"},
        {"kind": "wish", "year": 2026},
    ],
)
def test_an_incomplete_plan_is_refused(daycare, leader, data):
    with pytest.raises(ValidationError):
        services.plan_create(actor=leader, institution=daycare, **data)
    assert not LocalPlan.objects.exists()


# Goals --------------------------------------------------------------------------------


def test_a_goal_is_created_with_themes_municipal_goals_and_plan(daycare, leader):
    municipal = StrategyItemFactory(focus_area__period__municipality=daycare.municipality)
    plan = LocalPlanFactory(institution=daycare)

    goal = services.goal_create(
        actor=leader,
        institution=daycare,
        title=" Digital fortælling ",
        children_activity="Børnene laver bøger",
        didactic_considerations="Den voksne deltager",
        inclusion="Alle kan fortælle med billeder",
        themes=[theme("language"), theme("culture")],
        municipal_goals=[municipal],
        plan=plan,
        status="active",
        review_on=date(2027, 1, 1),
    )

    goal.refresh_from_db()
    assert goal.title == "Digital fortælling"
    assert goal.created_by == leader
    assert sorted(t.code for t in goal.themes.all()) == ["culture", "language"]
    assert list(goal.municipal_goals.all()) == [municipal]
    assert (goal.plan, goal.status, goal.review_on) == (plan, "active", date(2027, 1, 1))
    entry = AuditEntry.objects.get(action="goals.goal.created")
    assert entry.changes["themes"] == [
        [],
        ["Kommunikation og sprog", "Kultur, æstetik og fællesskab"],
    ]


@pytest.mark.parametrize(
    "change,message",
    [
        (
            {"didactic_considerations": "  "},
            "Describe the didactic considerations behind the goal.",
        ),
        ({"title": ""}, "Give the goal a title."),
        ({"status": "forgotten"}, "Choose a status."),
    ],
)
def test_a_goal_breaking_a_rule_is_refused(daycare, leader, change, message):
    data = {"title": "Mål", "didactic_considerations": "Overvejelser", **change}
    with pytest.raises(ValidationError) as error:
        services.goal_create(actor=leader, institution=daycare, **data)
    assert error.value.messages == [message]
    assert not LocalGoal.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_goal_cannot_belong_to_another_daycares_plan_or_municipality(daycare, leader):
    other_plan = LocalPlanFactory(institution=InstitutionFactory(municipality=daycare.municipality))
    foreign_goal = StrategyItemFactory()  # another municipality's strategy
    action = StrategyItemFactory(
        focus_area__period__municipality=daycare.municipality, kind="action"
    )
    for data in (
        {"plan": other_plan},
        {"municipal_goals": [foreign_goal]},
        {"municipal_goals": [action]},
    ):
        with pytest.raises(ValidationError):
            services.goal_create(
                actor=leader, institution=daycare, title="x", didactic_considerations="y", **data
            )
    assert not LocalGoal.objects.exists()


def test_every_change_to_a_goal_is_kept_with_who_and_what(daycare, leader):
    ambassador = MembershipFactory(institution=daycare, role="ambassador").user
    plan = LocalPlanFactory(institution=daycare, year=2026)
    goal = LocalGoalFactory(institution=daycare, status="draft", themes=["language"])

    services.goal_update(
        actor=ambassador,
        goal=goal,
        title=goal.title,
        status="active",
        plan=plan,
        themes=[theme("language"), theme("body")],
        review_on=date(2027, 2, 1),
    )

    goal.refresh_from_db()
    assert goal.status == "active"
    entry = AuditEntry.objects.get(action="goals.goal.updated")
    assert entry.actor == ambassador
    assert entry.changes == {
        "status": ["draft", "active"],
        "plan": [None, "Business plan 2026"],
        "review_on": [None, "2027-02-01"],
        "themes": [
            ["Kommunikation og sprog"],
            ["Kommunikation og sprog", "Krop, sanser og bevægelse"],
        ],
    }


def test_saving_a_goal_unchanged_adds_no_history(daycare, leader):
    goal = LocalGoalFactory(institution=daycare, themes=["language"])
    services.goal_update(
        actor=leader, goal=goal, title=goal.title, themes=[theme("language")], municipal_goals=[]
    )
    assert not AuditEntry.objects.exists()


def test_a_refused_goal_change_changes_nothing(daycare, leader):
    goal = LocalGoalFactory(institution=daycare, themes=["language"])
    before = snapshot()
    with pytest.raises(ValidationError):
        services.goal_update(
            actor=leader, goal=goal, didactic_considerations="", themes=[theme("body")]
        )
    assert snapshot() == before


# Action plans and steps ---------------------------------------------------------------


def test_an_action_plan_is_created_and_renamed(daycare, leader):
    goal = LocalGoalFactory(institution=daycare)
    plan = services.action_plan_create(actor=leader, goal=goal, title="Efterår", description="")
    services.action_plan_update(actor=leader, plan=plan, title="Efterår 2026", description="Kort")

    plan.refresh_from_db()
    assert (plan.goal, plan.title, plan.description) == (goal, "Efterår 2026", "Kort")
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "goals.action_plan.created",
        "goals.action_plan.updated",
    ]
    with pytest.raises(ValidationError):
        services.action_plan_create(actor=leader, goal=goal, title=" ")


def test_steps_are_added_in_order_with_an_owner_from_the_daycare(daycare, leader, pedagogue):
    plan = ActionPlanFactory(goal__institution=daycare)
    due = date(2026, 12, 1)

    first = services.step_create(actor=leader, plan=plan, title="Køb", owner=pedagogue, due_on=due)
    second = services.step_create(actor=leader, plan=plan, title="Prøv", owner=leader, due_on=due)

    assert [s.title for s in plan.steps.all()] == ["Køb", "Prøv"]
    assert (first.position, second.position) == (1, 2)
    assert first.status == "not_started"
    assert AuditEntry.objects.filter(action="goals.step.created").count() == 2


def test_a_step_owner_must_work_in_the_daycare(daycare, leader):
    plan = ActionPlanFactory(goal__institution=daycare)
    outsider = MembershipFactory(role="staff").user  # staff in another daycare
    board_member = MembershipFactory(institution=daycare, role="board_member").user
    before = snapshot()

    for owner in (outsider, board_member, UserFactory()):
        with pytest.raises(ValidationError) as error:
            services.step_create(
                actor=leader, plan=plan, title="Køb", owner=owner, due_on=date(2026, 12, 1)
            )
        assert error.value.messages == ["The owner must be a member of the daycare's staff."]
    assert snapshot() == before


def test_a_step_is_edited_with_owner_and_date_in_its_history(daycare, leader, pedagogue):
    step = ActionStepFactory(
        plan__goal__institution=daycare, owner=leader, due_on=date(2026, 12, 1)
    )

    services.step_update(actor=leader, step=step, owner=pedagogue, due_on=date(2026, 12, 10))

    step.refresh_from_db()
    assert (step.owner, step.due_on) == (pedagogue, date(2026, 12, 10))
    assert AuditEntry.objects.get(action="goals.step.updated").changes == {
        "owner": [leader.name, "Sara"],
        "due_on": ["2026-12-01", "2026-12-10"],
    }


def test_marking_a_step_done_records_when_and_reopening_clears_it(daycare, pedagogue):
    step = ActionStepFactory(plan__goal__institution=daycare, owner=pedagogue)

    services.step_set_status(actor=pedagogue, step=step, status="done")
    step.refresh_from_db()
    assert step.status == "done"
    assert step.completed_at is not None

    services.step_set_status(actor=pedagogue, step=step, status="in_progress")
    step.refresh_from_db()
    assert (step.status, step.completed_at) == ("in_progress", None)
    assert [e.changes["status"] for e in AuditEntry.objects.order_by("pk")] == [
        ["not_started", "done"],
        ["done", "in_progress"],
    ]


def test_setting_the_same_status_again_records_nothing(daycare, pedagogue):
    step = ActionStepFactory(plan__goal__institution=daycare, owner=pedagogue)
    services.step_set_status(actor=pedagogue, step=step, status="not_started")
    assert not AuditEntry.objects.exists()
    with pytest.raises(ValidationError):
        services.step_set_status(actor=pedagogue, step=step, status="finished")


def test_steps_move_up_and_down_and_stop_at_the_ends(daycare, leader):
    plan = ActionPlanFactory(goal__institution=daycare)
    a, b, c = (
        ActionStepFactory(plan=plan, title=t, position=p) for t, p in (("A", 1), ("B", 2), ("C", 3))
    )

    assert services.step_move(actor=leader, step=c, direction="up") is True
    assert [s.title for s in plan.steps.order_by("position")] == ["A", "C", "B"]
    assert services.step_move(actor=leader, step=a, direction="down") is True
    assert [s.title for s in plan.steps.order_by("position")] == ["C", "A", "B"]
    c.refresh_from_db()
    assert services.step_move(actor=leader, step=c, direction="up") is False
    b.refresh_from_db()
    assert services.step_move(actor=leader, step=b, direction="down") is False
    assert sorted(plan.steps.values_list("position", flat=True)) == [1, 2, 3]
    assert AuditEntry.objects.filter(action="goals.step.moved").count() == 2
    with pytest.raises(ValidationError):
        services.step_move(actor=leader, step=b, direction="sideways")


# Evidence -----------------------------------------------------------------------------


@pytest.fixture
def step(daycare, pedagogue):
    return ActionStepFactory(plan__goal__institution=daycare, owner=pedagogue)


def test_text_and_link_evidence_are_added(step, pedagogue):
    text = services.evidence_add(actor=pedagogue, step=step, kind="text", text=" Tre bøger ")
    link = services.evidence_add(
        actor=pedagogue, step=step, kind="link", url="https://emu.dk/", text="Materiale"
    )
    assert (text.text, text.added_by) == ("Tre bøger", pedagogue)
    assert (link.url, link.text) == ("https://emu.dk/", "Materiale")
    assert AuditEntry.objects.filter(action="goals.evidence.added").count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "text", "text": "  "},
        {"kind": "link", "url": "javascript:alert(1)"},
        {"kind": "link", "url": "ftp://example.org/x"},
        {"kind": "file"},
        {"kind": "video", "text": "x"},
    ],
)
def test_evidence_without_proper_content_is_refused(step, pedagogue, data):
    before = snapshot()
    with pytest.raises(ValidationError):
        services.evidence_add(actor=pedagogue, step=step, **data)
    assert snapshot() == before


def test_a_document_is_stored_under_a_neutral_name_with_its_own_name_kept(step, pedagogue):
    upload = SimpleUploadedFile("Almas bog.pdf", pdf_bytes(), content_type="application/pdf")

    evidence = services.evidence_add(actor=pedagogue, step=step, kind="file", upload=upload)

    evidence.refresh_from_db()
    assert evidence.file_name == "Almas bog.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(pdf_bytes())
    assert "Alma" not in evidence.file.name
    assert evidence.file.name.startswith("goals/evidence/") and evidence.file.name.endswith(".pdf")
    with default_storage.open(evidence.file.name) as stored:
        assert stored.read() == pdf_bytes()


def test_a_photo_is_stored_without_its_location_and_camera_data(step, pedagogue):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Kamerafirma"  # camera make
    exif[0x8825] = {1: "N", 2: (55.0, 27.0, 0.0)}  # GPS position
    original = png_bytes(size=(64, 48), exif=exif.tobytes(), fmt="JPEG")
    assert b"Kamerafirma" in original
    upload = SimpleUploadedFile("legepladsen.jpg", original, content_type="image/jpeg")

    evidence = services.evidence_add(
        actor=pedagogue, step=step, kind="photo", upload=upload, text="Legepladsen"
    )

    with default_storage.open(evidence.file.name) as stored:
        data = stored.read()
    assert b"Kamerafirma" not in data
    with Image.open(io.BytesIO(data)) as saved:
        assert saved.format == "JPEG"
        assert saved.size == (64, 48)
        assert not saved.getexif()
    assert evidence.content_type == "image/jpeg"
    assert evidence.size == len(data)


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("plan.pdf", b"MZ\x90\x00 not a pdf at all", "file"),
        ("plan.exe", b"MZ\x90\x00", "file"),
        ("billede.png", pdf_bytes(), "photo"),
        ("billede.gif", b"GIF89a", "photo"),
        ("billede.jpg", b"<html><body>not a photo</body></html>", "photo"),
        ("tom.pdf", b"", "file"),
        ("notat.docx", b"PK\x03\x04 but not a zip", "file"),
    ],
)
def test_uploads_are_checked_by_content_not_name(step, pedagogue, name, content, kind):
    before = snapshot()
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError):
        services.evidence_add(actor=pedagogue, step=step, kind=kind, upload=upload)
    assert snapshot() == before


def test_an_upload_larger_than_10_mb_is_refused(step, pedagogue):
    big = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=pedagogue, step=step, kind="file", upload=big)
    assert error.value.messages == ["stor.pdf is too large. A file can be at most 10 MB."]
    assert not Evidence.objects.exists()


def test_removing_evidence_removes_its_file_after_commit(
    step, pedagogue, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes())
    evidence = services.evidence_add(actor=pedagogue, step=step, kind="file", upload=upload)
    name = evidence.file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(actor=pedagogue, evidence=evidence)

    assert not Evidence.objects.exists()
    assert not default_storage.exists(name)
    assert AuditEntry.objects.filter(action="goals.evidence.deleted").count() == 1


def test_evidence_text_is_kept_as_text(step, pedagogue):
    EvidenceFactory(step=step, text="<b>fed</b>")
    assert Evidence.objects.get().text == "<b>fed</b>"


def test_the_step_count_helpers_know_overdue_and_due_soon(daycare):
    today = timezone.localdate()
    plan = ActionPlanFactory(goal__institution=daycare)
    late = ActionStepFactory(plan=plan, due_on=today - timedelta(days=1))
    soon = ActionStepFactory(plan=plan, due_on=today + timedelta(days=3))
    ActionStepFactory(plan=plan, due_on=today - timedelta(days=5), status="done")
    assert list(ActionStep.objects.overdue(today)) == [late]
    assert list(ActionStep.objects.due_between(today, today + timedelta(days=7))) == [soon]
