"""Money as whole øre (integers), never floats: reading Danish input, showing amounts,
the bounded form fields every app uses, and splitting an amount so the parts add up.

    parse_kroner("12.000")      -> 1_200_000 øre
    parse_kroner("3.499,50")    -> 349_950 øre
    format_kroner(1_200_000)    -> "12.000,00 kr." (in English "DKK 12,000.00")

Every amount a person enters is bounded (`MAX_ORE`, one billion kroner): more than any
daycare budget, and far inside what the database stores, so a mistyped figure gets a
Danish error instead of an overflow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

ORE_PER_KRONE = 100
MAX_KRONER = 1_000_000_000
MAX_ORE = MAX_KRONER * ORE_PER_KRONE
# Longer text is no amount; it also spares int() a million digits.
MAX_CHARS = 30
# Whole kroner with or without thousands separators (12000, 12.000, 12 000), then an
# optional decimal comma with one or two digits.
_AMOUNT = re.compile(r"^(?P<whole>\d{1,3}(?:[. ]\d{3})+|\d+)(?:,(?P<decimals>\d{1,2}))?$")
_CURRENCY = re.compile(r"\s*(?:kr\.?|dkk)\s*$", re.IGNORECASE)


# Reading -----------------------------------------------------------------------------


def parse_kroner(text: str) -> int:
    """Danish amount text → øre. Raises ValidationError for anything else (a decimal point
    is read as a thousands separator, so "12.5" is refused rather than guessed)."""
    cleaned = _CURRENCY.sub("", str(text).strip().replace("\u00a0", " ")).strip()
    if cleaned.startswith("-"):
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    match = _AMOUNT.match(cleaned) if len(cleaned) <= MAX_CHARS else None
    if not match:
        raise ValidationError(
            _('Write the amount in kroner, e.g. "12.000" or "12000,50".'), code="invalid"
        )
    whole = int(re.sub(r"[. ]", "", match.group("whole")))
    decimals = (match.group("decimals") or "").ljust(2, "0")
    return whole * ORE_PER_KRONE + int(decimals or 0)


def kroner_to_ore(kroner: Decimal | None) -> int | None:
    """Kroner (Decimal) → øre; None stays None."""
    if kroner is None:
        return None
    return int((kroner * ORE_PER_KRONE).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def kroner_decimal(ore: int | None) -> Decimal | None:
    """øre → kroner as a Decimal with two decimals (None stays None): what a form shows
    and what a spreadsheet cell holds."""
    if ore is None:
        return None
    return (Decimal(int(ore)) / ORE_PER_KRONE).quantize(Decimal("0.01"))


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


# Showing -----------------------------------------------------------------------------


def format_decimal(kroner: Decimal) -> str:
    """Kroner → "12.000,00" (Danish thousands dot and decimal comma)."""
    kroner = Decimal(kroner).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if kroner < 0 else ""
    whole, rest = divmod(abs(int(kroner * ORE_PER_KRONE)), ORE_PER_KRONE)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d}"


def format_number(ore: int | None) -> str:
    """øre → "12.000,00" ("" for None): what an amount field shows and reads back."""
    if ore is None:
        return ""
    return format_decimal(kroner_decimal(ore))


def format_kroner(ore: int | None) -> str:
    """øre → "12.000,00 kr." in Danish, "DKK 12,000.00" in English ("" for None)."""
    if ore is None:
        return ""
    if (get_language() or "da").startswith("en"):
        return f"DKK {kroner_decimal(ore):,.2f}"
    return f"{format_number(ore)}\u00a0kr."


def _too_much() -> ValidationError:
    return ValidationError(
        _("The amount can be at most %(most)s.") % {"most": format_kroner(MAX_ORE)},
        code="max_value",
    )


# Form fields -------------------------------------------------------------------------


class AmountInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class AmountField(forms.CharField):
    """An amount in kroner written the Danish way ("12.000", "12000,50"); cleans to øre,
    between `min_ore` and `max_ore`."""

    widget = AmountInput

    def __init__(self, *args, min_ore: int = 1, max_ore: int = MAX_ORE, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy('In kroner, e.g. "12.000" or "12000,50".'))
        super().__init__(*args, **kwargs)
        self.min_ore = min_ore
        self.max_ore = max_ore
        # The length is checked on the text (to_python); the cleaned value is øre.
        self.widget.attrs["maxlength"] = str(MAX_CHARS)

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_number(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        ore = parse_kroner(value)
        if ore < self.min_ore:
            if self.min_ore <= 0:
                raise ValidationError(_("The amount cannot be negative."))
            raise ValidationError(_("The amount must be more than 0 kr."))
        if ore > self.max_ore:
            raise _too_much()
        return ore


class KronerField(forms.DecimalField):
    """An amount in kroner from a number input ("12500.50"); cleans to a Decimal of at most
    two decimals, from 0 up to `MAX_KRONER`. Use `kroner_to_ore` on the result."""

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault(
            "widget", forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)  # refuses "NaN" and "Infinity" first
        if value is not None and value > MAX_KRONER:
            raise _too_much()


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
