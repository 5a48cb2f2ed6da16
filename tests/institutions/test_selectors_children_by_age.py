"""The children register counted by age on a day, as a children count records it."""

from __future__ import annotations

from datetime import date

import pytest

from institutions.selectors import children_by_age
from tests.factories import ChildFactory, GroupFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def test_children_are_counted_by_age_on_the_day_while_they_are_there():
    daycare, empty = InstitutionFactory(), InstitutionFactory()
    room = GroupFactory(institution=daycare)
    on = date(2026, 1, 1)
    ChildFactory(group=room, birth_date=date(2023, 1, 2), started_on=date(2024, 1, 1))  # 2
    ChildFactory(group=room, birth_date=date(2023, 1, 1), started_on=None)  # 3 that day
    ChildFactory(group=room, birth_date=date(2020, 1, 1), left_on=date(2026, 1, 1))  # 6
    ChildFactory(group=room, birth_date=date(2024, 5, 1), started_on=date(2026, 1, 2))  # later
    ChildFactory(group=room, birth_date=date(2021, 5, 1), left_on=date(2025, 12, 31))  # gone
    ChildFactory(group=room, birth_date=date(2026, 3, 1), started_on=None)  # not born

    assert children_by_age([daycare, empty], on) == {daycare.pk: (1, 1, 1)}
