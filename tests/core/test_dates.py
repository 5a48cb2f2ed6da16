from datetime import date

from core.dates import months_before, years_before


def test_date_helpers_handle_month_ends_and_leap_days():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 11, 25), 11) == date(2025, 12, 25)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)
    assert years_before(date(2028, 2, 29), 2) == date(2026, 2, 28)
    assert years_before(date(2024, 12, 1), -2) == date(2026, 12, 1)
