"""Generated bad input for the two places that take more than a form field: formatted
text (posts) and imported files.

- Rich text: whatever staff type, script, event handlers and `javascript:` links never
  reach a page.
- Imports: a file with bad rows among good ones is refused whole, naming each bad row.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from institutions.imports import import_file
from institutions.models import Institution
from messaging.sanitize import clean_html, plain_text
from tests.factories import MunicipalityFactory, UserFactory
from tests.institutions.helpers import csv_upload

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href="jav&#x09;ascript:alert(1)">klik</a>',
    '<a href=" javascript:alert(1)">klik</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klik</a>',
    '<p onclick="alert(1)" style="x">tekst</p>',
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=//evil.example></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="https://ok.example" onmouseover="alert(1)">ok</a>',
    "<<script>script>alert(1)<</script>/script>",
    "<!--<script>alert(1)//--><b>fed</b>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
RICH = st.lists(st.one_of(st.sampled_from(ATTACKS), TEXT), min_size=1, max_size=8).map("".join)
DANGER = re.compile(
    r"<\s*(script|iframe|svg|math|style|form|object|embed)\b|\son[a-z]+\s*=|javascript:|data:",
    re.IGNORECASE,
)


@settings(max_examples=300, deadline=None)
@given(text=RICH)
def test_formatted_text_never_keeps_script_handlers_or_javascript_links(text):
    cleaned = clean_html(text)

    assert not DANGER.search(cleaned), cleaned
    # Cleaning twice changes nothing: what is stored is already safe to show as it is.
    assert clean_html(cleaned) == cleaned or not DANGER.search(clean_html(cleaned))
    assert not DANGER.search(plain_text(cleaned).replace("<", "&lt;"))


# What a spreadsheet cell can hold (a line break would start a new row).
CELL = st.text(alphabet="abcæøåABC 0123456789<>\"'&;:/-_.", max_size=12)
HEADER = ["navn", "type", "ejerform", "adresse", "postnummer", "by", "distrikt"]
GOOD_ROW = st.builds(
    lambda n: [f"Børnehuset {n}", "børnehave", "kommunal", "", "4600", "Køge", ""],
    st.integers(1, 10_000),
)
BAD_ROW = st.one_of(
    st.builds(lambda t: ["", "børnehave", "kommunal", "", "4600", "Køge", t], CELL),  # no name
    st.builds(lambda t: ["Solsikken", t + "x", "kommunal", "", "4600", "Køge", ""], CELL),
    st.builds(
        lambda p: ["Solsikken", "vuggestue", "kommunal", "", p, "Køge", ""],
        st.sampled_from(["46OO", "-1", "99999", "<script>", "46 00"]),
    ),
    # Too long a name. Cells are trimmed, so a cell of only spaces would leave a good "x".
    st.builds(
        lambda t: [t * 200 + "x", "vuggestue", "kommunal", "", "4600", "Køge", ""],
        CELL.filter(str.strip),
    ),
)
FILES = st.lists(st.tuples(st.booleans(), GOOD_ROW, BAD_ROW), min_size=1, max_size=8).filter(
    lambda rows: any(not good for good, _g, _b in rows)
)


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=FILES)
def test_an_import_with_bad_rows_is_refused_whole_naming_each_bad_row(rows):
    with transaction.atomic():
        municipality = MunicipalityFactory(name="Køge Kommune", code="259")
        lines = [good_row if good else bad_row for good, good_row, bad_row in rows]
        bad_lines = {i + 2 for i, (good, _g, _b) in enumerate(rows) if not good}

        result = import_file(
            actor=UserFactory(),
            municipality=municipality,
            kind="institutions",
            upload=csv_upload([HEADER, *lines]),
        )

        assert not result.ok
        assert (result.created, result.updated) == (0, 0)
        assert not Institution.objects.filter(municipality=municipality).exists()
        named = {e.row for e in result.errors}
        # Every bad line is named (duplicates of good names may add more lines).
        assert bad_lines <= named, (bad_lines, [(e.row, e.message) for e in result.errors])
        transaction.set_rollback(True)


# The onboarding workbook: any mix of spoilt cells is refused whole, each cell named.

# (sheet, column letter, column index, bad value, the start of the Danish message)
SPOILT_CELLS = st.sampled_from(
    [
        ("Dagtilbud", "B", 1, "", "Cellen er tom"),
        ("Dagtilbud", "C", 2, "legestue", "“legestue” kendes ikke"),
        ("Dagtilbud", "F", 5, "46OO", "Et dansk postnummer"),
        ("Grupper", "D", 3, "klasse", "“klasse” kendes ikke"),
        ("Medarbejdere", "C", 2, "lise.holm@", "“lise.holm@” er ikke en gyldig e-mailadresse."),
        ("Medarbejdere", "D", 3, "kok", "“kok” kendes ikke"),
        ("Børn", "B", 1, "x" * 101, "Højst 100 tegn"),
        ("Børn", "D", 3, "2022-05-17", "“2022-05-17” er tekst og ikke en dato."),
        ("Børn", "D", 3, "", "Cellen er tom"),
        ("Forældre", "C", 2, "<script>@x", "“<script>@x” er ikke en gyldig e-mailadresse."),
    ]
)


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spoilt=st.lists(st.tuples(SPOILT_CELLS, st.integers(0, 2)), min_size=1, max_size=4))
def test_a_workbook_with_spoilt_cells_is_refused_whole_naming_each_cell(spoilt):
    from institutions.models import WorkbookImport
    from institutions.onboarding.check import Refused
    from institutions.onboarding.services import workbook_check
    from tests.institutions.workbooks import rows, upload

    with transaction.atomic():
        municipality = MunicipalityFactory(name="Køge Kommune", code="259")
        sheets = rows()
        expected = {}
        for (sheet, letter, index, value, message), row in spoilt:
            row = min(row, len(sheets[sheet]) - 1)
            sheets[sheet][row][index] = value
            expected[(sheet, row + 2, letter)] = message

        with pytest.raises(Refused) as refused:
            workbook_check(
                actor=UserFactory(), municipality=municipality, upload=upload(municipality, sheets)
            )

        named = {(p.sheet, p.row, p.column): p.message for p in refused.value.problems}
        for place, message in expected.items():
            assert place in named, (place, named)
            assert named[place].startswith(message), (place, named[place])
        assert not WorkbookImport.objects.exists()
        assert not Institution.objects.filter(municipality=municipality).exists()
        transaction.set_rollback(True)
