"""Import and export of a daycare's devices as CSV or XLSX.

Export and import use the same Danish columns, so an exported file can be edited and
imported again. A file is checked whole first: a bad row rejects the whole file, and the
message names the row (its line number as a spreadsheet shows it) and what is wrong.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.money import AmountField, kroner_decimal
from core.spreadsheets import UnreadableFile, append_row, csv_text, read_rows
from institutions.imports import FlexibleDateField, WordChoiceField
from institutions.models import Institution

from .models import Device, DeviceChange, DeviceKind, Funding
from .services.inventory import device_create

HEADER = [
    "type",
    "model",
    "serienummer",
    "inventarnummer",
    "gruppe",
    "status",
    "købsdato",
    "pris",
    "betaling",
    "noter",
]
FIELDS = [
    "kind",
    "model",
    "serial_number",
    "asset_tag",
    "group",
    "status",
    "purchased_on",
    "price_ore",
    "funding",
    "notes",
]
ALIASES = {
    "kind": ("type", "kind", "slags"),
    "model": ("model",),
    "serial_number": ("serienummer", "serienr", "serienr.", "serial number", "serial_number"),
    "asset_tag": ("inventarnummer", "stregkode", "asset tag", "asset_tag"),
    "group": ("gruppe", "stue", "dagplejehjem", "group"),
    "status": ("status",),
    "purchased_on": ("købsdato", "purchase date", "purchased_on"),
    "price_ore": ("pris", "price"),
    "funding": ("betaling", "betalt af", "funding"),
    "notes": ("noter", "bemærkninger", "notes"),
}
KIND_WORDS = {
    "tablet": DeviceKind.TABLET,
    "ipad": DeviceKind.TABLET,
    "pc": DeviceKind.PC,
    "computer": DeviceKind.PC,
    "bærbar": DeviceKind.PC,
    "interaktiv tavle": DeviceKind.WHITEBOARD,
    "tavle": DeviceKind.WHITEBOARD,
    "whiteboard": DeviceKind.WHITEBOARD,
    "interactive whiteboard": DeviceKind.WHITEBOARD,
    "andet": DeviceKind.OTHER,
    "other": DeviceKind.OTHER,
}
STATUS_WORDS = {
    "ledig": Device.Status.AVAILABLE,
    "tilgængelig": Device.Status.AVAILABLE,
    "available": Device.Status.AVAILABLE,
    "i brug": Device.Status.IN_USE,
    "in use": Device.Status.IN_USE,
    "til reparation": Device.Status.IN_REPAIR,
    "reparation": Device.Status.IN_REPAIR,
    "in repair": Device.Status.IN_REPAIR,
    "bortkommet": Device.Status.LOST,
    "mistet": Device.Status.LOST,
    "lost": Device.Status.LOST,
    "kasseret": Device.Status.RETIRED,
    "udfaset": Device.Status.RETIRED,
    "retired": Device.Status.RETIRED,
}
FUNDING_WORDS = {
    "tilskud": Funding.GRANT,
    "bevilling": Funding.GRANT,
    "grant": Funding.GRANT,
    "udviklingsmidler": Funding.DEVELOPMENT_FUNDS,
    "fælles udviklingsmidler": Funding.DEVELOPMENT_FUNDS,
    "development funds": Funding.DEVELOPMENT_FUNDS,
    "eget budget": Funding.OWN_BUDGET,
    "own budget": Funding.OWN_BUDGET,
}
# The words written on export: the first Danish word for each value.
KIND_OUT = {
    DeviceKind.TABLET: "tablet",
    DeviceKind.PC: "pc",
    DeviceKind.WHITEBOARD: "interaktiv tavle",
    DeviceKind.OTHER: "andet",
}
STATUS_OUT = {
    Device.Status.AVAILABLE: "ledig",
    Device.Status.IN_USE: "i brug",
    Device.Status.IN_REPAIR: "til reparation",
    Device.Status.LOST: "bortkommet",
    Device.Status.RETIRED: "kasseret",
}
FUNDING_OUT = {
    Funding.GRANT: "tilskud",
    Funding.DEVELOPMENT_FUNDS: "udviklingsmidler",
    Funding.OWN_BUDGET: "eget budget",
    Funding.PROGRAMME: "indkøbsprogram",
    Funding.UNKNOWN: "",
}


class DeviceRow(forms.Form):
    kind = WordChoiceField(words=KIND_WORDS, shown=("tablet", "pc", "interaktiv tavle", "andet"))
    model = forms.CharField(max_length=100)
    serial_number = forms.CharField(max_length=100, required=False)
    asset_tag = forms.CharField(max_length=40, required=False)
    group = forms.CharField(max_length=100, required=False)
    status = WordChoiceField(
        words=STATUS_WORDS,
        shown=("ledig", "i brug", "til reparation", "bortkommet", "kasseret"),
        required=False,
    )
    purchased_on = FlexibleDateField(required=False)
    price_ore = AmountField(required=False, min_ore=0)
    funding = WordChoiceField(
        words=FUNDING_WORDS, shown=("tilskud", "udviklingsmidler", "eget budget"), required=False
    )
    notes = forms.CharField(max_length=2000, required=False)


FIELD_NAMES = {
    "kind": "type",
    "model": "model",
    "serial_number": "serienummer",
    "asset_tag": "inventarnummer",
    "group": "gruppe",
    "status": "status",
    "purchased_on": "købsdato",
    "price_ore": "pris",
    "funding": "betaling",
    "notes": "noter",
}


@dataclass
class ImportResult:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _map_header(header: list) -> dict[str, int]:
    positions = {}
    for index, cell in enumerate(header):
        key = " ".join(str(cell).lower().split())
        for name, aliases in ALIASES.items():
            if key in aliases and name not in positions:
                positions[name] = index
    missing = [FIELD_NAMES[n] for n in ("kind", "model") if n not in positions]
    if missing:
        raise ValidationError(
            _("The header lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return positions


def import_devices(*, actor, institution: Institution, upload) -> ImportResult:
    """Register every row of the file, or none if any row is bad."""
    result = ImportResult()
    if upload.size > settings.IMPORT_MAX_BYTES:
        result.errors.append((0, _("The file is too large.")))
        return result
    try:
        rows = read_rows(upload, max_rows=settings.IMPORT_MAX_ROWS)
    except UnreadableFile as error:
        result.errors.append((0, str(error)))
        return result
    if len(rows) < 2:
        result.errors.append((0, _("The file has no rows below the header.")))
        return result
    try:
        positions = _map_header(rows[0][1])
    except ValidationError as error:
        result.errors.append((1, " ".join(error.messages)))
        return result
    groups = {g.name.lower(): g for g in institution.groups.filter(is_active=True)}
    valid: list[tuple[int, dict]] = []
    tags: dict[str, int] = {}
    for number, cells in rows[1:]:
        raw = {name: (cells[pos] if pos < len(cells) else "") for name, pos in positions.items()}
        form = DeviceRow(data=raw)
        if not form.is_valid():
            for name, messages in form.errors.items():
                result.errors.append((number, f"{FIELD_NAMES.get(name, name)}: {messages[0]}"))
            continue
        data = dict(form.cleaned_data)
        group_name = (data.pop("group") or "").strip()
        data["group"] = None
        if group_name:
            data["group"] = groups.get(group_name.lower())
            if data["group"] is None:
                result.errors.append(
                    (
                        number,
                        _("gruppe: %(name)s is not a group or home of the daycare.")
                        % {"name": group_name},
                    )
                )
                continue
        data["status"] = data["status"] or Device.Status.AVAILABLE
        data["funding"] = data["funding"] or ""
        tag = (data.get("asset_tag") or "").strip()
        if tag:
            if tag in tags:
                result.errors.append(
                    (
                        number,
                        _("inventarnummer: %(tag)s is also on row %(row)d.")
                        % {"tag": tag, "row": tags[tag]},
                    )
                )
                continue
            tags[tag] = number
        valid.append((number, data))
    if result.errors:
        return result
    taken = set(
        institution.devices.filter(asset_tag__in=list(tags)).values_list("asset_tag", flat=True)
    )
    for tag in sorted(taken, key=lambda t: tags[t]):
        result.errors.append(
            (tags[tag], _("inventarnummer: %(tag)s is already registered.") % {"tag": tag})
        )
    if result.errors:
        return result
    with transaction.atomic():
        for _number, data in valid:
            device_create(
                actor=actor, institution=institution, action=DeviceChange.Action.IMPORTED, **data
            )
    result.created = len(valid)
    return result


def _rows(devices) -> list[list]:
    """One row per device: the price in kroner as a number, the date as a date."""
    return [
        [
            KIND_OUT[d.kind],
            d.model,
            d.serial_number,
            d.asset_tag,
            d.group.name if d.group_id else "",
            STATUS_OUT[d.status],
            d.purchased_on,
            kroner_decimal(d.price_ore),
            FUNDING_OUT[d.funding],
            d.notes,
        ]
        for d in devices
    ]


def devices_csv(devices) -> str:
    return csv_text([HEADER, *_rows(devices)])


def devices_xlsx(devices, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    append_row(sheet, HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(devices):
        append_row(sheet, row)
    for column, width in zip("ABCDEFGHIJ", (12, 24, 18, 16, 18, 14, 12, 12, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> str:
    return csv_text(
        [
            HEADER,
            ["tablet", "iPad 10", "F9FXK1", "SOL-001", "", "ledig", "2026-01-15", "3.499", "", ""],
        ]
    )
