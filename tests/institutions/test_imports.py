"""Importing institutions, groups and children counts from CSV or XLSX: the whole file is
checked first, every bad row is named by its line number, and a file with any bad row
stores nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from core.models import AuditEntry
from institutions.forms import ImportForm
from institutions.imports import import_file, template_csv
from institutions.models import ChildrenCount, Group, Institution
from tests.factories import (
    ChildrenCountFactory,
    GroupFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)
from tests.institutions.helpers import csv_upload, snapshot, xlsx_upload

pytestmark = pytest.mark.django_db

INSTITUTION_HEADER = ["navn", "type", "ejerform", "adresse", "postnummer", "by", "distrikt"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def admin(koege):
    return UserFactory(name="Anne Admin")


def run(admin, municipality, kind, upload):
    return import_file(actor=admin, municipality=municipality, kind=kind, upload=upload)


def errors(result) -> list[tuple[int, str]]:
    return [(e.row, e.message) for e in result.errors]


def refused_whole(admin, municipality, kind, upload) -> list[tuple[int, str]]:
    """Import a bad file; assert it stored nothing at all, and return its errors."""
    before = snapshot()
    result = run(admin, municipality, kind, upload)
    assert not result.ok
    assert (result.created, result.updated) == (0, 0)
    assert snapshot() == before
    return errors(result)


# A good file --------------------------------------------------------------------------


def test_semicolon_csv_with_danish_headers_creates_institutions(admin, koege):
    upload = csv_upload(
        [
            INSTITUTION_HEADER,
            ["Solsikken", "Vuggestue", "Selvejende", "Solsikkevej 1", "4600", "Køge", "Nord"],
            ["Mælkebøtten", "integreret institution", "kommunal", "", "", "", ""],
            ["Havblik", "SFO", "", "", "", "", ""],
        ]
    )

    result = run(admin, koege, "institutions", upload)

    assert result.ok, errors(result)
    assert (result.created, result.updated) == (3, 0)
    stored = {
        i.name: (i.kind, i.ownership, i.address, i.district) for i in koege.institutions.all()
    }
    assert stored == {
        "Solsikken": ("nursery", "self_governing", "Solsikkevej 1, 4600 Køge", "Nord"),
        "Mælkebøtten": ("integrated", "municipal", "", ""),
        "Havblik": ("after_school", "municipal", "", ""),
    }
    assert AuditEntry.objects.filter(action="institution.created", actor=admin).count() == 3


def test_comma_csv_with_english_headers_creates_institutions(admin, koege):
    upload = csv_upload(
        [
            ["Name", "Kind", "Ownership", "Address", "Postcode", "City"],
            ["Sunflower", "kindergarten", "private", "Main Street 1, 2nd floor", "4600", "Køge"],
        ],
        delimiter=",",
    )

    result = run(admin, koege, "institutions", upload)

    assert result.ok, errors(result)
    sunflower = koege.institutions.get()
    assert (sunflower.name, sunflower.kind, sunflower.ownership) == (
        "Sunflower",
        "kindergarten",
        "private",
    )
    assert sunflower.street == "Main Street 1, 2nd floor"


def test_csv_saved_by_excel_in_windows_encoding_keeps_the_danish_letters(admin, koege):
    upload = csv_upload([["navn", "type"], ["Ærø Børnehus", "børnehave"]], encoding="cp1252")

    result = run(admin, koege, "institutions", upload)

    assert result.ok, errors(result)
    assert koege.institutions.get().name == "Ærø Børnehus"


def test_importing_the_same_file_again_updates_instead_of_duplicating(admin, koege):
    rows = [INSTITUTION_HEADER, ["Solsikken", "vuggestue", "kommunal", "", "4600", "Køge", ""]]
    run(admin, koege, "institutions", csv_upload(rows))
    rows[1][5] = "Herfølge"
    rows[1][0] = "SOLSIKKEN"

    result = run(admin, koege, "institutions", csv_upload(rows))

    assert (result.created, result.updated) == (0, 1)
    (institution,) = koege.institutions.all()
    assert institution.city == "Herfølge"


def test_reimport_without_an_ownership_keeps_the_institutions_ownership(admin, koege):
    InstitutionFactory(
        municipality=koege,
        name="Solsikken",
        ownership=Institution.Ownership.SELF_GOVERNING,
        street="Solsikkevej 1",
    )

    result = run(
        admin, koege, "institutions", csv_upload([["navn", "type"], ["Solsikken", "vuggestue"]])
    )

    assert result.ok, errors(result)
    institution = koege.institutions.get()
    # Blank or absent columns leave what is stored alone.
    assert institution.ownership == "self_governing"
    assert institution.street == "Solsikkevej 1"
    assert institution.kind == "nursery"


def test_xlsx_creates_institutions(admin, koege):
    upload = xlsx_upload(
        [
            ["Navn", "Type", "Ejerform", "Postnummer"],
            ["Solsikken", "vuggestue", "kommunal", 4600],
            [None, None, None, None],
            ["Troldehøjen", "børnehave", "privat", "4600"],
        ]
    )

    result = run(admin, koege, "institutions", upload)

    assert result.ok, errors(result)
    assert {(i.name, i.kind, i.postcode) for i in koege.institutions.all()} == {
        ("Solsikken", "nursery", "4600"),
        ("Troldehøjen", "kindergarten", "4600"),
    }


def test_xlsx_children_counts_with_real_dates_and_numbers(admin, koege):
    InstitutionFactory(municipality=koege, name="Solsikken")
    InstitutionFactory(municipality=koege, name="Troldehøjen")
    upload = xlsx_upload(
        [
            ["Institution", "Dato", "0-2 år", "3-5 år", "6+ år"],
            ["Solsikken", datetime(2025, 1, 1), 24, 40, None],
            ["troldehøjen", date(2025, 1, 1), 12.0, 30, 2],
        ]
    )

    result = run(admin, koege, "counts", upload)

    assert result.ok, errors(result)
    counts = {
        (c.institution.name, c.counted_on, c.aged_0_2, c.aged_3_5, c.aged_6_plus)
        for c in ChildrenCount.objects.select_related("institution")
    }
    assert counts == {
        ("Solsikken", date(2025, 1, 1), 24, 40, 0),
        ("Troldehøjen", date(2025, 1, 1), 12, 30, 2),
    }


def test_children_counts_csv_corrects_a_recorded_date_and_adds_a_new_one(admin, koege):
    institution = InstitutionFactory(municipality=koege, name="Solsikken")
    ChildrenCountFactory(institution=institution, counted_on=date(2025, 1, 1), aged_0_2=1)
    upload = csv_upload(
        [
            ["institution", "dato", "0–2 år", "3–5 år"],
            ["Solsikken", "01-01-2025", "24", "40"],
            ["Solsikken", "1.2.2025", "25", "41"],
        ]
    )

    result = run(admin, koege, "counts", upload)

    assert (result.created, result.updated) == (1, 1)
    assert list(
        institution.children_counts.order_by("counted_on").values_list(
            "counted_on", "aged_0_2", "aged_3_5"
        )
    ) == [(date(2025, 1, 1), 24, 40), (date(2025, 2, 1), 25, 41)]


def test_groups_csv_creates_rooms_and_childminder_homes_and_updates_existing(admin, koege):
    solsikken = InstitutionFactory(municipality=koege, name="Solsikken")
    dagplejen = InstitutionFactory(
        municipality=koege, name="Dagplejen", kind=Institution.Kind.CHILDMINDING
    )
    GroupFactory(institution=solsikken, name="Mariehønen", kind=Group.Kind.ROOM)
    upload = csv_upload(
        [
            ["Institution", "Stue", "Type"],
            ["Solsikken", "mariehønen", "stue"],
            ["Solsikken", "Sommerfuglen", ""],
            ["Dagplejen", "Dagplejer Hansen", "dagplejehjem"],
        ]
    )

    result = run(admin, koege, "groups", upload)

    assert result.ok, errors(result)
    assert (result.created, result.updated) == (2, 1)
    groups = {(g.institution.name, g.name, g.kind) for g in Group.objects.all()}
    assert groups == {
        ("Solsikken", "mariehønen", "room"),
        ("Solsikken", "Sommerfuglen", "room"),
        ("Dagplejen", "Dagplejer Hansen", "home"),
    }
    assert dagplejen.groups.count() == 1


def test_reimporting_groups_without_a_kind_keeps_a_childminder_home_a_home(admin, koege):
    dagplejen = InstitutionFactory(
        municipality=koege, name="Dagplejen", kind=Institution.Kind.CHILDMINDING
    )
    childminder = MembershipFactory(institution=dagplejen, role="childminder").user
    GroupFactory(institution=dagplejen, name="Hjemmet", kind="home", childminder=childminder)
    upload = csv_upload([["institution", "navn"], ["Dagplejen", "Hjemmet"], ["Dagplejen", "Nyt"]])

    result = run(admin, koege, "groups", upload)

    assert result.ok, errors(result)
    assert (result.created, result.updated) == (1, 1)
    home = dagplejen.groups.get(name="Hjemmet")
    assert (home.kind, home.childminder) == ("home", childminder)
    assert dagplejen.groups.get(name="Nyt").kind == "room"


# A bad file stores nothing ------------------------------------------------------------


def test_a_csv_with_one_bad_row_stores_nothing_and_names_the_row(admin, koege):
    upload = csv_upload(
        [
            INSTITUTION_HEADER,
            ["Solsikken", "vuggestue", "kommunal", "", "4600", "Køge", ""],
            ["Mælkebøtten", "børnehave", "kommunal", "", "46OO", "Køge", ""],
            ["Troldehøjen", "børnehave", "kommunal", "", "4600", "Køge", ""],
        ]
    )

    assert refused_whole(admin, koege, "institutions", upload) == [
        (3, "Postcode: A Danish postcode is four digits.")
    ]
    assert not Institution.objects.exists()


def test_every_bad_row_is_listed_with_its_line_number(admin, koege):
    upload = csv_upload(
        [
            ["navn", "type"],
            ["", "vuggestue"],
            ["Solsikken", "vuggestue"],
            [],  # a blank line still counts as a line in the spreadsheet
            ["Troldehøjen", "legestue"],
        ]
    )

    found = refused_whole(admin, koege, "institutions", upload)

    assert found == [
        (2, "Name: This field is required."),
        (
            5,
            "Kind: “legestue” is not known. Use one of: "
            "vuggestue, børnehave, integreret, dagpleje, skole, sfo.",
        ),
    ]


def test_an_xlsx_with_one_bad_row_stores_nothing_and_names_the_row(admin, koege):
    InstitutionFactory(municipality=koege, name="Solsikken")
    upload = xlsx_upload(
        [
            ["institution", "dato", "0-2", "3-5"],
            ["Solsikken", date(2025, 1, 1), 10, 20],
            ["Solsikken", date(2025, 2, 1), -3, 20],
        ]
    )

    found = refused_whole(admin, koege, "counts", upload)

    assert found == [(3, "Children aged 0–2: Ensure this value is greater than or equal to 0.")]


def test_a_row_refused_while_storing_rolls_back_the_rows_before_it(admin, koege):
    """The last check happens in the service (a room cannot keep its childminder): the
    rows stored before it are rolled back with it."""
    dagplejen = InstitutionFactory(
        municipality=koege, name="Dagplejen", kind=Institution.Kind.CHILDMINDING
    )
    childminder = MembershipFactory(institution=dagplejen, role="childminder").user
    GroupFactory(institution=dagplejen, name="Hjemmet", kind="home", childminder=childminder)
    upload = csv_upload(
        [
            ["institution", "navn", "type"],
            ["Dagplejen", "Nyt hjem", "dagplejehjem"],
            ["Dagplejen", "Hjemmet", "stue"],
        ]
    )

    found = refused_whole(admin, koege, "groups", upload)

    assert found == [(3, "Only a childminder home has a childminder.")]
    assert not Group.objects.filter(name="Nyt hjem").exists()


def test_missing_required_columns_are_named(admin, koege):
    upload = csv_upload([["institution", "dato", "3-5 år"], ["Solsikken", "2025-01-01", "4"]])

    assert refused_whole(admin, koege, "counts", upload) == [
        (1, "The header lacks these columns: 0-2 år.")
    ]


def test_a_file_for_another_kind_lacks_the_columns(admin, koege):
    upload = csv_upload([["institution", "navn"], ["Solsikken", "Mariehønen"]])

    assert refused_whole(admin, koege, "counts", upload) == [
        (1, "The header lacks these columns: dato, 0-2 år, 3-5 år.")
    ]


def test_duplicate_rows_are_refused_naming_the_first(admin, koege):
    upload = csv_upload(
        [
            ["navn", "type"],
            ["Solsikken", "vuggestue"],
            ["Mælkebøtten", "vuggestue"],
            ["solsikken", "børnehave"],
        ]
    )

    assert refused_whole(admin, koege, "institutions", upload) == [
        (4, "Repeats row 2 of the file.")
    ]


def test_two_counts_for_one_institution_and_date_are_duplicates(admin, koege):
    InstitutionFactory(municipality=koege, name="Solsikken")
    upload = csv_upload(
        [
            ["institution", "dato", "0-2", "3-5"],
            ["Solsikken", "2025-01-01", "1", "2"],
            ["Solsikken", "01.01.2025", "3", "4"],
        ]
    )

    assert refused_whole(admin, koege, "counts", upload) == [(3, "Repeats row 2 of the file.")]


@pytest.mark.parametrize("kind", ["groups", "counts"])
def test_an_institution_of_another_municipality_is_unknown(admin, koege, kind):
    InstitutionFactory(municipality=koege, name="Solsikken")
    InstitutionFactory(name="Havtornen")  # in another municipality
    rows = {
        "groups": [["institution", "navn"], ["Solsikken", "Uglen"], ["Havtornen", "Krabben"]],
        "counts": [
            ["institution", "dato", "0-2", "3-5"],
            ["Solsikken", "2025-01-01", "1", "2"],
            ["Havtornen", "2025-01-01", "1", "2"],
        ],
    }[kind]

    assert refused_whole(admin, koege, kind, csv_upload(rows)) == [
        (3, "No institution named “Havtornen” in the municipality.")
    ]


def test_a_count_dated_in_the_future_is_refused(admin, koege):
    InstitutionFactory(municipality=koege, name="Solsikken")
    tomorrow = timezone.localdate() + timedelta(days=1)
    upload = csv_upload(
        [["institution", "dato", "0-2", "3-5"], ["Solsikken", tomorrow.isoformat(), "1", "2"]]
    )

    assert refused_whole(admin, koege, "counts", upload) == [
        (2, "Date: A children count cannot be dated in the future.")
    ]


def test_a_date_in_an_unknown_format_is_refused(admin, koege):
    InstitutionFactory(municipality=koege, name="Solsikken")
    upload = csv_upload(
        [["institution", "dato", "0-2", "3-5"], ["Solsikken", "1 jan 2025", "1", "2"]]
    )

    assert refused_whole(admin, koege, "counts", upload) == [(2, "Date: Enter a valid date.")]


# Files that are not what they claim ---------------------------------------------------


def test_binary_junk_named_csv_is_refused(admin, koege):
    upload = SimpleUploadedFile("data.csv", b"PK\x03\x04\x00\x00binary\x00junk")

    assert refused_whole(admin, koege, "institutions", upload) == [
        (0, "The file is not a CSV file.")
    ]


def test_junk_named_xlsx_is_refused(admin, koege):
    upload = SimpleUploadedFile("data.xlsx", b"navn;type\nSolsikken;vuggestue\n")

    assert refused_whole(admin, koege, "institutions", upload) == [
        (0, "The file could not be read as an Excel workbook.")
    ]


def _rewritten(workbook: bytes, part: str, content: bytes) -> bytes:
    """`workbook` with one part inside its zip replaced by `content`."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == part else source.read(item))
    return out.getvalue()


@pytest.mark.parametrize(
    "part,content",
    [
        ("[Content_Types].xml", b"<Types><broken"),
        ("xl/workbook.xml", b"not xml at all \x00"),
        ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c>"),
    ],
    ids=["content-types", "workbook", "sheet"],
)
def test_a_corrupt_workbook_is_refused_not_crashed_on(admin, koege, part, content):
    good = xlsx_upload([["navn", "type"], ["Solsikken", "vuggestue"]]).read()
    upload = SimpleUploadedFile("data.xlsx", _rewritten(good, part, content))

    assert refused_whole(admin, koege, "institutions", upload) == [
        (0, "The file could not be read as an Excel workbook.")
    ]


def test_bytes_that_are_no_text_encoding_are_refused(admin, koege):
    upload = SimpleUploadedFile("data.csv", b"navn;type\n\x81\x8d\x8f\x90\x9d;vuggestue\n")

    assert refused_whole(admin, koege, "institutions", upload) == [
        (0, "The file is not text in UTF-8.")
    ]


def test_an_empty_file_is_refused(admin, koege):
    upload = SimpleUploadedFile("data.csv", b"\n\n")

    assert refused_whole(admin, koege, "institutions", upload) == [(0, "The file is empty.")]


def test_a_header_without_rows_is_refused(admin, koege):
    upload = csv_upload([["navn", "type"]])

    assert refused_whole(admin, koege, "institutions", upload) == [
        (0, "The file has a header but no rows.")
    ]


def test_a_file_with_too_many_rows_is_refused(admin, koege, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [["navn", "type"]] + [[f"Institution {n}", "vuggestue"] for n in range(4)]

    assert refused_whole(admin, koege, "institutions", csv_upload(rows)) == [
        (0, "The file has more than 3 rows.")
    ]


def test_exactly_the_largest_number_of_rows_is_imported(admin, koege, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [["navn", "type"]] + [[f"Institution {n}", "vuggestue"] for n in range(3)]

    assert run(admin, koege, "institutions", csv_upload(rows)).created == 3


# The upload form ----------------------------------------------------------------------


def _form(upload, kind="institutions") -> ImportForm:
    return ImportForm(data={"kind": kind}, files={"file": upload})


def test_the_form_accepts_csv_and_xlsx():
    assert _form(csv_upload([["navn"]], name="Institutioner.CSV")).is_valid()
    assert _form(xlsx_upload([["navn"]])).is_valid()


def test_the_form_refuses_another_file_type():
    form = _form(SimpleUploadedFile("institutioner.pdf", b"%PDF-1.7"))

    assert not form.is_valid()
    assert form.errors["file"] == ["Choose a CSV or an Excel (.xlsx) file."]


def test_the_form_refuses_a_file_over_the_size_limit(settings):
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    upload = SimpleUploadedFile("big.csv", b"navn;type\n" + b"x" * settings.IMPORT_MAX_BYTES)

    form = _form(upload)

    assert not form.is_valid()
    assert form.errors["file"] == ["The file is too large. The largest file is 2 MB."]


def test_the_form_refuses_an_unknown_kind():
    form = _form(csv_upload([["navn"]]), kind="children")

    assert not form.is_valid()
    assert "kind" in form.errors


# Templates ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["institutions", "groups", "counts"])
def test_each_template_imports_as_it_is(admin, koege, kind):
    """The downloadable template's example row is itself a valid import."""
    if kind != "institutions":
        InstitutionFactory(municipality=koege, name="Børnehuset Solsikken")
    upload = SimpleUploadedFile("skabelon.csv", template_csv(kind).encode("utf-8"))

    result = run(admin, koege, kind, upload)

    assert result.ok, errors(result)
    assert result.created == 1
