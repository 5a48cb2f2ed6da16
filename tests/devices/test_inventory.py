"""Devices: register many at once with history, CSV/XLSX import (a bad row rejects the
file, naming the row) and export, Wi-Fi history, and labels whose QR code opens the page."""

from __future__ import annotations

import base64
import io
import re
from datetime import date

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from devices import services, transfer
from devices.models import Device, DeviceChange, Funding, WifiChange
from tests.devices.helpers import make_device

pytestmark = pytest.mark.django_db


def _rows(room):
    return [
        {"kind": "tablet", "model": "iPad 10", "group": room, "serial_number": s}
        for s in ("A1", "A2", "A3")
    ]


def test_many_devices_are_registered_at_once_each_with_its_history(world):
    room = world.objects["room"]
    devices = services.devices_register(
        actor=world.user("ambassador"), institution=world.institution, rows=_rows(room)
    )
    assert len(devices) == 3
    change = DeviceChange.objects.get(device=devices[0])
    assert change.action == "created" and change.actor == world.user("ambassador")
    assert change.changes["group"] == [None, "Myren"]


def test_a_bad_device_registers_none(world):
    rows = _rows(world.objects["room"])
    rows[2]["group"] = world.objects["neighbour_room"]
    with pytest.raises(ValidationError, match="Enhed 3"):
        services.devices_register(actor=None, institution=world.institution, rows=rows)
    assert not Device.objects.exists()


def test_a_change_records_who_when_from_and_to(world):
    device = make_device(world.institution, group=world.objects["room"])
    other = world.institution.groups.get(name="Egernet")
    services.device_update(
        actor=world.user("leader"), device=device, status="in_repair", group=other
    )
    change = device.changes.get(action="changed")
    assert change.changes == {"status": ["available", "in_repair"], "group": ["Myren", "Egernet"]}
    assert change.actor == world.user("leader")


def test_a_grant_of_another_daycare_or_without_grant_funding_is_refused(world):
    from tests.grants.helpers import make_application, make_pool

    pool = make_pool(world.municipality, name="Tabletpuljen", total_kr=50_000)
    application = make_application(pool, world.neighbour, state="decided", project="Tablets")
    grant = application.grant
    with pytest.raises(ValidationError):
        services.device_create(
            actor=None,
            institution=world.institution,
            kind="tablet",
            model="iPad",
            funding=Funding.GRANT,
            grant_id=grant.pk,
        )
    mine = make_application(pool, world.institution, state="decided", project="Vores").grant
    device = services.device_create(
        actor=None,
        institution=world.institution,
        kind="tablet",
        model="iPad",
        funding=Funding.GRANT,
        grant_id=mine.pk,
    )
    assert list(Device.objects.filter(grant_id=mine.pk)) == [device]
    with pytest.raises(ValidationError):
        services.device_update(actor=None, device=device, funding=Funding.OWN_BUDGET)


def _upload(text: str, name="udstyr.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_a_file_is_imported_whole(world):
    text = (
        "type;model;serienummer;inventarnummer;gruppe;status;købsdato;pris;betaling\n"
        "tablet;iPad 10;S1;SOL-1;Myren;ledig;15.01.2026;3.499,00;eget budget\n"
        "pc;Lenovo;S2;SOL-2;;i brug;2026-01-20;;\n"
    )
    result = transfer.import_devices(
        actor=world.user("leader"), institution=world.institution, upload=_upload(text)
    )
    assert result.ok and result.created == 2
    tablet = Device.objects.get(asset_tag="SOL-1")
    assert (tablet.group.name, tablet.price_ore, tablet.funding) == ("Myren", 349_900, "own_budget")
    assert tablet.changes.get().action == "imported"


def test_a_bad_row_rejects_the_file_naming_the_row(world):
    text = (
        "type;model;gruppe\n"
        "tablet;iPad 10;Myren\n"
        "tablet;iPad 10;Myren\n"
        "telefon;Nokia;Myren\n"
        "tablet;iPad 10;Hvalen\n"
    )
    result = transfer.import_devices(
        actor=None, institution=world.institution, upload=_upload(text)
    )
    assert not result.ok and result.created == 0
    rows = {row for row, _message in result.errors}
    assert rows == {4, 5}
    assert "telefon" in dict(result.errors)[4] and "Hvalen" in dict(result.errors)[5]
    assert not Device.objects.exists()


def test_a_taken_asset_tag_rejects_the_file(world):
    make_device(world.institution, asset_tag="SOL-1")
    text = "type;model;inventarnummer\ntablet;iPad;SOL-2\ntablet;iPad;SOL-1\n"
    result = transfer.import_devices(
        actor=None, institution=world.institution, upload=_upload(text)
    )
    assert [row for row, _m in result.errors] == [3]
    assert Device.objects.count() == 1


def test_the_export_can_be_imported_again(world):
    make_device(world.institution, group=world.objects["room"], asset_tag="A", price_ore=349_900)
    make_device(world.institution, kind="whiteboard", model="SMART", asset_tag="B")
    exported = transfer.devices_csv(world.institution.devices.select_related("group"))
    Device.objects.all().delete()
    result = transfer.import_devices(
        actor=None, institution=world.institution, upload=_upload(exported)
    )
    assert result.ok and result.created == 2
    assert Device.objects.get(asset_tag="A").price_ore == 349_900


def test_the_excel_export_has_a_row_per_device(world, login):
    make_device(world.institution, group=world.objects["room"], asset_tag="A")
    response = login(world.user("staff")).get(
        reverse("devices:export", args=[world.institution.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "type" and rows[1][:5] == ("tablet", "iPad 10", None, "A", "Myren")


def test_the_label_qr_code_opens_the_device_page(world, login, settings):
    settings.PORTAL_BASE_URL = "https://dagtilbud.koege.example"
    device = make_device(world.institution, group=world.objects["room"], asset_tag="SOL-7")
    response = login(world.user("ambassador")).get(
        reverse("devices:labels", args=[world.institution.pk])
    )
    page = response.content.decode()
    assert "SOL-7" in page
    data = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data))))
    url = f"https://dagtilbud.koege.example{reverse('devices:device', args=[device.pk])}"
    assert [code.text for code in decoded] == [url]


def test_wifi_changes_are_kept(world):
    site = services.wifi_site_create(
        actor=world.user("leader"), institution=world.institution, name="Hovedhuset"
    )
    services.wifi_site_update(
        actor=world.user("leader"),
        site=site,
        coverage="partial",
        supplier="Køge Net",
        established_on=None,
    )
    latest = WifiChange.objects.filter(site=site).first()
    assert latest.changes["coverage"] == ["none", "partial"]
    with pytest.raises(ValidationError):
        services.wifi_site_create(actor=None, institution=world.institution, name="Hovedhuset")


def test_the_excel_export_with_number_and_date_cells_can_be_imported_again(world, login):
    make_device(world.institution, asset_tag="A", price_ore=349_950, purchased_on=date(2026, 1, 15))
    response = login(world.user("staff")).get(
        reverse("devices:export", args=[world.institution.pk, "xlsx"])
    )
    Device.objects.all().delete()
    upload = SimpleUploadedFile("udstyr.xlsx", response.content)

    result = transfer.import_devices(actor=None, institution=world.institution, upload=upload)

    assert result.ok and result.created == 1
    device = Device.objects.get(asset_tag="A")
    assert (device.price_ore, device.purchased_on) == (349_950, date(2026, 1, 15))
