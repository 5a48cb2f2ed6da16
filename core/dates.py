"""Calendar steps that land on a real day: a month or a year back from the 31st or from
29 February is the last day of the shorter month, not an error."""

from __future__ import annotations

from datetime import date


def add_years(day: date, years: int) -> date:
    """`years` later (earlier when negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """`months` later (earlier when negative), on the same day of the month or the last
    day of a shorter month."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def years_before(day: date, years: int) -> date:
    return add_years(day, -years)


def months_before(day: date, months: int) -> date:
    return add_months(day, -months)


def whole_months_between(start: date, end: date) -> int:
    """How many whole months have passed from `start` to `end`: a child's age in months
    on a day. A month is complete on the same day of the month (or the month's last day
    when it is shorter)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months
