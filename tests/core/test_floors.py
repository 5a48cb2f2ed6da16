"""The floors run one way: the ground floor imports no app of the project, and no service
imports the tasks that call it back (it asks for them by name through core.queue)."""

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
