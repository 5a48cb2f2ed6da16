"""Money as whole øre (integers), never floats: parsing Danish input, Danish display, and
splitting an amount so the parts add up to it exactly.

    parse_kroner("12.000")      -> 1_200_000 øre
    parse_kroner("12000,50")    -> 1_200_050 øre
    format_kroner(1_200_000)    -> "12.000,00 kr."
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ORE_PER_KRONE = 100
# Whole kroner with or without thousands separators (12000, 12.000, 12 000), then an
# optional decimal comma with one or two digits.
_AMOUNT = re.compile(r"^(?P<whole>\d{1,3}(?:[. ]\d{3})+|\d+)(?:,(?P<decimals>\d{1,2}))?$")
_CURRENCY = re.compile(r"\s*(?:kr\.?|dkk)\s*$", re.IGNORECASE)


def parse_kroner(text: str) -> int:
    """Danish amount text → øre. Raises ValidationError for anything else (a decimal point
    is read as a thousands separator, so "12.5" is refused rather than guessed)."""
    cleaned = _CURRENCY.sub("", str(text).strip().replace("\u00a0", " ")).strip()
    if cleaned.startswith("-"):
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise ValidationError(
            _('Write the amount in kroner, e.g. "12.000" or "12000,50".'), code="invalid"
        )
    whole = int(re.sub(r"[. ]", "", match.group("whole")))
    decimals = (match.group("decimals") or "").ljust(2, "0")
    return whole * ORE_PER_KRONE + int(decimals or 0)


def kroner_decimal(ore: int) -> Decimal:
    return (Decimal(int(ore)) / ORE_PER_KRONE).quantize(Decimal("0.01"))


def format_number(ore: int | None) -> str:
    """øre → "12.000,00" (Danish thousands dot and decimal comma)."""
    if ore is None:
        return ""
    ore = int(ore)
    sign = "-" if ore < 0 else ""
    whole, rest = divmod(abs(ore), ORE_PER_KRONE)
    grouped = f"{whole:,}".replace(",", ".")
    return f"{sign}{grouped},{rest:02d}"


def format_kroner(ore: int | None) -> str:
    """øre → "12.000,00 kr." ("" for None)."""
    if ore is None:
        return ""
    return f"{format_number(ore)}\u00a0kr."


def to_ore(value) -> int:
    """An amount given as øre (int) or kroner (Decimal or str in Danish) → øre."""
    if isinstance(value, bool):
        raise TypeError("not an amount")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        try:
            ore = value * ORE_PER_KRONE
        except InvalidOperation as exc:  # pragma: no cover - Decimal arithmetic on finite values
            raise ValidationError(_("Not an amount.")) from exc
        if ore != ore.to_integral_value():
            raise ValidationError(_("An amount has at most two decimals."))
        return int(ore)
    return parse_kroner(value)


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split the whole number `total` in proportion to the non-negative integer `weights`
    so the parts add up to `total` exactly (Hamilton's largest-remainder method).

    Each part gets the floor of its exact quota; the units left over go, one each, to the
    largest remainders. Ties go to the larger weight, then to the earlier position, so the
    result is deterministic and a larger weight never gets a smaller part.
    Integer arithmetic only: quotas are compared as fractions over the same denominator.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    whole = sum(weights)
    if not weights:
        return []
    if whole == 0:
        if total == 0:
            return [0] * len(weights)
        raise ValueError("cannot split a positive total by weights that are all zero")
    floors = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], -weights[i], i))
    for index in order[:left]:
        floors[index] += 1
    return floors
