"""Authorization matrix entries for the grants app (see tests/security/matrix.py).

Pools are the municipality's: its administrators and consultants see all of them; the
leaders and digital ambassadors of its daycares see the published ones. A daycare's
money (grants, applications, budget) is seen by its leader and ambassador and by the
municipality; other roles in the daycare get 403, everyone else 404.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from grants.models import Application, DigitalBudgetLine, Earmark, Grant
from tests.grants.helpers import KR, book, make_application, make_formula_pool, make_pool, today
from tests.security.matrix import (
    INSTITUTION,
    LOGIN,
    MUNICIPAL_ADMIN,
    MUNICIPAL_READ,
    Case,
    at_institution,
    at_municipality,
    expect,
    with_objects,
)

State = Application.State


def extend_world(world) -> None:
    koege = world.municipality
    pool = make_pool(koege, name="Matrixpuljen", total_kr=200_000)
    world.objects["pool"] = pool
    world.objects["formula_pool"] = make_formula_pool(
        koege,
        name="Matrixfordeling",
        total_kr=10_000,
        reference=today() - timedelta(days=1),
        period_start=today() - timedelta(days=700),
    )
    world.objects["application"] = make_application(
        pool, world.institution, state=State.CHANGES_REQUESTED, project="Ændres"
    )
    world.objects["review_application"] = make_application(
        pool, world.institution, state=State.IN_REVIEW, project="Behandles"
    )
    decided = make_application(pool, world.institution, state=State.DECIDED, project="Bevilget")
    # The letter itself is tested elsewhere (tests/grants/test_letters.py); here a file.
    name = "grants/letters/matrix.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    Application.objects.filter(pk=decided.pk).update(decision_letter=name)
    world.objects["decided_application"] = decided
    grant = Grant.objects.get(application=decided)
    world.objects["grant"] = grant
    world.objects["expense"] = book(grant, kr=1_000, earmark=Earmark.LEARNING_MATERIALS)
    world.objects["budget_line"] = DigitalBudgetLine.objects.create(
        institution=world.institution,
        year=today().year,
        description="Tablets",
        earmark=Earmark.DEVICES,
        amount_ore=5_000 * KR,
    )


# Who is outside a daycare's money altogether (404): besides the institution's outsiders,
# a guardian, whose reach is the children, not the daycare's applications and grants.
OUTSIDE = {**INSTITUTION, "guardian": 404}
POOL_READERS = {"leader": 200, "ambassador": 200, "other_leader": 200, "consultant": 200}
NOT_POOL_READERS = {
    "anonymous": LOGIN,
    "guardian": 404,
    "board_member": 404,
    "staff": 404,
    "childminder": 404,
    "other_admin": 404,
}
MONEY_READERS = {"leader": 200, "ambassador": 200, "consultant": 200, "admin": 200}


def pool_admin(answer):
    return expect(403, **NOT_POOL_READERS, admin=answer)


CASES = {
    # The municipality's pools
    "grants:municipality": Case(at_municipality("grants:municipality"), MUNICIPAL_READ),
    "grants:pool_create": Case(at_municipality("grants:pool_create"), MUNICIPAL_ADMIN),
    "grants:municipality_export": Case(
        at_municipality("grants:municipality_export"), MUNICIPAL_READ
    ),
    "grants:pool": Case(
        with_objects("grants:pool", "pool"),
        expect(404, anonymous=LOGIN, admin=200, **POOL_READERS),
    ),
    "grants:pool_edit": Case(with_objects("grants:pool_edit", "pool"), pool_admin(200)),
    "grants:pool_publish": Case(
        with_objects("grants:pool_publish", "pool"), pool_admin(302), method="post"
    ),
    "grants:share_run": Case(with_objects("grants:share_run", "formula_pool"), pool_admin(200)),
    "grants:share_run_publish": Case(
        with_objects("grants:share_run_publish", "formula_pool"), pool_admin(302), method="post"
    ),
    # A daycare's money
    "grants:institution": Case(
        at_institution("grants:institution"), expect(403, **INSTITUTION, **MONEY_READERS)
    ),
    "grants:budget": Case(
        at_institution("grants:budget"), expect(403, **INSTITUTION, **MONEY_READERS)
    ),
    "grants:budget_line_delete": Case(
        at_institution("grants:budget_line_delete", "budget_line"),
        expect(403, **INSTITUTION, leader=302),
        method="post",
    ),
    "grants:application_create": Case(
        at_institution("grants:application_create", "pool"),
        expect(403, **INSTITUTION, leader=200, ambassador=200),
    ),
    # Applications
    "grants:application": Case(
        with_objects("grants:application", "application"), expect(403, **OUTSIDE, **MONEY_READERS)
    ),
    "grants:application_edit": Case(
        with_objects("grants:application_edit", "application"),
        expect(403, **OUTSIDE, leader=200, ambassador=200),
    ),
    "grants:application_submit": Case(
        with_objects("grants:application_submit", "application"),
        expect(403, **OUTSIDE, leader=302),
        method="post",
    ),
    "grants:application_withdraw": Case(
        with_objects("grants:application_withdraw", "application"),
        expect(403, **OUTSIDE, leader=302),
        method="post",
    ),
    "grants:application_review": Case(
        with_objects("grants:application_review", "application"),
        expect(403, **OUTSIDE, admin=302),
        method="post",
    ),
    "grants:application_comment": Case(
        with_objects("grants:application_comment", "application"),
        expect(403, **OUTSIDE, leader=302, admin=302),
        method="post",
        data={"body": "Et spørgsmål"},
    ),
    "grants:application_request_changes": Case(
        with_objects("grants:application_request_changes", "review_application"),
        expect(403, **OUTSIDE, admin=302),
        method="post",
        data={"comment": "Ret budgettet"},
    ),
    "grants:application_decide": Case(
        with_objects("grants:application_decide", "review_application"),
        expect(403, **OUTSIDE, admin=200),
    ),
    "grants:decision_letter": Case(
        with_objects("grants:decision_letter", "decided_application"),
        expect(403, **OUTSIDE, **MONEY_READERS),
    ),
    "grants:application_report": Case(
        with_objects("grants:application_report", "decided_application"),
        expect(403, **OUTSIDE, leader=200),
    ),
    # Grants and expenses
    "grants:grant": Case(
        with_objects("grants:grant", "grant"), expect(403, **OUTSIDE, **MONEY_READERS)
    ),
    "grants:grant_close": Case(
        with_objects("grants:grant_close", "grant"),
        expect(403, **OUTSIDE, admin=302),
        method="post",
    ),
    "grants:expense_delete": Case(
        with_objects("grants:expense_delete", "grant", "expense"),
        expect(403, **OUTSIDE, leader=302, ambassador=302),
        method="post",
    ),
    "grants:expense_receipt": Case(
        with_objects("grants:expense_receipt", "grant", "expense"),
        expect(403, **OUTSIDE, **MONEY_READERS),
    ),
}
