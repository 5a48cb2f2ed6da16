"""Money in templates: `{% load grants %}{{ amount_ore|kr }}` → "12.000,00 kr."."""

from __future__ import annotations

from django import template

from grants.money import format_kroner, format_number

register = template.Library()


@register.filter
def kr(ore) -> str:
    """Whole øre as Danish kroner with the currency: "12.000,00 kr."."""
    if ore is None or ore == "":
        return "–"
    return format_kroner(int(ore))


@register.filter
def kr_number(ore) -> str:
    """Whole øre as a Danish number without the currency: "12.000,00"."""
    if ore is None or ore == "":
        return ""
    return format_number(int(ore))


@register.filter
def minus(value, other) -> int:
    return int(value or 0) - int(other or 0)
