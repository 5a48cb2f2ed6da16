"""Django's `{# … #}` comment ends at the end of its line: one spread over lines is printed
to the reader as text. Comments over several lines are written `{% comment %}`."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.dashboard.helpers import admin_of
from tests.factories import MunicipalityFactory

BASE_DIR = Path(__file__).resolve().parents[2]
NOT_SOURCE = {".venv", "node_modules", "var", ".git", "staticfiles"}
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".svg"}


def template_files() -> list[Path]:
    folders = [BASE_DIR / "templates"] + [
        path
        for path in BASE_DIR.glob("*/templates")
        if path.parent.name not in NOT_SOURCE and path.parent.name != "tests"
    ]
    folders.append(BASE_DIR / "tests" / "templates")
    return sorted(
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in TEMPLATE_SUFFIXES
    )


def unclosed_comments(text: str) -> list[int]:
    """Line numbers where `{#` opens a comment the same line does not close."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        rest = line
        while "{#" in rest:
            rest = rest[rest.index("{#") + 2 :]
            if "#}" not in rest:
                found.append(number)
                break
            rest = rest[rest.index("#}") + 2 :]
    return found


def test_the_scan_finds_a_comment_spread_over_lines():
    assert unclosed_comments("{# one line #}\n<p>{# two\n lines #}</p>") == [2]
    assert unclosed_comments("{# a #} text {# b #}") == []


def test_no_template_has_a_comment_spread_over_lines():
    files = template_files()
    assert len(files) > 100
    wrong = [
        f"{path.relative_to(BASE_DIR)}:{line}"
        for path in files
        for line in unclosed_comments(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, "Use {% comment %} for comments over several lines:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_the_municipal_dashboard_shows_no_template_comment(client):
    koege = MunicipalityFactory(name="Køge Kommune")
    client.force_login(admin_of(koege))
    html = client.get(reverse("indicators:municipality", args=[koege.pk])).content.decode()
    assert "{#" not in html and "#}" not in html
    assert "400 daycares" not in html
