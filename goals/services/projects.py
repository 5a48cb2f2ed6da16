"""Concrete projects: the municipality's, or one daycare's, across institutions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from institutions.models import Institution, Municipality

from ..models import CurriculumTheme, Project, StrategyItem

PROJECT_FIELDS = (
    "title",
    "description",
    "strategy_item",
    "partner",
    "budget_ore",
    "status",
    "starts_on",
    "ends_on",
    "evaluation",
)


def _pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {name: data[name] for name in fields if name in data}


def _check(municipality_id: int, values: dict, institutions: list[Institution] | None) -> None:
    if "title" in values and not values["title"].strip():
        raise ValidationError(_("Give the project a title."))
    if values.get("status", Project.Status.PLANNED) not in Project.Status.values:
        raise ValidationError(_("Choose a status."))
    if values.get("budget_ore") is not None and values["budget_ore"] < 0:
        raise ValidationError(_("A budget cannot be negative."))
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        raise ValidationError(_("The project cannot end before it starts."))
    item = values.get("strategy_item")
    if item is not None and (
        item.kind != StrategyItem.Kind.ACTION
        or item.focus_area.period.municipality_id != municipality_id
    ):
        raise ValidationError(_("Choose one of the municipality's concrete actions."))
    if institutions is not None and any(i.municipality_id != municipality_id for i in institutions):
        raise ValidationError(_("Only the municipality's own institutions can take part."))


def _names(objects: Iterable) -> list[str]:
    return sorted(str(o) for o in objects)


@transaction.atomic
def project_create(
    *,
    actor: User,
    municipality: Municipality,
    title: str,
    owner_institution: Institution | None = None,
    institutions: Iterable[Institution] = (),
    themes: Iterable[CurriculumTheme] = (),
    description: str = "",
    strategy_item: StrategyItem | None = None,
    partner: str = "",
    budget_ore: int | None = None,
    status: str = Project.Status.PLANNED,
    starts_on: date | None = None,
    ends_on: date | None = None,
    evaluation: str = "",
) -> Project:
    """Create a project. A daycare's own project always counts the daycare among the
    participants."""
    institutions = list(institutions)
    if owner_institution is not None:
        if owner_institution.municipality_id != municipality.pk:
            raise ValidationError(_("Only the municipality's own institutions can take part."))
        if owner_institution not in institutions:
            institutions.append(owner_institution)
    values = {
        "title": title.strip(),
        "description": description,
        "strategy_item": strategy_item,
        "partner": partner.strip(),
        "budget_ore": budget_ore,
        "status": status,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "evaluation": evaluation,
    }
    _check(municipality.pk, values, institutions)
    project = Project.objects.create(
        municipality=municipality, owner_institution=owner_institution, created_by=actor, **values
    )
    project.institutions.set(institutions)
    project.themes.set(list(themes))
    audit(
        actor=actor,
        action="goals.project.created",
        obj=project,
        municipality=municipality,
        institution=owner_institution,
        summary=project.title,
        changes={"institutions": _names(institutions)},
    )
    return project


@transaction.atomic
def project_update(*, actor: User, project: Project, **data) -> Project:
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("owner_institution", "municipality")
        .get(pk=project.pk)
    )
    values = _pick(data, PROJECT_FIELDS)
    if "title" in values:
        values["title"] = values["title"].strip()
    institutions = list(data["institutions"]) if "institutions" in data else None
    owner = project.owner_institution
    if institutions is not None and owner is not None and owner not in institutions:
        institutions.append(owner)
    merged = {**{f: getattr(project, f) for f in ("starts_on", "ends_on")}, **values}
    _check(project.municipality_id, merged, institutions)
    changes = diff(project, values)
    if "strategy_item" in changes:
        changes["strategy_item"] = [
            str(project.strategy_item) if project.strategy_item else None,
            str(values["strategy_item"]) if values["strategy_item"] else None,
        ]
    if institutions is not None:
        before = _names(project.institutions.all())
        if before != _names(institutions):
            changes["institutions"] = [before, _names(institutions)]
        project.institutions.set(institutions)
    if "themes" in data:
        themes = list(data["themes"])
        before = _names(project.themes.all())
        if before != _names(themes):
            changes["themes"] = [before, _names(themes)]
        project.themes.set(themes)
    for field, value in values.items():
        setattr(project, field, value)
    project.save()
    if changes:
        audit(
            actor=actor,
            action="goals.project.updated",
            obj=project,
            municipality=project.municipality,
            institution=project.owner_institution,
            summary=project.title,
            changes=changes,
        )
    return project
