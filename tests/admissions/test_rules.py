"""The guarantee date, seniority and the priority order: worked examples and properties."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from admissions import rules
from admissions.rules import GuaranteeRules, guarantee_date, rank, seniority_date
from core.dates import add_months

LAW = GuaranteeRules()


# Worked examples -----------------------------------------------------------------------


def test_a_baby_signed_up_early_is_guaranteed_a_place_at_26_weeks():
    # Born 1 March 2026, signed up 10 March, wants a place as soon as possible.
    assert guarantee_date(
        LAW,
        birth_date=date(2026, 3, 1),
        signed_up_on=date(2026, 3, 10),
        wished_start=date(2026, 3, 10),
    ) == date(2026, 8, 30)  # 26 weeks of age


def test_a_late_sign_up_is_guaranteed_three_months_after_it():
    # Born 1 January 2026, 26 weeks old on 2 July; signed up 1 June: place by 1 September.
    assert guarantee_date(
        LAW,
        birth_date=date(2026, 1, 1),
        signed_up_on=date(2026, 6, 1),
        wished_start=date(2026, 6, 1),
    ) == date(2026, 9, 1)


def test_a_later_wished_start_moves_the_guarantee_date():
    assert guarantee_date(
        LAW,
        birth_date=date(2026, 1, 1),
        signed_up_on=date(2026, 1, 15),
        wished_start=date(2027, 1, 1),
    ) == date(2027, 1, 1)


def test_a_more_generous_municipality_guarantees_earlier():
    generous = GuaranteeRules(age_weeks=20, months_after_signup=2)
    assert guarantee_date(
        generous,
        birth_date=date(2026, 1, 1),
        signed_up_on=date(2026, 1, 2),
        wished_start=date(2026, 1, 2),
    ) == date(2026, 5, 21)  # 20 weeks of age


def test_seniority_counts_from_birth_when_signed_up_before_three_months():
    birth = date(2026, 2, 10)
    assert (
        seniority_date(birth_date=birth, signed_up_on=date(2026, 5, 9), from_birth_months=3)
        == birth
    )
    assert seniority_date(
        birth_date=birth, signed_up_on=date(2026, 5, 10), from_birth_months=3
    ) == date(2026, 5, 10)
    assert seniority_date(
        birth_date=birth, signed_up_on=date(2026, 2, 20), from_birth_months=0
    ) == date(2026, 2, 20)


def test_school_start_is_august_of_the_year_the_child_turns_six():
    assert rules.school_start(date(2020, 12, 31)) == date(2026, 8, 1)


T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def entry(pk, *, needs=False, sibling=False, seniority=date(2026, 1, 1), minutes=0):
    return rules.Entry(
        pk=pk,
        special_needs=needs,
        sibling=sibling,
        seniority_date=seniority,
        signed_up_at=T0 + timedelta(minutes=minutes),
    )


def test_the_priority_order_worked_example():
    # Ida: signed up first, long seniority. Bo: a sibling in the daycare. Eva: special
    # needs. Noah: same seniority as Ida but signed up later.
    ida = entry(1, seniority=date(2025, 6, 1), minutes=0)
    bo = entry(2, sibling=True, seniority=date(2025, 9, 1), minutes=5)
    eva = entry(3, needs=True, seniority=date(2025, 12, 1), minutes=10)
    noah = entry(4, seniority=date(2025, 6, 1), minutes=20)
    everyone = [noah, eva, bo, ida]

    assert rank(rules.RULES, everyone) == [eva, bo, ida, noah]
    assert rank([rules.SENIORITY, rules.WAITING_TIME], everyone) == [ida, noah, bo, eva]
    assert rank([rules.SIBLING, rules.SPECIAL_NEEDS], everyone) == [bo, eva, ida, noah]


# Properties ------------------------------------------------------------------------------

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
generous = st.builds(
    GuaranteeRules,
    age_weeks=st.integers(min_value=0, max_value=26),
    months_after_signup=st.integers(min_value=0, max_value=3),
)


@given(rules_=generous, birth=days, after=st.integers(0, 2000), wait=st.integers(0, 800))
def test_the_guarantee_is_never_later_than_the_law_allows(rules_, birth, after, wait):
    signed_up = birth + timedelta(days=after)
    wished = signed_up + timedelta(days=wait)
    guaranteed = guarantee_date(
        rules_, birth_date=birth, signed_up_on=signed_up, wished_start=wished
    )
    by_law = guarantee_date(LAW, birth_date=birth, signed_up_on=signed_up, wished_start=wished)
    assert guaranteed <= by_law
    # Never before the family wants it, and never before the municipality's own terms.
    assert guaranteed >= wished
    assert guaranteed >= birth + timedelta(weeks=rules_.age_weeks)
    assert guaranteed >= add_months(signed_up, rules_.months_after_signup)
    # The law: at the latest three months after sign-up once the child is 26 weeks old.
    assert by_law <= max(add_months(signed_up, 3), birth + timedelta(weeks=26), wished)


@given(birth=days, after=st.integers(0, 2000), months=st.integers(0, 24))
def test_seniority_is_never_later_than_the_sign_up_nor_before_birth(birth, after, months):
    signed_up = birth + timedelta(days=after)
    senior = seniority_date(birth_date=birth, signed_up_on=signed_up, from_birth_months=months)
    assert senior in (birth, signed_up)
    assert birth <= senior <= signed_up


entries = st.lists(
    st.builds(
        entry,
        st.integers(),
        needs=st.booleans(),
        sibling=st.booleans(),
        seniority=days,
        minutes=st.integers(0, 10_000),
    ),
    unique_by=lambda e: e.pk,
    max_size=30,
)
orders = st.permutations(list(rules.RULES)).flatmap(
    lambda order: st.integers(0, len(order)).map(lambda n: order[:n])
)


@given(entries=entries, order=orders, seed=st.randoms())
def test_the_ranking_is_a_total_order_whatever_the_input_order(entries, order, seed):
    shuffled = list(entries)
    seed.shuffle(shuffled)
    ranked = rank(order, entries)
    assert rank(order, shuffled) == ranked
    assert sorted(e.pk for e in ranked) == sorted(e.pk for e in entries)


@given(entries=entries, order=orders)
def test_the_first_rule_decides_before_any_other(entries, order):
    ranked = rank(order, entries)
    if not order:
        return
    first = order[0]
    for before, after in itertools.pairwise(ranked):
        if first == rules.SPECIAL_NEEDS:
            assert before.special_needs >= after.special_needs
        elif first == rules.SIBLING:
            assert before.sibling >= after.sibling
        elif first == rules.SENIORITY:
            assert before.seniority_date <= after.seniority_date
        else:
            assert before.signed_up_at <= after.signed_up_at


def test_the_ages_each_kind_takes_worked_example():
    born = date(2026, 3, 14)  # a baby of 2026, too young for a kindergarten in 2027
    assert rules.age_fits("nursery", birth_date=born, on=date(2027, 1, 1))
    assert not rules.age_fits("kindergarten", birth_date=born, on=date(2027, 1, 1))
    assert not rules.age_fits("kindergarten", birth_date=born, on=date(2029, 3, 13))
    assert rules.age_fits("kindergarten", birth_date=born, on=date(2029, 3, 14))
    assert not rules.age_fits("nursery", birth_date=born, on=date(2029, 3, 14))
    assert rules.age_fits("integrated", birth_date=born, on=date(2032, 7, 31))
    assert not rules.age_fits("integrated", birth_date=born, on=date(2032, 8, 1))
    assert rules.age_fits("after_school", birth_date=born, on=date(2032, 8, 1))


@given(birth=days, after=st.integers(0, 8 * 366))
def test_a_child_fits_a_nursery_or_a_kindergarten_before_school_and_only_sfo_after(birth, after):
    on = birth + timedelta(days=after)
    fits = {
        kind: rules.age_fits(kind, birth_date=birth, on=on)
        for kind in ("nursery", "childminding", "kindergarten", "integrated", "after_school")
    }
    if on >= rules.school_start(birth):
        assert [k for k, fit in fits.items() if fit] == ["after_school"]
    else:
        assert fits["integrated"] and not fits["after_school"]
        assert fits["nursery"] == fits["childminding"] != fits["kindergarten"]
        assert fits["nursery"] == (on < add_months(birth, 36))
