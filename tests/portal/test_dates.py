"""Dates as their readers write them: "7. december 2026" in Danish, "7 December 2026" in
English; never "7. December 2026", "Dec. 7, 2026" or "01/2027"."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from core.templatetags.dates import machine_datetime
from privacy.models import PersonalDataAccess
from tests.factories import GuardianshipFactory
from tests.portal.test_template_comments import BASE_DIR, template_files

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# A pattern that names a month or a weekday is right in one language only: templates use
# the named formats (DATE_FORMAT …) or the filters of core/templatetags/dates.py.
LANGUAGE_BOUND = re.compile(r'\|date:"(?![A-Z_]+")[^"]*[FNlDE][^"]*"')


@pytest.mark.parametrize(
    "language,expected",
    [
        ("da", ["7. december 2026", "7. december 2026 14:30", "januar 2027", "7. december"]),
        ("en", ["7 December 2026", "7 December 2026 14:30", "January 2027", "7 December"]),
    ],
)
def test_each_language_writes_dates_its_own_way(language, expected):
    moment = datetime(2026, 12, 7, 14, 30)
    with translation.override(language):
        assert [
            date_format(moment, "DATE_FORMAT"),
            date_format(moment, "DATETIME_FORMAT"),
            date_format(date(2027, 1, 1), "YEAR_MONTH_FORMAT"),
            date_format(moment, "MONTH_DAY_FORMAT"),
        ] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,shown,not_shown",
    [
        ("en", "7 December 2026 14:30", "7. December"),
        ("da", "7. december 2026 14:30", "7 December"),
    ],
)
def test_a_parent_reads_the_dates_of_my_data_in_their_language(client, language, shown, not_shown):
    guardianship = GuardianshipFactory(guardian__language=language)
    PersonalDataAccess.objects.create(
        at=datetime(2026, 12, 7, 14, 30, tzinfo=COPENHAGEN),
        child=guardianship.child,
        action=PersonalDataAccess.Action.READ,
        purpose="The child's page with guardians",
        actor_role="staff",
    )
    client.force_login(guardianship.guardian)

    html = client.get(reverse("privacy:my_data")).content.decode()

    assert shown in html
    assert not_shown not in html


def test_no_template_writes_a_date_pattern_of_one_language():
    wrong = [
        f"{path.name}: {match.group(0)}"
        for path in template_files()
        if "tests" not in path.relative_to(BASE_DIR).parts[:1]  # the tests' own fixtures
        for match in LANGUAGE_BOUND.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, "Use DATE_FORMAT, DATETIME_FORMAT … or |weekday_date:\n" + "\n".join(wrong)


def test_a_time_element_gets_the_moment_to_the_second_in_copenhagen():
    """HTML's datetime takes at most three decimals of a second; the stored moment has six."""
    moment = datetime(2026, 12, 7, 13, 30, 5, 670043, tzinfo=ZoneInfo("UTC"))
    assert machine_datetime(moment) == "2026-12-07T14:30:05+01:00"
    assert machine_datetime(None) == ""
