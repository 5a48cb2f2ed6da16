"""Registering and changing a daycare's devices and Wi-Fi, each change kept in history."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import purchases
from core.audit import audit
from institutions.models import Institution

from ..models import Device, DeviceChange, Funding, WifiChange, WifiSite
from .common import changed, constraint_name, plain, refuse

DEVICE_FIELDS = (
    "kind",
    "model",
    "serial_number",
    "asset_tag",
    "group",
    "status",
    "purchased_on",
    "price_ore",
    "funding",
    "grant_id",
    "notes",
)
WIFI_FIELDS = ("name", "address", "coverage", "established_on", "supplier", "notes")


def _check_device(institution: Institution, data: dict) -> None:
    group = data.get("group")
    if group is not None and group.institution_id != institution.pk:
        raise refuse(_("The group or home belongs to another daycare."))
    grant_id = data.get("grant_id")
    if grant_id is not None:
        grant = purchases.grants(ids=[grant_id]).get(grant_id)
        if grant is None or grant.owner_id != institution.pk:
            raise refuse(_("The grant was given to another daycare."))
        if data.get("funding") not in (Funding.GRANT, Funding.DEVELOPMENT_FUNDS):
            raise refuse(_("Name a grant only when a grant or the shared development funds paid."))
    price = data.get("price_ore")
    if price is not None and price < 0:
        raise refuse(_("The price cannot be negative."))


def _asset_tag_taken(tag: str) -> Exception:
    return refuse(
        _("The asset tag %(tag)s is already used by another of the daycare's devices.")
        % {"tag": tag},
        code="asset_tag",
    )


def _initial(instance, fields) -> dict[str, list]:
    """A new record's values as changes from nothing."""
    out = {}
    for name in fields:
        value = getattr(instance, name)
        if value not in (None, ""):
            out[name] = [None, plain(value)]
    return _grant_by_name(out)


def _grant_by_name(changes: dict[str, list]) -> dict[str, list]:
    """History keeps the grant by its name as it was then, like every related record."""
    if "grant_id" in changes:
        old, new = changes.pop("grant_id")
        names = purchases.grants(ids=[old, new])
        changes["grant"] = [purchases.label(names, old) or None, purchases.label(names, new)]
    return changes


def device_create(
    *,
    actor: User | None,
    institution: Institution,
    action: str = DeviceChange.Action.CREATED,
    programme=None,
    **data,
) -> Device:
    """Register one device. Refuses a group or grant of another daycare and a taken tag."""
    data = {name: data.get(name) for name in DEVICE_FIELDS if name in data}
    _check_device(institution, data)
    for text in ("serial_number", "asset_tag", "notes", "funding"):
        data[text] = (data.get(text) or "").strip()
    device = Device(institution=institution, programme=programme, **data)
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError as error:
        if constraint_name(error) == "devices_device_asset_tag_unique":
            raise _asset_tag_taken(device.asset_tag) from error
        raise
    DeviceChange.objects.create(
        device=device, actor=actor, action=action, changes=_initial(device, DEVICE_FIELDS)
    )
    return device


@transaction.atomic
def devices_register(*, actor: User, institution: Institution, rows: list[dict]) -> list[Device]:
    """Register many devices at once: all of them or, if one is refused, none."""
    devices = []
    for number, data in enumerate(rows, start=1):
        try:
            devices.append(device_create(actor=actor, institution=institution, **data))
        except Exception as error:
            if hasattr(error, "messages"):
                raise refuse(
                    _("Device %(number)d: %(reason)s")
                    % {"number": number, "reason": " ".join(error.messages)}
                ) from error
            raise
    audit(
        actor=actor,
        action="devices.registered",
        institution=institution,
        summary=f"{len(devices)} devices",
    )
    return devices


@transaction.atomic
def device_update(*, actor: User, device: Device, **data) -> dict[str, list]:
    """Change a device; the history records each field from what to what."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    data = {name: value for name, value in data.items() if name in DEVICE_FIELDS}
    for text in ("serial_number", "asset_tag", "notes", "funding"):
        if text in data:
            data[text] = (data[text] or "").strip()
    merged = {name: getattr(device, name) for name in DEVICE_FIELDS} | data
    _check_device(device.institution, merged)
    changes = _grant_by_name(changed(device, data))
    if not changes:
        return {}
    for name, value in data.items():
        setattr(device, name, value)
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError as error:
        if constraint_name(error) == "devices_device_asset_tag_unique":
            raise _asset_tag_taken(device.asset_tag) from error
        raise
    DeviceChange.objects.create(
        device=device, actor=actor, action=DeviceChange.Action.CHANGED, changes=changes
    )
    audit(
        actor=actor,
        action="devices.device.updated",
        obj=device,
        institution=device.institution,
        changes=changes,
    )
    return changes


# Wi-Fi ---------------------------------------------------------------------------------


def _wifi_data(data: dict) -> dict:
    out = {name: data.get(name) for name in WIFI_FIELDS if name in data}
    for text in ("name", "address", "supplier", "notes"):
        if text in out:
            out[text] = (out[text] or "").strip()
    return out


def _check_wifi(data: dict) -> None:
    if data.get("coverage") == WifiSite.Coverage.NONE and data.get("established_on"):
        raise refuse(_("A site without Wi-Fi has no date established."))
    established = data.get("established_on")
    if established and established > date.today():
        raise refuse(_("The date established cannot be in the future."))


def _name_taken(name: str):
    return refuse(_("The daycare already has a site called %(name)s.") % {"name": name})


@transaction.atomic
def wifi_site_create(*, actor: User, institution: Institution, **data) -> WifiSite:
    data = _wifi_data(data)
    _check_wifi(data)
    site = WifiSite(institution=institution, **data)
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError as error:
        raise _name_taken(site.name) from error
    WifiChange.objects.create(site=site, actor=actor, changes=_initial(site, WIFI_FIELDS))
    audit(actor=actor, action="devices.wifi.created", obj=site, institution=institution)
    return site


@transaction.atomic
def wifi_site_update(*, actor: User, site: WifiSite, **data) -> dict[str, list]:
    site = WifiSite.objects.select_for_update().get(pk=site.pk)
    data = _wifi_data(data)
    _check_wifi({name: getattr(site, name) for name in WIFI_FIELDS} | data)
    changes = changed(site, data)
    if not changes:
        return {}
    for name, value in data.items():
        setattr(site, name, value)
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError as error:
        raise _name_taken(site.name) from error
    WifiChange.objects.create(site=site, actor=actor, changes=changes)
    audit(
        actor=actor,
        action="devices.wifi.updated",
        obj=site,
        institution=site.institution,
        changes=changes,
    )
    return changes
