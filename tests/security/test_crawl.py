"""What every role meets when it walks the whole portal (tests/security/crawl.py): no
link, picture, fragment or button it is shown refuses it (403) or fails (500); no GET
changes the database; and every page is valid HTML by the W3C Nu HTML Checker.

The walk is done once per module; the HTML of every page read is checked in one run of
the checker (Java starts once)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction

from core.models import AuditEntry
from tests.conftest import ROLES
from tests.security.crawl import Crawl, Visit, crawl, page_type

# The walk needs the test database; the tests only read what it found.
pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def walked(matrix_world, django_db_blocker) -> Crawl:
    with django_db_blocker.unblock(), transaction.atomic():
        result = crawl(matrix_world)
        transaction.set_rollback(True)
    return result


def _where(visit: Visit) -> str:
    how = "POST" if visit.method == "post" else "GET"
    htmx = " (htmx)" if visit.htmx else ""
    on = f" on {visit.found_on}" if visit.found_on else ""
    return f"{visit.role}: {how}{htmx} {visit.path}{on} -> {visit.status}"


def test_no_link_or_button_refuses_the_person_it_is_shown_to(walked):
    """Never show a link the person cannot follow: every internal link, picture,
    fragment and form on a page the role may open answers that role without a 403, and
    nothing fails with a 500."""
    refused = [
        _where(v) for v in walked.visits if v.found_on and (v.status == 403 or v.status >= 500)
    ]
    assert not refused, f"{len(refused)} link(s) or form(s) refused:\n" + "\n".join(refused)


def test_the_walk_reaches_every_role_and_page_type(walked):
    """The walk itself works: every role reads pages, links are followed and buttons
    pressed."""
    assert {v.role for v in walked.pages()} == set(ROLES)
    assert len({page_type(v.path) for v in walked.pages()}) > 150
    assert any(v.found_on and v.method == "get" for v in walked.visits)
    assert any(v.found_on and v.method == "post" for v in walked.visits)


# Besides the session, the personal-data access log and the login cache (UNCOUNTED in
# discovery.py), what opening a page may write: a record that the person looked, never a
# change to what they looked at.
LOOKS = {
    "messaging:thread": ["messaging_threadread"],  # when they last read it: unread marks
    "messaging:post": ["messaging_postdelivery"],  # when a guardian read it: read receipts
    "competence:calendar_feed": ["competence_calendarfeed"],  # when the address was used
}
# The audit trail's entries that a page of the children's answers was looked at.
LOOKED_AT = "_viewed"


def changes(visit: Visit) -> dict[str, int]:
    """What a GET wrote beyond the records of the look itself."""
    writes = dict(visit.writes)
    for table in LOOKS.get(page_type(visit.path), []):
        writes.pop(table, None)
    audit = AuditEntry._meta.db_table
    if audit in writes and all(action.endswith(LOOKED_AT) for action in visit.audited):
        writes[audit] -= len(visit.audited)
    return {table: n for table, n in writes.items() if n}


def test_no_get_changes_the_database(walked):
    """Opening a page (any role, any page, link, picture or fragment) changes nothing:
    GET requests only read (notifications are marked read by a POST, the children's
    pictures and the default questions are given out by one)."""
    changed = [f"{_where(v)}: wrote {changes(v)}" for v in walked.gets() if changes(v)]
    assert not changed, f"{len(changed)} GET(s) changed the database:\n" + "\n".join(changed)


def _validate(files: list[Path]) -> list[dict]:
    """The checker's errors for all files, in one run (Java starts once)."""
    java = shutil.which("java")
    assert java, "A Java runtime is needed for the HTML checker (scripts/debian-packages test)"
    assert VNU.exists(), f"{VNU} is missing: install the npm packages (make install)"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        return json.loads(result.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"The HTML checker did not answer:\n{result.stderr[:2000]}")


def _document(visit: Visit) -> str:
    """A fragment (swapped in by htmx) is checked inside the smallest valid page."""
    if visit.html.lstrip()[:15].lower() == "<!doctype html>":
        return visit.html
    return (
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Brik</title>'
        f"</head><body><main>{visit.html}</main></body></html>"
    )


# A page the checker must find fault with: proof that it ran and read the files.
KNOWN_BAD = (
    '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Fejl</title></head>'
    '<body data-hx-headers="{}" hx-headers="{}"><main></main></body></html>'
)


def test_every_page_is_valid_html(walked, tmp_path):
    # One document per page type: the role that sees the most of it (the others see the
    # same templates with less in them). Checking each role's copy takes a minute more.
    pages: dict[tuple[str, bool], Visit] = {}
    for visit in walked.pages():
        kind = (page_type(visit.path), visit.htmx)
        if kind not in pages or len(visit.html) > len(pages[kind].html):
            pages[kind] = visit
    files: dict[str, Visit] = {}
    for n, visit in enumerate(pages.values()):
        (tmp_path / f"page{n}.html").write_text(_document(visit), encoding="utf-8")
        files[f"page{n}.html"] = visit
    (tmp_path / "known-bad.html").write_text(KNOWN_BAD, encoding="utf-8")
    messages = _validate([tmp_path / name for name in [*files, "known-bad.html"]])
    errors, caught = [], []
    for message in messages:
        name = Path(urlsplit(message.get("url", "")).path).name
        if name == "known-bad.html":
            caught.append(message)
            continue
        visit = files.get(name)
        where = f"{visit.role} {visit.path}" if visit else name
        errors.append(
            f"{where} line {message.get('lastLine')}: {message.get('message')} "
            f"[{message.get('extract', '').strip()[:120]}]"
        )
    assert [m["message"] for m in caught] == [
        "Attribute “hx-headers” not allowed on element “body” at this point."
    ]
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors)
