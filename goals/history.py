"""A goal's history, read from the audit trail: who, when, and what changed, in words.

Services store raw values (status codes, ISO dates, names); this module turns one audit
entry into a sentence and rows of (what, before, after) in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import AuditEntry

from .models import ActionPlan, ActionStep, Evidence, LocalGoal

ACTIONS = {
    "goals.goal.created": gettext_lazy("Goal created"),
    "goals.goal.updated": gettext_lazy("Goal changed"),
    "goals.action_plan.created": gettext_lazy("Action plan created"),
    "goals.action_plan.updated": gettext_lazy("Action plan changed"),
    "goals.step.created": gettext_lazy("Step added"),
    "goals.step.updated": gettext_lazy("Step changed"),
    "goals.step.status_changed": gettext_lazy("Step status changed"),
    "goals.step.moved": gettext_lazy("Step moved in the order"),
    "goals.evidence.added": gettext_lazy("Evidence added"),
    "goals.evidence.deleted": gettext_lazy("Evidence removed"),
}

MODELS = {
    "goals.localgoal": LocalGoal,
    "goals.actionplan": ActionPlan,
    "goals.actionstep": ActionStep,
    "goals.evidence": Evidence,
}
EXTRA_LABELS = {
    "themes": gettext_lazy("Curriculum themes"),
    "municipal_goals": gettext_lazy("Municipal goals"),
}
# Bookkeeping keys that say nothing to a reader.
HIDDEN = {"goal", "step", "decision", "position"}


@dataclass
class Described:
    action: str
    subject: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)


def _label(model, name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a key that is not a field
        return name


def _value(model, name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "–"
    if name == "status":
        try:
            return str(model.Status(value).label)
        except ValueError:
            return str(value)
    if name == "kind" and model is Evidence:
        return str(Evidence.Kind(value).label)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            pass
    return str(value)


def describe(entry: AuditEntry) -> Described:
    model = MODELS.get(entry.object_type, LocalGoal)
    action = str(ACTIONS.get(entry.action, entry.action))
    rows = []
    for name, change in (entry.changes or {}).items():
        if name in HIDDEN:
            continue
        if isinstance(change, list) and len(change) == 2:
            before, after = change
        else:
            before, after = None, change
        if before is None and after is None:
            continue
        rows.append((_label(model, name), _value(model, name, before), _value(model, name, after)))
    return Described(action=action, subject=entry.summary, rows=rows)
