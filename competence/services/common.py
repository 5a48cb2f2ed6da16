"""Small helpers shared by the competence services."""

from __future__ import annotations

from collections.abc import Iterable


def _pick(data: dict, fields: Iterable[str]) -> dict:
    return {name: data[name] for name in fields if name in data}
