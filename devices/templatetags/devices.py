"""History rows in words: `{% load devices %}{{ change|change_rows }}` → (what, from, to)."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format

from core.money import format_kroner

from ..models import Device, DeviceKind, Funding, WifiSite

register = template.Library()

_CHOICES = {
    "kind": DeviceKind,
    "status": Device.Status,
    "funding": Funding,
    "coverage": WifiSite.Coverage,
}


def _value(model, name: str, value) -> str:
    if value in (None, ""):
        return ""
    if name in _CHOICES:
        try:
            return str(_CHOICES[name](value).label)
        except ValueError:
            return str(value)
    if name.endswith("_ore"):
        return format_kroner(int(value))
    if name in ("purchased_on", "established_on"):
        try:
            return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    return str(value)


def _rows(model, changes: dict) -> list[tuple[str, str, str]]:
    rows = []
    for name, (old, new) in changes.items():
        try:
            # The grant is kept by name under "grant"; its field is the id.
            field = model._meta.get_field("grant_id" if name == "grant" else name)
            label = str(field.verbose_name).capitalize()
        except Exception:
            label = name
        rows.append((label, _value(model, name, old), _value(model, name, new)))
    return rows


@register.filter
def change_rows(change) -> list[tuple[str, str, str]]:
    return _rows(Device, change.changes)


@register.filter
def wifi_rows(change) -> list[tuple[str, str, str]]:
    return _rows(WifiSite, change.changes)
