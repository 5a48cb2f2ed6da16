"""Money in whole øre: entered and shown in kroner, never as a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _


def kroner_to_ore(kroner: Decimal) -> int:
    return int((kroner * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ore_to_kroner(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(Decimal("0.01"))


def format_kroner(ore: int | None) -> str:
    """12.500,00 kr. in Danish, DKK 12,500.00 in English."""
    if ore is None:
        return "–"
    amount = formats.number_format(ore_to_kroner(ore), decimal_pos=2, force_grouping=True)
    return _("DKK %(amount)s") % {"amount": amount}
