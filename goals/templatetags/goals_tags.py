"""Template helpers of the goals app."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def kroner(ore: int | None) -> str:
    """An amount in øre as kroner, grouped the local way: 160.000 kr. (or 12,50 kr.)."""
    if ore is None:
        return "–"
    amount = Decimal(ore) / 100
    places = 0 if ore % 100 == 0 else 2
    return _("%(amount)s kr.") % {
        "amount": number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    }
