"""The floors run one way: the ground floor imports no app of the project, a lower floor
imports no higher one, the areas do not import each other (grants → goals is the one
exception), and no service imports the tasks that call it back (it asks for them by name
through core.queue)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROJECT_APPS = sorted(
    p.parent.name
    for p in ROOT.glob("*/apps.py")
    if p.parent.name not in {"core", "node_modules", "tests", "bench"}
)


def imported_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = path.relative_to(ROOT).parent.parts
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
                found += [f"{base}.{alias.name}" for alias in node.names]
            found.append(base)
    return found


def python_files(folder: Path):
    return [p for p in folder.rglob("*.py") if "migrations" not in p.parts]


def test_the_project_apps_are_found():
    assert {"institutions", "messaging", "portal", "grants"} <= set(PROJECT_APPS)


def test_core_imports_no_app_of_the_project():
    arrows = [
        (str(path.relative_to(ROOT)), module)
        for path in python_files(ROOT / "core")
        for module in imported_modules(path)
        if module.split(".")[0] in PROJECT_APPS
    ]
    assert arrows == []


FLOOR = {
    "core": 0,
    "outbox": 1,
    "institutions": 2,
    "privacy": 2,
    "accounts": 2,
    "goals": 3,
    "competence": 3,
    "devices": 3,
    "grants": 3,
    "messaging": 3,
    "admissions": 3,
    "wellbeing": 3,
    "portal": 4,
}
AREA = 3
# The areas meet through ids and the registries in core. Grants name the local goal an
# application serves; devices and grants still share foreign keys (loans of devices
# bought with a grant) and are to be untangled.
AREA_ARROWS_ALLOWED = {("grants", "goals"), ("devices", "grants"), ("grants", "devices")}


def app_arrows() -> dict[tuple[str, str], set[str]]:
    arrows: dict[tuple[str, str], set[str]] = {}
    for app in FLOOR:
        for path in python_files(ROOT / app):
            for module in imported_modules(path):
                target = module.split(".")[0]
                if target in FLOOR and target != app:
                    arrows.setdefault((app, target), set()).add(str(path.relative_to(ROOT)))
    return arrows


def test_every_project_app_has_a_floor():
    assert set(PROJECT_APPS) | {"core"} == set(FLOOR)


def test_no_app_imports_one_on_a_higher_floor():
    upward = {
        arrow: sorted(files)
        for arrow, files in app_arrows().items()
        if FLOOR[arrow[0]] < FLOOR[arrow[1]]
    }
    assert upward == {}


def test_areas_do_not_import_each_other():
    sideways = {
        arrow: sorted(files)
        for arrow, files in app_arrows().items()
        if FLOOR[arrow[0]] == FLOOR[arrow[1]] == AREA and arrow not in AREA_ARROWS_ALLOWED
    }
    assert sideways == {}


def test_no_service_imports_a_tasks_module():
    arrows = [
        (str(path.relative_to(ROOT)), module)
        for app in PROJECT_APPS
        for path in python_files(ROOT / app)
        if "services" in path.parts or path.stem == "services" or path.stem == "notify"
        for module in imported_modules(path)
        if module.split(".")[-1] == "tasks" or ".tasks." in module
    ]
    assert arrows == []
