"""Forum discussions, their decisions, turning a decision into a step (once, even when
two people click at the same time), curriculum evaluations and projects."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from django.utils import timezone, translation

from core.models import AuditEntry
from goals import services
from goals.models import ActionStep, CurriculumEvaluation, ForumDecision, ForumDiscussion, Project
from institutions.models import Membership
from tests.factories import InstitutionFactory, MembershipFactory, MunicipalityFactory
from tests.goals.factories import (
    ActionPlanFactory,
    ForumDecisionFactory,
    ForumDiscussionFactory,
    StrategyItemFactory,
    pdf_bytes,
    theme,
)
from tests.goals.helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def daycare():
    return InstitutionFactory(name="Solstrålen")


@pytest.fixture
def leader(daycare):
    return MembershipFactory(institution=daycare, role=Membership.Role.LEADER).user


def _discussion(**changes):
    data = {
        "forum": "parent_board",
        "held_on": timezone.localdate() - timedelta(days=3),
        "topic": "Billeder af børnene",
        "participants": "Bestyrelsen",
        "reflection": "Vi vil se processen",
        "ethics": "Kun lukkede grupper",
        "ownership": "Bestyrelsen følger op",
        "decisions": ["Samtykke fra alle forældre", "  ", "Bøger vises på forældreaften"],
    }
    data.update(changes)
    return data


def test_a_discussion_is_recorded_with_its_decisions(daycare, leader):
    discussion = services.discussion_create(actor=leader, institution=daycare, **_discussion())

    assert (discussion.forum, discussion.recorded_by) == ("parent_board", leader)
    assert [d.text for d in discussion.decisions.all()] == [
        "Samtykke fra alle forældre",
        "Bøger vises på forældreaften",
    ]
    assert AuditEntry.objects.get(action="goals.discussion.created").changes == {"decisions": 2}


@pytest.mark.parametrize(
    "change,message",
    [
        ({"forum": "other", "forum_other": " "}, "Name the forum."),
        ({"forum": "coffee"}, "Choose the forum."),
        ({"topic": ""}, "Give the topic of the discussion."),
        (
            {"held_on": date.today() + timedelta(days=2)},
            "Record a discussion once it has taken place.",
        ),
    ],
)
def test_a_discussion_breaking_a_rule_is_refused(daycare, leader, change, message):
    with pytest.raises(ValidationError) as error:
        services.discussion_create(actor=leader, institution=daycare, **_discussion(**change))
    assert error.value.messages == [message]
    assert not ForumDiscussion.objects.exists()
    assert not ForumDecision.objects.exists()


def test_another_forum_keeps_its_name_and_a_named_forum_drops_it(daycare, leader):
    other = services.discussion_create(
        actor=leader, institution=daycare, **_discussion(forum="other", forum_other="Legestue")
    )
    named = services.discussion_create(
        actor=leader, institution=daycare, **_discussion(forum="staff_meeting", forum_other="x")
    )
    assert (other.forum_name, named.forum_other) == ("Legestue", "")


def test_a_discussion_is_edited_and_audited(daycare, leader):
    discussion = ForumDiscussionFactory(institution=daycare, ethics="")
    services.discussion_update(actor=leader, discussion=discussion, ethics="Samtykke først")
    discussion.refresh_from_db()
    assert discussion.ethics == "Samtykke først"
    assert AuditEntry.objects.get(action="goals.discussion.updated").changes == {
        "ethics": ["", "Samtykke først"]
    }
    before = snapshot()
    with pytest.raises(ValidationError):
        services.discussion_update(actor=leader, discussion=discussion, topic=" ")
    assert snapshot() == before


def test_a_decision_is_added_with_a_responsible_member(daycare, leader):
    discussion = ForumDiscussionFactory(institution=daycare)
    ForumDecisionFactory(discussion=discussion, position=1)

    decision = services.decision_add(
        actor=leader, discussion=discussion, text="Prøv stop motion", responsible=leader
    )

    assert (decision.position, decision.responsible) == (2, leader)
    outsider = MembershipFactory(role="staff").user
    with pytest.raises(ValidationError):
        services.decision_add(actor=leader, discussion=discussion, text="x", responsible=outsider)
    with pytest.raises(ValidationError):
        services.decision_add(actor=leader, discussion=discussion, text=" ")
    assert discussion.decisions.count() == 2


def test_a_decision_becomes_a_step_owned_by_its_responsible_person(daycare, leader):
    pedagogue = MembershipFactory(institution=daycare, role="staff").user
    plan = ActionPlanFactory(goal__institution=daycare)
    decision = ForumDecisionFactory(
        discussion__institution=daycare,
        text="Samtykkeerklæring sendes til alle forældre\nmed en forklaring",
        responsible=pedagogue,
        due_on=date(2027, 1, 15),
    )

    step, created = services.decision_to_step(actor=leader, decision=decision, plan=plan)

    assert created
    assert step.plan == plan
    assert step.title == "Samtykkeerklæring sendes til alle forældre"
    assert step.description == "Samtykkeerklæring sendes til alle forældre\nmed en forklaring"
    assert (step.owner, step.due_on, step.source_decision) == (
        pedagogue,
        date(2027, 1, 15),
        decision,
    )
    assert AuditEntry.objects.get(action="goals.step.created").changes["decision"] == decision.pk


def test_a_decision_without_a_responsible_member_goes_to_whoever_clicks_due_in_30_days(
    daycare, leader
):
    plan = ActionPlanFactory(goal__institution=daycare)
    former = MembershipFactory(role="staff").user  # no longer in this daycare
    decision = ForumDecisionFactory(discussion__institution=daycare, responsible=former)

    step, _ = services.decision_to_step(
        actor=leader, decision=decision, plan=plan, today=date(2026, 11, 1)
    )

    assert (step.owner, step.due_on) == (leader, date(2026, 12, 1))


def test_a_decision_becomes_a_step_once_only(daycare, leader):
    plan = ActionPlanFactory(goal__institution=daycare)
    decision = ForumDecisionFactory(discussion__institution=daycare)

    first, created = services.decision_to_step(actor=leader, decision=decision, plan=plan)
    again, created_again = services.decision_to_step(actor=leader, decision=decision, plan=plan)

    assert (created, created_again) == (True, False)
    assert again == first
    assert ActionStep.objects.count() == 1


def test_a_decision_cannot_become_a_step_in_another_daycares_plan(daycare, leader):
    other_plan = ActionPlanFactory(goal__institution=InstitutionFactory())
    decision = ForumDecisionFactory(discussion__institution=daycare)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.decision_to_step(actor=leader, decision=decision, plan=other_plan)
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_time_make_one_step():
    daycare = InstitutionFactory()
    leader = MembershipFactory(institution=daycare, role="leader").user
    ambassador = MembershipFactory(institution=daycare, role="ambassador").user
    plan = ActionPlanFactory(goal__institution=daycare)
    decision = ForumDecisionFactory(discussion__institution=daycare)
    start = threading.Barrier(2)
    results, errors = [], []

    def click(person):
        try:
            start.wait()
            results.append(services.decision_to_step(actor=person, decision=decision, plan=plan))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=click, args=(p,)) for p in (leader, ambassador)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(created for _step, created in results) == [False, True]
    assert ActionStep.objects.filter(source_decision=decision).count() == 1
    assert ActionStep.objects.get().position == 1


@pytest.mark.django_db(transaction=True)
def test_steps_added_at_the_same_time_get_their_own_places():
    daycare = InstitutionFactory()
    leader = MembershipFactory(institution=daycare, role="leader").user
    plan = ActionPlanFactory(goal__institution=daycare)
    start = threading.Barrier(3)
    errors = []

    def add(number):
        try:
            start.wait()
            services.step_create(
                actor=leader,
                plan=plan,
                title=f"Trin {number}",
                owner=leader,
                due_on=date(2027, 1, 1),
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(plan.steps.values_list("position", flat=True)) == [1, 2, 3]


# Curriculum evaluations ---------------------------------------------------------------


def test_an_evaluation_is_recorded_with_its_document(daycare, leader):
    document = SimpleUploadedFile("Evaluering 2026.pdf", pdf_bytes())

    evaluation = services.evaluation_create(
        actor=leader,
        institution=daycare,
        evaluated_on=date(2026, 5, 1),
        summary=" Sprog og fortælling styrkes ",
        children_perspective=True,
        document=document,
    )

    evaluation.refresh_from_db()
    assert (evaluation.summary, evaluation.children_perspective) == (
        "Sprog og fortælling styrkes",
        True,
    )
    assert evaluation.document_name == "Evaluering 2026.pdf"
    assert default_storage.exists(evaluation.document.name)
    assert AuditEntry.objects.filter(action="goals.evaluation.created").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"evaluated_on": date.today() + timedelta(days=1), "summary": "x"},
        {"evaluated_on": date(2026, 1, 1), "summary": "  "},
        {
            "evaluated_on": date(2026, 1, 1),
            "summary": "x",
            "document": SimpleUploadedFile("evaluering.pdf", b"not a pdf"),
        },
    ],
)
def test_an_evaluation_breaking_a_rule_is_refused(daycare, leader, data):
    with pytest.raises(ValidationError):
        services.evaluation_create(actor=leader, institution=daycare, **data)
    assert not CurriculumEvaluation.objects.exists()


# Projects -----------------------------------------------------------------------------


def test_a_municipal_project_is_created_across_daycares(daycare):
    municipality = daycare.municipality
    admin = MembershipFactory(institution=daycare, role="leader").user  # any actor
    other = InstitutionFactory(municipality=municipality, name="Regnbuen")
    action = StrategyItemFactory(focus_area__period__municipality=municipality, kind="action")

    project = services.project_create(
        actor=admin,
        municipality=municipality,
        title="Interaktive tavler",
        institutions=[daycare, other],
        themes=[theme("body", 2004), theme("language", 2004)],
        strategy_item=action,
        partner="",
        budget_ore=5_000_000,
        status="running",
        starts_on=date(2014, 1, 1),
        ends_on=date(2014, 12, 31),
    )

    assert project.is_municipal
    assert sorted(i.name for i in project.institutions.all()) == ["Regnbuen", "Solstrålen"]
    assert sorted(t.name for t in project.themes.all()) == ["Krop og bevægelse", "Sprog"]
    assert AuditEntry.objects.get(action="goals.project.created").municipality_id == municipality.pk


def test_a_daycares_project_always_includes_the_daycare(daycare, leader):
    project = services.project_create(
        actor=leader,
        municipality=daycare.municipality,
        owner_institution=daycare,
        title="Sociale relationer",
        partner="Klassetrivsel",
    )
    assert list(project.institutions.all()) == [daycare]
    services.project_update(actor=leader, project=project, institutions=[], status="completed")
    project.refresh_from_db()
    assert list(project.institutions.all()) == [daycare]
    assert project.status == "completed"


def test_a_project_cannot_reach_into_another_municipality(daycare, leader):
    foreign = InstitutionFactory(municipality=MunicipalityFactory())
    foreign_action = StrategyItemFactory(kind="action")
    for data in (
        {"institutions": [foreign]},
        {"strategy_item": foreign_action},
        {"owner_institution": foreign},
    ):
        with pytest.raises(ValidationError):
            services.project_create(
                actor=leader, municipality=daycare.municipality, title="x", **data
            )
    assert not Project.objects.exists()


def test_a_project_cannot_end_before_it_starts_or_cost_less_than_nothing(daycare, leader):
    for data in (
        {"starts_on": date(2015, 1, 1), "ends_on": date(2014, 1, 1)},
        {"budget_ore": -1},
        {"status": "paused"},
        {"title": " "},
    ):
        with pytest.raises(ValidationError):
            services.project_create(
                actor=leader, municipality=daycare.municipality, **{"title": "x", **data}
            )
    assert not Project.objects.exists()


def test_a_project_update_keeps_what_changed(daycare, leader):
    project = services.project_create(
        actor=leader, municipality=daycare.municipality, title="Tavler", themes=[theme("body")]
    )
    services.project_update(
        actor=leader,
        project=project,
        title="Interaktive tavler",
        themes=[theme("body"), theme("language")],
        evaluation="Det virkede",
    )
    changes = AuditEntry.objects.get(action="goals.project.updated").changes
    assert changes["title"] == ["Tavler", "Interaktive tavler"]
    assert changes["themes"] == [
        ["Krop, sanser og bevægelse"],
        ["Kommunikation og sprog", "Krop, sanser og bevægelse"],
    ]
    assert changes["evaluation"] == ["", "Det virkede"]
