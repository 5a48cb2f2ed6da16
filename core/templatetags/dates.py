"""Dates with the weekday, or the day with the time, in the reader's language: templates
use these and the named formats (DATE_FORMAT …), never a pattern such as "j. F Y" that
is right in only one language (core/formats/)."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


def _local(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


@register.filter
def weekday_date(value) -> str:
    """ "mandag 7. december 2026", "Monday 7 December 2026"."""
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, 'l')} {date_format(value, 'DATE_FORMAT')}"


@register.filter
def weekday_datetime(value) -> str:
    """ "mandag 7. december 2026 14:30", "Monday 7 December 2026 14:30"."""
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, 'l')} {date_format(value, 'DATETIME_FORMAT')}"


@register.filter
def day_time(value) -> str:
    """ "7. december 14:30", "7 December 14:30"."""
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, 'MONTH_DAY_FORMAT')} {date_format(value, 'TIME_FORMAT')}"


@register.filter
def machine_datetime(value) -> str:
    """ "2026-12-07T14:30:05+01:00": the moment for a <time datetime>, to the second (HTML
    allows at most three decimals, and a reader needs none)."""
    if not value:
        return ""
    return _local(value).replace(microsecond=0).isoformat()
