"""The grants indicators: "budgets for digital purchases or applies for funding" and "its
share of the development funds is spent on its earmarks by the period's end"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.indicators import NOT_APPLICABLE, Status, evaluate, get_indicator
from grants.indicators import BudgetsOrApplies, ShareSpent
from grants.models import Application, DigitalBudgetLine, Earmark, Grant, Pool
from institutions.models import Institution
from tests.factories import ChildrenCountFactory, InstitutionFactory, MunicipalityFactory
from tests.grants.helpers import (
    KR,
    book,
    leader_of,
    make_application,
    make_formula_pool,
    make_pool,
    plain,
    today,
)

pytestmark = pytest.mark.django_db

State = Application.State


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


def daycare(municipality, name, kind=Institution.Kind.INTEGRATED, children=60):
    institution = InstitutionFactory(municipality=municipality, name=name, kind=kind)
    leader_of(institution)
    if children:
        ChildrenCountFactory(
            institution=institution,
            counted_on=today(),
            aged_0_2=children // 3,
            aged_3_5=children - children // 3,
        )
    return institution


def result(code, institution, day=None):
    with translation.override("en"):
        matrix = evaluate(
            municipality=institution.municipality, institutions=[institution], today=day
        )
        return matrix.result(get_indicator(code), institution)


def budget(institution, year, kr=10_000):
    DigitalBudgetLine.objects.create(
        institution=institution,
        year=year,
        description="Tablets",
        earmark=Earmark.DEVICES,
        amount_ore=kr * KR,
    )


# Budgets or applies ------------------------------------------------------------------------

CODE = BudgetsOrApplies.code


def test_both_indicators_are_registered():
    assert isinstance(get_indicator(BudgetsOrApplies.code), BudgetsOrApplies)
    assert isinstance(get_indicator(ShareSpent.code), ShareSpent)


def test_a_budget_this_year_meets_it(koege):
    institution = daycare(koege, "Solstrålen")
    budget(institution, today().year, 15_000)

    outcome = result(CODE, institution)

    assert outcome.status == Status.MET
    assert plain(outcome.evidence) == f"Budget {today().year} for digital purchases: DKK 15,000.00"


def test_an_application_sent_this_year_meets_it(koege):
    institution = daycare(koege, "Solstrålen")
    make_application(make_pool(koege), institution, state=State.SUBMITTED)

    outcome = result(CODE, institution)

    assert outcome.status == Status.MET
    assert outcome.evidence == f"1 application for funding sent in {today().year}"


def test_a_draft_alone_is_at_risk_and_a_withdrawn_application_does_not_count(koege):
    drafting = daycare(koege, "Solstrålen")
    make_application(make_pool(koege), drafting)
    withdrew = daycare(koege, "Troldehøjen")
    make_application(Pool.objects.get(), withdrew, state=State.WITHDRAWN)

    assert result(CODE, drafting).status == Status.AT_RISK
    assert result(CODE, withdrew).status == Status.NOT_MET


def test_last_years_budget_does_not_count(koege):
    institution = daycare(koege, "Solstrålen")
    budget(institution, today().year - 1)

    outcome = result(CODE, institution)

    assert outcome.status == Status.NOT_MET
    assert outcome.fix_url == reverse("grants:budget", args=[institution.pk])


def test_schools_are_not_measured(koege):
    school = daycare(koege, "Skolen", kind=Institution.Kind.SCHOOL)
    assert result(CODE, school) == NOT_APPLICABLE


# Share spent on its earmarks ----------------------------------------------------------------

SHARE = ShareSpent.code


def test_without_a_published_share_it_is_not_applicable(koege):
    institution = daycare(koege, "Solstrålen")
    make_formula_pool(koege, total_kr=9_000, publish=False)

    assert result(SHARE, institution) == NOT_APPLICABLE


def test_a_share_spent_on_its_earmarks_meets_it(koege):
    institution = daycare(koege, "Solstrålen")
    make_formula_pool(koege, total_kr=9_000, without_wifi=[institution], reserve_kr=2_000)
    grant = Grant.objects.get(institution=institution)
    book(grant, kr=2_000, earmark=Earmark.WIFI)
    book(grant, kr=7_000, earmark=Earmark.DEVICES)

    outcome = result(SHARE, institution)

    assert outcome.status == Status.MET
    assert plain(outcome.evidence) == (
        "All of DKK 9,000.00 spent (Wi-Fi: DKK 2,000.00 of DKK 2,000.00; "
        "Tablets and PCs: DKK 7,000.00 of DKK 7,000.00)."
    )


def test_a_share_not_yet_spent_is_at_risk_before_the_period_ends_and_not_met_after(koege):
    institution = daycare(koege, "Solstrålen")
    pool = make_formula_pool(koege, total_kr=9_000)
    grant = Grant.objects.get(institution=institution)
    book(grant, kr=4_000)

    before = result(SHARE, institution, day=pool.period_end)
    after = result(SHARE, institution, day=pool.period_end + timedelta(days=1))

    assert before.status == Status.AT_RISK
    assert "DKK 4,000.00 of DKK 9,000.00 spent" in plain(before.evidence)
    assert before.fix_url == reverse("grants:grant", args=[grant.pk])
    assert after.status == Status.NOT_MET


def test_wifi_money_spent_on_tablets_does_not_count_for_wifi(koege):
    """Each earmark counts on its own: the Wi-Fi part must go to Wi-Fi."""
    institution = daycare(koege, "Solstrålen")
    make_formula_pool(koege, total_kr=9_000, without_wifi=[institution], reserve_kr=2_000)
    book(Grant.objects.get(institution=institution), kr=7_000, earmark=Earmark.DEVICES)

    assert result(SHARE, institution).status == Status.AT_RISK


# Fixed number of queries --------------------------------------------------------------------


def _grow(municipality, up_to):
    for n in range(municipality.institutions.count(), up_to):
        institution = daycare(municipality, f"Institution {n:02d}")
        if n % 3 == 0:
            budget(institution, today().year)
        elif n % 3 == 1:
            DigitalBudgetLine.objects.create(
                institution=institution,
                year=today().year - 1,
                description="x",
                earmark=Earmark.DEVICES,
                amount_ore=100,
            )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries.captured_queries)


@pytest.mark.parametrize("indicator", [BudgetsOrApplies, ShareSpent])
def test_each_indicator_runs_one_query_for_3_or_30_daycares(koege, indicator):
    _grow(koege, 3)
    make_formula_pool(koege, name="Fordeling 1", total_kr=9_000)
    pool = make_pool(koege)
    for institution in list(koege.institutions.all())[:2]:
        make_application(pool, institution, state=State.SUBMITTED, project="Ansøgt")

    def run():
        institutions = list(koege.institutions.order_by("name"))
        with CaptureQueriesContext(connection) as queries:
            results = indicator().evaluate(
                municipality=koege, institutions=institutions, today=today()
            )
        return len(queries.captured_queries), results

    few, _ = run()
    _grow(koege, 30)
    make_formula_pool(koege, name="Fordeling 2", total_kr=90_000)
    many, results = run()

    assert few == many == 1
    assert len(results) == 30
    expected = {Status.MET, Status.NOT_MET} if indicator is BudgetsOrApplies else {Status.AT_RISK}
    assert {r.status for r in results.values()} == expected
