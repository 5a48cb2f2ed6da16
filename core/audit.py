"""One call for services to record a change in the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def audit(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    municipality=None,
    institution=None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record `action` (e.g. "membership.created") by `actor` on `obj`."""
    if institution is not None and municipality is None:
        municipality_id = institution.municipality_id
    else:
        municipality_id = getattr(municipality, "pk", None)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        municipality_id=municipality_id,
        institution=institution,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        changes=changes or {},
    )


def diff(instance: models.Model, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields in `data` whose values differ from `instance`, as {field: [old, new]}."""
    changed: dict[str, list[Any]] = {}
    for name, new in data.items():
        old = getattr(instance, name)
        if old != new:
            changed[name] = [_plain(old), _plain(new)]
    return changed


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
