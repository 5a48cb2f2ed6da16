"""The municipality's rules as pure functions: the guarantee date, seniority, the
priority order of a waiting list, the ages each kind of daycare takes. No database
here, so they are tested with worked examples and property tests
(tests/admissions/test_rules.py).

The place guarantee (dagtilbudsloven): a place from 26 weeks of age to school start, and
at the latest three months after the parents applied. A municipality may be more
generous (a younger age, a shorter wait), never less; the policy's checks say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.dates import add_months, whole_months_between

# The rule codes, in the law's usual order. The municipality picks and orders them.
SPECIAL_NEEDS = "special_needs"
SIBLING = "sibling"
SENIORITY = "seniority"
WAITING_TIME = "waiting_time"
RULES = (SPECIAL_NEEDS, SIBLING, SENIORITY, WAITING_TIME)

LEGAL_AGE_WEEKS = 26
LEGAL_MONTHS_AFTER_SIGNUP = 3
# Children start school (børnehaveklasse) in August of the year they turn six.
SCHOOL_START_MONTH = 8


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def school_start(birth_date: date) -> date:
    """The first of August in the year the child turns six."""
    return date(birth_date.year + 6, SCHOOL_START_MONTH, 1)


# The ages each kind of institution takes (its `kind`), in whole months at the start:
# from, and up to but not including (None: to school start). A nursery and childminding
# take children of 0-2 years, a kindergarten from 3 years, an integrated institution
# both; after-school care and school take children who have started school.
UNDER_THREE = (0, 36)
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "nursery": UNDER_THREE,
    "childminding": UNDER_THREE,
    "kindergarten": (36, None),
    "integrated": (0, None),
}
SCHOOL_AGE_KINDS = ("school", "after_school")


def age_in_months(birth_date: date, on: date) -> int:
    return whole_months_between(birth_date, on)


def age_fits(kind: str, *, birth_date: date, on: date) -> bool:
    """Whether a child born on `birth_date` is of an age `kind` takes on the day `on`."""
    at_school = on >= school_start(birth_date)
    if kind in SCHOOL_AGE_KINDS:
        return at_school
    if at_school or kind not in AGE_BANDS:
        return False
    low, high = AGE_BANDS[kind]
    months = age_in_months(birth_date, on)
    return months >= low and (high is None or months < high)


@dataclass(frozen=True)
class GuaranteeRules:
    age_weeks: int = LEGAL_AGE_WEEKS
    months_after_signup: int = LEGAL_MONTHS_AFTER_SIGNUP


def guarantee_date(
    rules: GuaranteeRules, *, birth_date: date, signed_up_on: date, wished_start: date
) -> date:
    """The date from which a place is guaranteed: the latest of the child's guarantee age,
    the end of the waiting time after sign-up, and the parents' own wished start (the
    municipality need not offer a place before it is wanted)."""
    return max(
        birth_date + timedelta(weeks=rules.age_weeks),
        add_months(signed_up_on, rules.months_after_signup),
        wished_start,
    )


def seniority_date(*, birth_date: date, signed_up_on: date, from_birth_months: int) -> date:
    """Seniority counts from birth when the child was signed up before it was
    `from_birth_months` months old, otherwise from the sign-up date."""
    if from_birth_months and signed_up_on < add_months(birth_date, from_birth_months):
        return birth_date
    return signed_up_on


@dataclass(frozen=True)
class Entry:
    """One child on one daycare's waiting list, with what the priority rules look at."""

    pk: int
    special_needs: bool
    sibling: bool
    seniority_date: date
    signed_up_at: datetime


def priority_key(order: Sequence[str], entry: Entry) -> tuple:
    """Smaller comes first. The municipality's rules in its order, then the sign-up time
    and the id, so two children never tie."""
    parts: list = []
    for rule in order:
        if rule == SPECIAL_NEEDS:
            parts.append(0 if entry.special_needs else 1)
        elif rule == SIBLING:
            parts.append(0 if entry.sibling else 1)
        elif rule == SENIORITY:
            parts.append(entry.seniority_date)
        elif rule == WAITING_TIME:
            parts.append(entry.signed_up_at)
    return (*parts, entry.signed_up_at, entry.pk)


def rank(order: Sequence[str], entries: Iterable[Entry]) -> list[Entry]:
    """The waiting list in the municipality's priority order."""
    return sorted(entries, key=lambda entry: priority_key(order, entry))
