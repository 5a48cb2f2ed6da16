from __future__ import annotations

from django import template
from django.utils import formats

from core.money import format_kroner

register = template.Library()


@register.filter
def kroner(ore):
    """Øre as kroner: {{ plan.budget_ore|kroner }} -> 12.500,00 kr. ("–" for none)."""
    return format_kroner(ore) or "–"


@register.filter
def hours(value):
    if value is None:
        return "–"
    return formats.number_format(value, decimal_pos=1, force_grouping=True)
