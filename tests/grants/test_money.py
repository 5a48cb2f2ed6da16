"""Money: Danish input and output in whole øre, and the sharing by number of children,
with property tests (hypothesis) of the largest-remainder split."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.money import format_kroner, largest_remainder, parse_kroner
from grants.services import compute_shares
from grants.templatetags.grants import kr


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("12.000", 1_200_000),
        ("12000", 1_200_000),
        ("12000,50", 1_200_050),
        ("12.000,5", 1_200_050),
        ("12 000", 1_200_000),
        ("1.234.567,89", 123_456_789),
        ("12.000 kr.", 1_200_000),
        ("12.000,00 kr", 1_200_000),
        ("  315.000  ", 31_500_000),
        ("0,01", 1),
        ("7", 700),
    ],
)
def test_danish_amounts_are_read_as_ore(text, ore):
    assert parse_kroner(text) == ore


@pytest.mark.parametrize(
    "text", ["12.5", "12,505", "abc", "", "12,000.50", "1.00", "12.0000", "-5", "1e3", "12,"]
)
def test_anything_else_is_refused_rather_than_guessed(text):
    with pytest.raises(ValidationError):
        parse_kroner(text)


@pytest.mark.parametrize(
    ("ore", "shown"),
    [
        (1_200_000, "12.000,00\u00a0kr."),
        (1_200_050, "12.000,50\u00a0kr."),
        (0, "0,00\u00a0kr."),
        (5, "0,05\u00a0kr."),
        (31_500_000, "315.000,00\u00a0kr."),
        (123_456_789, "1.234.567,89\u00a0kr."),
    ],
)
def test_amounts_are_shown_the_danish_way(ore, shown):
    assert format_kroner(ore) == shown
    assert kr(ore) == shown


def test_the_template_filter_shows_a_dash_for_no_amount():
    assert kr(None) == "–"


@given(st.integers(min_value=0, max_value=10**12))
def test_formatting_and_reading_an_amount_gives_it_back(ore):
    assert parse_kroner(format_kroner(ore)) == ore


def test_largest_remainder_adds_up_and_gives_leftovers_to_the_largest_remainders():
    # 100 kr over 3, 3, 3 children: 33 each, one krone left; ties go to the first.
    assert largest_remainder(100, [3, 3, 3]) == [34, 33, 33]
    # 10 over 1, 2, 7: quotas exactly 1, 2, 7.
    assert largest_remainder(10, [1, 2, 7]) == [1, 2, 7]
    # 7 over 5, 3, 2: quotas 3.5, 2.1, 1.4 -> 3, 2, 1 and one left for the .5.
    assert largest_remainder(7, [5, 3, 2]) == [4, 2, 1]


def test_a_zero_count_gets_nothing_and_all_zero_counts_cannot_share():
    assert largest_remainder(10, [0, 4, 0]) == [0, 10, 0]
    with pytest.raises(ValueError):
        largest_remainder(10, [0, 0])
    assert largest_remainder(0, [0, 0]) == [0, 0]


weights = st.lists(st.integers(min_value=0, max_value=5_000), min_size=1, max_size=60).filter(
    lambda ws: sum(ws) > 0
)


@settings(max_examples=300)
@given(total=st.integers(min_value=0, max_value=10_000_000), counts=weights)
def test_shares_always_add_up_to_the_total_and_are_never_negative(total, counts):
    parts = largest_remainder(total, counts)

    assert sum(parts) == total
    assert all(part >= 0 for part in parts)
    assert len(parts) == len(counts)


@settings(max_examples=300)
@given(total=st.integers(min_value=0, max_value=10_000_000), counts=weights)
def test_shares_follow_the_counts(total, counts):
    """A daycare with more children never gets less; equal counts differ by at most one
    krone; each share is within one krone of its exact quota."""
    parts = largest_remainder(total, counts)
    whole = sum(counts)
    for i, (count_i, part_i) in enumerate(zip(counts, parts, strict=True)):
        assert part_i * whole >= total * count_i - whole  # never a krone under its quota
        assert part_i * whole <= total * count_i + whole  # never a krone over it
        for count_j, part_j in zip(counts[i + 1 :], parts[i + 1 :], strict=True):
            if count_i > count_j:
                assert part_i >= part_j
            elif count_i < count_j:
                assert part_i <= part_j
            else:
                assert abs(part_i - part_j) <= 1
        if count_i == 0:
            assert part_i == 0


@settings(max_examples=200)
@given(
    total_kr=st.integers(min_value=1, max_value=2_000_000),
    rows=st.lists(
        st.tuples(st.integers(min_value=0, max_value=400), st.booleans()), min_size=1, max_size=50
    ).filter(lambda rows: sum(c for c, _w in rows) > 0),
    reserve_kr=st.integers(min_value=0, max_value=50_000),
)
def test_shares_with_wifi_earmarks_add_up_in_whole_kroner(total_kr, rows, reserve_kr):
    result = compute_shares(
        total_ore=total_kr * 100,
        children=[c for c, _w in rows],
        has_wifi=[w for _c, w in rows],
        wifi_reserve_ore=reserve_kr * 100,
    )

    assert sum(amount for amount, _wifi in result) == total_kr * 100
    for (amount, wifi), (_children, has_wifi) in zip(result, rows, strict=True):
        assert amount % 100 == 0
        assert 0 <= wifi <= amount
        assert wifi == (0 if has_wifi else min(reserve_kr * 100, amount))


def test_315000_kroner_over_koege_like_counts_adds_up_exactly():
    counts = [53, 88, 141, 75, 96, 112, 64, 135, 77, 90, 101, 58, 83]
    parts = largest_remainder(315_000, counts)
    assert sum(parts) == 315_000
