"""The grants services: every write, what it stores, and what it refuses (storing
nothing). The application's state machine is tested move by move, legal and illegal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.models import AuditEntry, Notification
from grants import services
from grants.models import (
    Application,
    ApplicationEvent,
    BudgetLine,
    DigitalBudgetLine,
    Earmark,
    EarmarkAllocation,
    Expense,
    Grant,
    Pool,
    ReviewComment,
    Share,
    ShareRun,
)
from institutions.models import Institution
from tests.devices.helpers import make_device
from tests.factories import (
    ChildrenCountFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
)
from tests.goals.factories import LocalGoalFactory
from tests.grants.helpers import (
    KR,
    admin_of,
    book,
    leader_of,
    make_application,
    make_formula_pool,
    make_pool,
    receipt,
    today,
)

pytestmark = pytest.mark.django_db

State = Application.State
Outcome = Application.Outcome
GRANT_MODELS = (
    Pool,
    Application,
    BudgetLine,
    ApplicationEvent,
    ReviewComment,
    ShareRun,
    Share,
    Grant,
    EarmarkAllocation,
    Expense,
    DigitalBudgetLine,
    AuditEntry,
)


def snapshot() -> dict:
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in GRANT_MODELS}


def refused(call, match: str = ""):
    """`call` raises ValidationError (its message matched in English) and stores nothing."""
    before = snapshot()
    with pytest.raises(ValidationError) as error, translation.override("en"):
        call()
    assert snapshot() == before, "a refused write changed something"
    if match:
        assert match in " ".join(error.value.messages)
    return error.value


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def daycare(koege):
    institution = InstitutionFactory(municipality=koege, name="Solstrålen")
    leader_of(institution)
    return institution


@pytest.fixture
def pool(koege):
    return make_pool(koege, total_kr=100_000, max_per_application_ore=25_000 * KR)


# Pools ----------------------------------------------------------------------------------


def test_pool_create_stores_the_pool_and_audits_it(koege):
    pool = make_pool(koege, name="Kufferter", total_kr=125_000, publish=False)

    assert (pool.total_ore, pool.committed_ore, pool.published_at) == (12_500_000, 0, None)
    assert AuditEntry.objects.filter(action="grants.pool.created", object_id=str(pool.pk)).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"earmarks": []}, "Choose at least one earmark"),
        ({"closes_on": None}, "needs a deadline"),
        ({"period_end": today() - timedelta(days=400)}, "must end after it starts"),
        ({"max_per_application_ore": 200_000 * KR}, "cannot exceed the pool's total"),
        ({"opens_on": today() + timedelta(days=60)}, "must come after the pool opens"),
    ],
)
def test_pool_create_refuses_bad_rules(koege, change, message):
    refused(lambda: make_pool(koege, publish=False, **change), message)


def test_a_formula_pool_is_shared_in_whole_kroner(koege):
    refused(
        lambda: services.pool_create(
            actor=admin_of(koege),
            municipality=koege,
            name="Skæv",
            kind=Pool.Kind.FORMULA,
            total_ore=100_050,
            period_start=today(),
            period_end=today() + timedelta(days=10),
            earmarks=[Earmark.DEVICES],
        ),
        "whole kroner",
    )


def test_pool_names_are_unique_in_a_municipality(koege, pool):
    refused(lambda: make_pool(koege, name=pool.name.upper()), "already has a pool")


def test_pool_update_cannot_go_below_what_is_committed(pool, daycare):
    make_application(pool, daycare, state=State.DECIDED, asked_kr=20_000)

    refused(
        lambda: services.pool_update(
            actor=admin_of(pool.municipality),
            pool=pool,
            total_ore=10_000 * KR,
            max_per_application_ore=None,
        ),
        "less than what is already committed",
    )
    updated = services.pool_update(
        actor=admin_of(pool.municipality),
        pool=pool,
        total_ore=20_000 * KR,
        max_per_application_ore=None,
        name="Ny",
    )
    assert (updated.total_ore, updated.name) == (2_000_000, "Ny")


def test_pool_publish_opens_it_and_tells_the_leaders(
    koege, daycare, django_capture_on_commit_callbacks
):
    pool = make_pool(koege, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.pool_publish(actor=admin_of(koege), pool=pool)

    pool.refresh_from_db()
    assert pool.published_at is not None
    assert Notification.objects.filter(
        recipient=leader_of(daycare), kind="grants.pool_published"
    ).exists()
    refused(lambda: services.pool_publish(actor=admin_of(koege), pool=pool), "already published")


# Applications: drafting and submitting ---------------------------------------------------


def test_application_create_stores_a_draft_with_its_budget_and_history(pool, daycare):
    application = make_application(
        pool,
        daycare,
        asked_kr=18_000,
        lines=[("Tavle", Earmark.DEVICES, 12_000), ("App", Earmark.LEARNING_MATERIALS, 8_000)],
    )

    assert application.state == State.DRAFT
    assert application.amount_asked_ore == 1_800_000
    assert [(line.description, line.amount_ore) for line in application.budget_lines.all()] == [
        ("Tavle", 1_200_000),
        ("App", 800_000),
    ]
    assert list(application.events.values_list("from_state", "to_state")) == [("", "draft")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"asked_kr": 30_000}, "at most DKK 25,000.00"),
        (
            {"asked_kr": 20_000, "lines": [("Tavle", Earmark.DEVICES, 10_000)]},
            "more than the budget",
        ),
        ({"lines": [("Wi-Fi", Earmark.WIFI, 20_000)]}, "does not fund"),
    ],
)
def test_application_create_refuses_what_the_pool_does_not_allow(pool, daycare, kwargs, message):
    refused(lambda: make_application(pool, daycare, **kwargs), message)


def test_a_pool_for_childminders_refuses_a_kindergarten(koege, daycare):
    pool = make_pool(koege, eligible_kinds=[Institution.Kind.CHILDMINDING])
    refused(lambda: make_application(pool, daycare), "not open to applications from this daycare")


def test_submit_moves_to_submitted_and_tells_the_administrators(pool, daycare):
    application = make_application(pool, daycare)

    services.application_submit(actor=leader_of(daycare), application=application)

    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.submitted_at is not None
    assert Notification.objects.filter(
        recipient=admin_of(pool.municipality), kind="grants.application_submitted"
    ).exists()


def test_submitting_after_the_deadline_is_refused(pool, daycare):
    application = make_application(pool, daycare)
    Pool.objects.filter(pk=pool.pk).update(closes_on=today() - timedelta(days=1))

    refused(
        lambda: services.application_submit(actor=leader_of(daycare), application=application),
        "has passed",
    )


def test_an_application_sent_back_may_be_submitted_again_after_the_deadline(pool, daycare):
    application = make_application(pool, daycare, state=State.CHANGES_REQUESTED)
    Pool.objects.filter(pk=pool.pk).update(closes_on=today() - timedelta(days=1))

    services.application_submit(actor=leader_of(daycare), application=application)

    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED


def test_application_update_replaces_the_budget_while_editable(pool, daycare):
    application = make_application(pool, daycare, state=State.CHANGES_REQUESTED)

    services.application_update(
        actor=leader_of(daycare),
        application=application,
        project="Bee-Bots og stop motion",
        amount_asked_ore=15_000 * KR,
        budget_lines=[
            {"description": "Stop motion", "earmark": "devices", "amount_ore": 15_000 * KR}
        ],
    )

    application.refresh_from_db()
    assert application.project == "Bee-Bots og stop motion"
    assert list(application.budget_lines.values_list("description", flat=True)) == ["Stop motion"]


@pytest.mark.parametrize("state", [State.SUBMITTED, State.IN_REVIEW, State.DECIDED])
def test_application_update_is_refused_once_sent(pool, daycare, state):
    application = make_application(pool, daycare, state=state)
    refused(
        lambda: services.application_update(
            actor=leader_of(daycare), application=application, budget_lines=[]
        ),
        "cannot be changed",
    )


# The state machine ---------------------------------------------------------------------

LEGAL = [
    (State.DRAFT, "submit", State.SUBMITTED),
    (State.DRAFT, "withdraw", State.WITHDRAWN),
    (State.SUBMITTED, "review", State.IN_REVIEW),
    (State.SUBMITTED, "withdraw", State.WITHDRAWN),
    (State.IN_REVIEW, "changes", State.CHANGES_REQUESTED),
    (State.IN_REVIEW, "decide", State.DECIDED),
    (State.IN_REVIEW, "withdraw", State.WITHDRAWN),
    (State.CHANGES_REQUESTED, "submit", State.SUBMITTED),
    (State.CHANGES_REQUESTED, "withdraw", State.WITHDRAWN),
    (State.DECIDED, "report", State.REPORTING),
    (State.REPORTING, "close", State.CLOSED),
]
ACTIONS = ["submit", "withdraw", "review", "changes", "decide", "report", "close"]
STATES = [
    State.DRAFT,
    State.SUBMITTED,
    State.IN_REVIEW,
    State.CHANGES_REQUESTED,
    State.DECIDED,
    State.REPORTING,
    State.CLOSED,
    State.WITHDRAWN,
]


def act(action: str, application: Application):
    leader, admin = leader_of(application.institution), admin_of(application.pool.municipality)
    if action == "submit":
        return services.application_submit(actor=leader, application=application)
    if action == "withdraw":
        return services.application_withdraw(actor=leader, application=application)
    if action == "review":
        return services.application_start_review(actor=admin, application=application)
    if action == "changes":
        return services.application_request_changes(
            actor=admin, application=application, comment="Ret budgettet."
        )
    if action == "decide":
        return services.application_decide(
            actor=admin,
            application=application,
            outcome=Outcome.APPROVED,
            report_due_on=today() + timedelta(days=30),
        )
    if action == "report":
        return services.application_report(
            actor=leader, application=application, report_text="Gjort.", report_evaluation="Godt."
        )
    grant = Grant.objects.filter(application=application).first()
    if grant is None:
        raise ValidationError("no grant")
    return services.grant_close(actor=admin, grant=grant)


def test_the_transition_table_is_the_one_the_issue_describes():
    moves = {(s, t) for s, targets in Application.TRANSITIONS.items() for t in targets}
    assert moves == {(s, t) for s, _a, t in LEGAL}


@pytest.mark.parametrize(("start", "action", "end"), LEGAL, ids=lambda v: str(v))
def test_every_legal_move_is_made_and_logged(pool, daycare, start, action, end):
    application = make_application(pool, daycare, state=start)
    events = application.events.count()

    act(action, application)

    application.refresh_from_db()
    assert application.state == end
    last = application.events.order_by("-pk").first()
    assert (last.from_state, last.to_state) == (start, end)
    assert application.events.count() == events + 1
    assert AuditEntry.objects.filter(action=f"grants.application.{end}").exists()


ILLEGAL = [
    (state, action)
    for state in STATES
    for action in ACTIONS
    if not any(s == state and a == action for s, a, _e in LEGAL)
]


@pytest.mark.parametrize(("start", "action"), ILLEGAL, ids=lambda v: str(v))
def test_every_illegal_move_is_refused_and_changes_nothing(pool, daycare, start, action):
    application = make_application(pool, daycare, state=start)

    refused(lambda: act(action, application))

    assert Application.objects.get(pk=application.pk).state == start


def test_the_history_reads_as_the_application_moved(pool, daycare):
    application = make_application(pool, daycare, state=State.CLOSED)

    assert list(application.events.values_list("to_state", flat=True)) == [
        "draft",
        "submitted",
        "in_review",
        "decided",
        "reporting",
        "closed",
    ]


# Decisions ------------------------------------------------------------------------------


def test_approval_in_part_commits_the_amount_and_splits_it_by_the_budget(pool, daycare):
    application = make_application(
        pool,
        daycare,
        state=State.IN_REVIEW,
        asked_kr=20_000,
        lines=[("Tablets", Earmark.DEVICES, 15_000), ("Apps", Earmark.LEARNING_MATERIALS, 5_000)],
    )

    services.application_decide(
        actor=admin_of(pool.municipality),
        application=application,
        outcome=Outcome.PARTLY_APPROVED,
        approved_ore=12_000 * KR,
        reason="Mange ansøgere.",
        report_due_on=today() + timedelta(days=90),
    )

    application.refresh_from_db()
    pool.refresh_from_db()
    grant = Grant.objects.get(application=application)
    assert (application.state, application.outcome, application.approved_ore) == (
        State.DECIDED,
        Outcome.PARTLY_APPROVED,
        1_200_000,
    )
    assert pool.committed_ore == 1_200_000
    assert grant.amount_ore == 1_200_000
    assert dict(grant.allocations.values_list("earmark", "amount_ore")) == {
        "devices": 900_000,
        "learning_materials": 300_000,
    }


def test_a_rejection_commits_nothing_and_needs_a_reason(pool, daycare):
    application = make_application(pool, daycare, state=State.IN_REVIEW)
    admin = admin_of(pool.municipality)

    refused(
        lambda: services.application_decide(
            actor=admin, application=application, outcome=Outcome.REJECTED
        ),
        "reason",
    )
    services.application_decide(
        actor=admin, application=application, outcome=Outcome.REJECTED, reason="Uden for formålet."
    )

    pool.refresh_from_db()
    assert pool.committed_ore == 0
    assert not Grant.objects.filter(application=application).exists()
    assert Application.objects.get(pk=application.pk).outcome == Outcome.REJECTED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"approved_ore": 20_000 * KR}, "less than the"),
        ({"approved_ore": None}, "amount granted"),
        ({"approved_ore": 5_000 * KR, "reason": ""}, "reason for granting less"),
        ({"approved_ore": 5_000 * KR, "report_due_on": None}, "final report is due"),
        (
            {"approved_ore": 5_000 * KR, "report_due_on": today() - timedelta(days=1)},
            "in the past",
        ),
    ],
)
def test_partial_approvals_are_checked(pool, daycare, kwargs, message):
    application = make_application(pool, daycare, state=State.IN_REVIEW)
    values = {"reason": "Delvist.", "report_due_on": today() + timedelta(days=30), **kwargs}
    refused(
        lambda: services.application_decide(
            actor=admin_of(pool.municipality),
            application=application,
            outcome=Outcome.PARTLY_APPROVED,
            **values,
        ),
        message,
    )


def test_no_partial_approval_when_the_daycare_says_it_does_not_help(pool, daycare):
    application = make_application(pool, daycare, state=State.IN_REVIEW, partial=False)
    refused(
        lambda: services.application_decide(
            actor=admin_of(pool.municipality),
            application=application,
            outcome=Outcome.PARTLY_APPROVED,
            approved_ore=5_000 * KR,
            reason="Delvist.",
            report_due_on=today() + timedelta(days=30),
        ),
        "does not help",
    )


def test_no_partial_approval_when_the_pool_forbids_it(koege, daycare):
    pool = make_pool(koege, name="Hel eller intet", partial_funding_allowed=False)
    application = make_application(pool, daycare, state=State.IN_REVIEW)
    refused(
        lambda: services.application_decide(
            actor=admin_of(koege),
            application=application,
            outcome=Outcome.PARTLY_APPROVED,
            approved_ore=5_000 * KR,
            reason="Delvist.",
            report_due_on=today() + timedelta(days=30),
        ),
        "do not allow partial funding",
    )


def test_an_approval_beyond_what_is_left_in_the_pool_is_refused(koege):
    pool = make_pool(koege, name="Lille pulje", total_kr=30_000)
    first = make_application(pool, InstitutionFactory(municipality=koege), state=State.DECIDED)
    second = make_application(
        pool, InstitutionFactory(municipality=koege), state=State.IN_REVIEW, asked_kr=20_000
    )

    refused(
        lambda: services.application_decide(
            actor=admin_of(koege),
            application=second,
            outcome=Outcome.APPROVED,
            report_due_on=today() + timedelta(days=30),
        ),
        "only DKK 10,000.00",
    )
    assert Pool.objects.get(pk=pool.pk).committed_ore == first.approved_ore


def test_the_database_refuses_a_pool_committed_beyond_its_total(pool):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pool.objects.filter(pk=pool.pk).update(committed_ore=pool.total_ore + 1)


def test_the_database_refuses_an_earmark_spent_beyond_what_it_received(pool, daycare):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    allocation = grant.allocations.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        EarmarkAllocation.objects.filter(pk=allocation.pk).update(
            spent_ore=allocation.amount_ore + 1
        )


def test_the_database_refuses_a_decision_without_its_reason(pool, daycare):
    application = make_application(pool, daycare, state=State.DECIDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(
            outcome=Outcome.PARTLY_APPROVED, approved_ore=100, decision_reason=""
        )


# Comments --------------------------------------------------------------------------------


def test_comments_go_to_the_other_side_of_the_dialogue(pool, daycare):
    application = make_application(pool, daycare, state=State.IN_REVIEW)
    admin, leader = admin_of(pool.municipality), leader_of(daycare)

    services.application_comment(actor=admin, application=application, body="Et spørgsmål?")
    services.application_comment(actor=leader, application=application, body="Et svar.")

    assert list(application.comments.values_list("body", flat=True)) == [
        "Et spørgsmål?",
        "Et svar.",
    ]
    assert Notification.objects.filter(recipient=leader, kind="grants.comment_added").count() == 1
    assert Notification.objects.filter(recipient=admin, kind="grants.comment_added").count() == 1


@pytest.mark.parametrize("state", [State.DRAFT, State.WITHDRAWN, State.CLOSED])
def test_no_comments_on_drafts_withdrawn_or_closed_applications(pool, daycare, state):
    application = make_application(pool, daycare, state=state)
    refused(
        lambda: services.application_comment(
            actor=admin_of(pool.municipality), application=application, body="Hej"
        ),
        "cannot be written",
    )


def test_asking_for_changes_needs_a_comment(pool, daycare):
    application = make_application(pool, daycare, state=State.IN_REVIEW)
    refused(
        lambda: services.application_request_changes(
            actor=admin_of(pool.municipality), application=application, comment="  "
        ),
        "should change",
    )


# Expenses ---------------------------------------------------------------------------------


def test_an_expense_is_booked_against_its_earmark_with_its_receipt(pool, daycare):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))

    expense = book(grant, kr=4_500, description="Seks Bee-Bots")

    allocation = grant.allocations.get()
    assert allocation.spent_ore == 450_000
    assert expense.receipt.read().startswith(b"%PDF")
    assert expense.receipt_name == "kvittering.pdf"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount_ore": 20_001 * KR}, "Only DKK 20,000.00"),
        ({"earmark": Earmark.WIFI}, "no money for"),
        ({"spent_on": today() + timedelta(days=1)}, "in the future"),
        ({"spent_on": today() - timedelta(days=400)}, "before the pool's period"),
    ],
)
def test_expenses_are_checked(pool, daycare, kwargs, message):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    values = {
        "earmark": Earmark.LEARNING_MATERIALS,
        "spent_on": today(),
        "description": "Indkøb",
        "amount_ore": 1_000 * KR,
        **kwargs,
    }
    refused(
        lambda: services.expense_create(
            actor=leader_of(daycare), grant=grant, receipt=receipt(), **values
        ),
        message,
    )


def test_no_expenses_after_the_final_report(pool, daycare):
    application = make_application(pool, daycare, state=State.REPORTING)
    grant = Grant.objects.get(application=application)
    refused(lambda: book(grant, kr=10), "after the final report")


def test_deleting_an_expense_gives_the_money_back_to_its_earmark(pool, daycare):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    expense = book(grant, kr=2_000)

    services.expense_delete(actor=leader_of(daycare), expense=expense)

    assert grant.allocations.get().spent_ore == 0
    assert not Expense.objects.exists()


# Closing ----------------------------------------------------------------------------------


def test_closing_gives_the_unspent_money_back_to_the_pool(pool, daycare):
    application = make_application(pool, daycare, state=State.DECIDED, asked_kr=20_000)
    grant = Grant.objects.get(application=application)
    book(grant, kr=12_500)
    services.application_report(
        actor=leader_of(daycare), application=application, report_text="x", report_evaluation="y"
    )

    services.grant_close(actor=admin_of(pool.municipality), grant=grant)

    grant.refresh_from_db()
    pool.refresh_from_db()
    assert grant.returned_ore == 750_000
    assert grant.closed_at is not None
    assert pool.committed_ore == 1_250_000
    assert Application.objects.get(pk=application.pk).state == State.CLOSED
    refused(lambda: services.grant_close(actor=admin_of(pool.municipality), grant=grant), "already")


def test_an_applied_grant_closes_only_after_its_report(pool, daycare):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    refused(
        lambda: services.grant_close(actor=admin_of(pool.municipality), grant=grant),
        "final report is in",
    )


# Shares by formula --------------------------------------------------------------------------


@pytest.fixture
def counted(koege):
    """Three daycares with 40, 30 and 20 children at the start of the year; a school."""
    daycares = []
    for name, children in [("Ellebo", 40), ("Birkely", 30), ("Spiren", 20)]:
        institution = InstitutionFactory(municipality=koege, name=name)
        leader_of(institution)
        ChildrenCountFactory(
            institution=institution,
            counted_on=today() - timedelta(days=30),
            aged_0_2=children // 2,
            aged_3_5=children - children // 2,
        )
        daycares.append(institution)
    InstitutionFactory(municipality=koege, name="Skolen", kind=Institution.Kind.SCHOOL)
    return daycares


def test_shares_are_calculated_from_the_counts_and_add_up(koege, counted):
    spiren = counted[2]
    pool = make_formula_pool(
        koege, total_kr=10_000, without_wifi=[spiren], reserve_kr=1_500, publish=False
    )

    run = pool.share_run
    shares = {s.institution.name: s for s in run.shares.select_related("institution")}
    assert set(shares) == {"Ellebo", "Birkely", "Spiren"}  # schools take no part
    assert [shares[n].amount_ore // KR for n in ("Ellebo", "Birkely", "Spiren")] == [
        4_445,  # 4,444.44: the one krone left goes to the largest remainder
        3_333,
        2_222,
    ]
    assert sum(s.amount_ore for s in shares.values()) == 1_000_000
    assert (shares["Spiren"].has_wifi, shares["Spiren"].wifi_ore) == (False, 150_000)
    assert shares["Ellebo"].wifi_ore == 0
    assert (run.method, run.status) == ("largest_remainder_kroner", "draft")
    assert shares["Ellebo"].children == 40


def test_the_latest_count_on_or_before_the_reference_date_is_used(koege, counted):
    ellebo = counted[0]
    ChildrenCountFactory(institution=ellebo, counted_on=today(), aged_0_2=0, aged_3_5=400)
    pool = make_formula_pool(
        koege, total_kr=9_000, reference=today() - timedelta(days=1), publish=False
    )
    assert pool.share_run.shares.get(institution=ellebo).children == 40


def test_calculating_again_replaces_the_preview(koege, counted):
    pool = make_formula_pool(koege, total_kr=9_000, publish=False)
    services.share_run_calculate(
        actor=admin_of(koege),
        pool=pool,
        reference_date=today(),
        wifi_reserve_ore=0,
        rest_earmark=Earmark.DEVICES,
        without_wifi=[counted[0].pk],
    )
    assert Share.objects.filter(run__pool=pool).count() == 3
    assert ShareRun.objects.filter(pool=pool).count() == 1


def test_publishing_the_shares_makes_grants_commits_the_pool_and_tells_each_leader(
    koege, counted, django_capture_on_commit_callbacks
):
    spiren = counted[2]
    with django_capture_on_commit_callbacks(execute=True):
        pool = make_formula_pool(koege, total_kr=10_000, without_wifi=[spiren], reserve_kr=1_500)

    assert pool.committed_ore == pool.total_ore
    grants = Grant.objects.filter(pool=pool)
    assert grants.count() == 3
    assert sum(g.amount_ore for g in grants) == 1_000_000
    spiren_grant = grants.get(institution=spiren)
    assert dict(spiren_grant.allocations.values_list("earmark", "amount_ore")) == {
        "wifi": 150_000,
        "devices": 72_200,
    }
    notification = Notification.objects.get(
        recipient=leader_of(spiren), kind="grants.share_published"
    )
    assert "2.222,00" in notification.subject


def test_shares_cannot_be_calculated_again_once_published(koege, counted):
    pool = make_formula_pool(koege, total_kr=9_000)
    refused(
        lambda: services.share_run_calculate(
            actor=admin_of(koege),
            pool=pool,
            reference_date=today(),
            wifi_reserve_ore=0,
            rest_earmark=Earmark.DEVICES,
        ),
        "can no longer be calculated",
    )
    refused(lambda: services.share_run_publish(actor=admin_of(koege), pool=pool), "already")


def test_shares_need_counts(koege, daycare):
    pool = make_pool(
        koege,
        name="Uden børnetal",
        kind=Pool.Kind.FORMULA,
        opens_on=None,
        closes_on=None,
        earmarks=[Earmark.DEVICES],
    )
    refused(
        lambda: services.share_run_calculate(
            actor=admin_of(koege),
            pool=pool,
            reference_date=today(),
            wifi_reserve_ore=0,
            rest_earmark=Earmark.DEVICES,
        ),
        "No daycare has a children count",
    )


def test_publishing_needs_a_preview(koege, counted):
    pool = make_pool(
        koege,
        name="Ikke beregnet",
        kind=Pool.Kind.FORMULA,
        opens_on=None,
        closes_on=None,
        earmarks=[Earmark.DEVICES],
    )
    refused(lambda: services.share_run_publish(actor=admin_of(koege), pool=pool), "Calculate")


# The daycare's own budget ---------------------------------------------------------------------


def test_budget_lines_are_added_and_removed(daycare):
    leader = leader_of(daycare)
    line = services.digital_budget_line_create(
        actor=leader,
        institution=daycare,
        year=today().year,
        description="Tablets",
        earmark=Earmark.DEVICES,
        amount_ore=15_000 * KR,
    )
    assert DigitalBudgetLine.objects.get().amount_ore == 1_500_000

    services.digital_budget_line_delete(actor=leader, line=line)
    assert not DigitalBudgetLine.objects.exists()
    assert AuditEntry.objects.filter(action="grants.budget.line_removed").exists()


def test_a_budget_line_far_from_this_year_is_refused(daycare):
    refused(
        lambda: services.digital_budget_line_create(
            actor=leader_of(daycare),
            institution=daycare,
            year=today().year + 10,
            description="Tablets",
            earmark=Earmark.DEVICES,
            amount_ore=100,
        ),
        "five years",
    )


def test_an_application_cannot_serve_another_daycares_goal():
    koege = MunicipalityFactory()
    daycare = InstitutionFactory(municipality=koege)
    MembershipFactory(institution=daycare, role="leader")
    pool = make_pool(koege, name="Læremidler", total_kr=50_000)
    foreign_goal = LocalGoalFactory(title="Et andet dagtilbuds mål")

    with pytest.raises(ValidationError, match="dagtilbuddets egne mål"):
        services.application_create(
            actor=leader_of(daycare),
            pool=pool,
            institution=daycare,
            project="Bee-Bots",
            purpose="Robotter",
            local_goal=foreign_goal,
            amount_asked_ore=1_000 * KR,
            budget_lines=[
                {"description": "Bee-Bots", "earmark": "devices", "amount_ore": 1_000 * KR}
            ],
        )
    assert not Application.objects.exists()


def test_an_expense_cannot_name_another_daycares_device(pool, daycare):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    foreign = make_device(InstitutionFactory(municipality=daycare.municipality))

    with pytest.raises(ValidationError, match="dagtilbuddets egne enheder"):
        services.expense_create(
            actor=leader_of(daycare),
            grant=grant,
            earmark=Earmark.LEARNING_MATERIALS,
            spent_on=today(),
            description="En tablet",
            amount_ore=3_000 * KR,
            receipt=receipt(),
            device_id=foreign.pk,
        )
    assert not Expense.objects.exists()
