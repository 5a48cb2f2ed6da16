"""Utility classes in the templates are ones the design system (DKFDS 11) or our own style
sheets define: a class that exists nowhere silently does nothing, as `text-align-right`
left every money column aligned left."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
NOT_OURS = {"node_modules", ".venv", "var", "staticfiles"}
UTILITY = re.compile(
    r"^(align-|text-|d-|font-|bg-|border-|w-|h-|flex-|justify-|float-|"
    r"[mp][trblxy]?-\d)"
)


def _stylesheets() -> str:
    sheets = [BASE / "node_modules/dkfds/dist/css/dkfds.min.css"]
    sheets += [p for p in BASE.glob("**/static/**/*.css") if not NOT_OURS & set(p.parts)]
    return "\n".join(p.read_text(encoding="utf-8") for p in sheets)


def _template_classes() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for template in BASE.glob("**/templates/**/*.html"):
        parts = set(template.relative_to(BASE).parts)
        # The technical admin's pages are styled by Django's admin, not the design system.
        if NOT_OURS & parts or "admin" in parts:
            continue
        text = template.read_text(encoding="utf-8")
        for value in re.findall(r'class="([^"]*)"', text):
            value = re.sub(r"\{[{%].*?[%}]\}", " ", value)  # template tags inside
            for name in value.split():
                if UTILITY.match(name):
                    used.setdefault(name, set()).add(str(template.relative_to(BASE)))
    return used


def test_every_utility_class_in_the_templates_is_defined_somewhere():
    css = _stylesheets()
    missing = {
        name: sorted(where)
        for name, where in _template_classes().items()
        if not re.search(rf"\.{re.escape(name)}(?![\w-])", css)
    }
    assert not missing, missing


def test_money_columns_use_the_design_systems_right_alignment():
    assert "align-text-right" in _template_classes()
    assert "text-align-right" not in _template_classes()
