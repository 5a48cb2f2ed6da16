"""The project's own style sheets are well formed. A block left open (a lost closing
brace after a merge) makes a browser read every later rule as nested inside it, so
styles far below silently stop applying."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
NOT_OURS = {"vendor", "node_modules", ".venv", "var", "staticfiles"}
SHEETS = sorted(
    p for p in BASE.glob("**/static/**/*.css") if not NOT_OURS & set(p.relative_to(BASE).parts)
)


def _blocks(css: str) -> list[str]:
    """Every selector that opens a block inside another block, where only at-rules
    (@media, @supports, ...) may hold blocks."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r'"(?:\\.|[^"\\])*"' + r"|'(?:\\.|[^'\\])*'", '""', css)
    stack: list[str] = []
    nested = []
    start = 0
    for match in re.finditer(r"[{}]", css):
        if match.group() == "{":
            selector = css[start : match.start()].split(";")[-1].strip()
            if stack and not stack[-1].startswith("@"):
                nested.append(f"{selector!r} inside {stack[-1]!r}")
            stack.append(selector)
        else:
            assert stack, "a closing brace without an opening one"
            stack.pop()
        start = match.end()
    assert not stack, f"blocks never closed: {stack}"
    return nested


def test_there_are_style_sheets_to_check():
    assert any(p.name == "portal.css" for p in SHEETS)


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: str(p.relative_to(BASE)))
def test_every_block_is_closed_and_none_is_nested(sheet):
    assert _blocks(sheet.read_text(encoding="utf-8")) == []
