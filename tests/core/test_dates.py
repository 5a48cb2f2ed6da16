from datetime import date

from core.dates import months_before, years_before


def test_date_helpers_handle_month_ends_and_leap_days():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 11, 25), 11) == date(2025, 12, 25)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)
    assert years_before(date(2028, 2, 29), 2) == date(2026, 2, 28)
    assert years_before(date(2024, 12, 1), -2) == date(2026, 12, 1)


def test_steps_forward_land_on_a_real_day():
    from core.dates import add_months, add_years

    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 1, 31), -2) == date(2025, 11, 30)
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert add_years(date(2026, 6, 1), 2) == date(2028, 6, 1)


def test_whole_months_between_is_an_age_in_months():
    from core.dates import whole_months_between

    born = date(2026, 3, 14)
    assert whole_months_between(born, date(2026, 3, 14)) == 0
    assert whole_months_between(born, date(2026, 4, 13)) == 0
    assert whole_months_between(born, date(2026, 4, 14)) == 1
    assert whole_months_between(born, date(2029, 3, 13)) == 35
    assert whole_months_between(born, date(2029, 3, 14)) == 36
    # Born on the 31st: a month is complete on a shorter month's last day.
    assert whole_months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1
