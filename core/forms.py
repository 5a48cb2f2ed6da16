"""Form fields every app uses."""

from __future__ import annotations

from django import forms

# More children, units, days or places than any daycare or municipality has; bounded so
# an overlong figure gets an error in Danish rather than overflowing the database.
MAX_COUNT = 100_000


class CountField(forms.IntegerField):
    """A whole number a person types (children, units, days, a position): from 0 up to
    `MAX_COUNT` unless told otherwise."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_COUNT)
        super().__init__(**kwargs)


class YearField(CountField):
    """A calendar year the portal plans or reports in."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)
