"""What the devices area tells the grants area: a daycare's devices by name, and which
daycares have Wi-Fi. See core/purchases.py."""

from __future__ import annotations

from core.purchases import Item, provides

from .models import Device, WifiSite


@provides("devices")
def devices(*, ids=None, owner_id=None):
    found = Device.objects.order_by("kind", "asset_tag", "pk")
    if ids is not None:
        found = found.filter(pk__in=ids)
    else:
        found = found.filter(institution_id=owner_id).exclude(status=Device.Status.RETIRED)
    return [Item(d.pk, str(d), d.institution_id) for d in found]


@provides("wifi")
def with_wifi(institution_ids):
    return (
        WifiSite.objects.filter(institution_id__in=institution_ids)
        .exclude(coverage=WifiSite.Coverage.NONE)
        .values_list("institution_id", flat=True)
    )
