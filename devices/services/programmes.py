"""Central purchase programmes: planned units per childminder home or group; distributing
creates the device records, linked to the programme."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import purchases
from core.audit import audit
from institutions.models import Group, Municipality

from ..models import Device, DeviceChange, Funding, ProgrammeLine, PurchaseProgramme
from .common import refuse
from .inventory import device_create


@transaction.atomic
def programme_create(*, actor: User, municipality: Municipality, **data) -> PurchaseProgramme:
    if data["units"] * data["unit_price_ore"] > data["budget_ore"]:
        raise refuse(_("The units at the unit price cost more than the budget."))
    pool_id = data.get("pool_id")
    if pool_id is not None:
        pool = purchases.pools(ids=[pool_id]).get(pool_id)
        if pool is None or pool.owner_id != municipality.pk:
            raise refuse(_("The pool belongs to another municipality."))
    if PurchaseProgramme.objects.filter(
        municipality=municipality, name__iexact=data["name"]
    ).exists():
        raise refuse(_("There is already a programme called %(name)s.") % {"name": data["name"]})
    programme = PurchaseProgramme.objects.create(
        municipality=municipality, created_by=actor, **data
    )
    audit(actor=actor, action="devices.programme.created", obj=programme, municipality=municipality)
    return programme


@transaction.atomic
def programme_line_add(
    *, actor: User, programme: PurchaseProgramme, group: Group, planned: int
) -> ProgrammeLine:
    """Plan units for a group or home; the plan never exceeds the programme's units."""
    programme = PurchaseProgramme.objects.select_for_update().get(pk=programme.pk)
    if group.institution.municipality_id != programme.municipality_id:
        raise refuse(_("The group or home belongs to another municipality."))
    if planned < 1:
        raise refuse(_("Plan at least one unit."))
    if programme.lines.filter(group=group).exists():
        raise refuse(_("%(group)s already has units planned.") % {"group": group.name})
    already = programme.lines.aggregate(n=Sum("planned"))["n"] or 0
    if already + planned > programme.units:
        raise refuse(
            _("Only %(left)d of the programme's %(units)d units are left to plan.")
            % {"left": programme.units - already, "units": programme.units}
        )
    line = ProgrammeLine.objects.create(programme=programme, group=group, planned=planned)
    audit(actor=actor, action="devices.programme.planned", obj=programme)
    return line


@transaction.atomic
def programme_distribute(*, actor: User, line: ProgrammeLine) -> list[Device]:
    """Hand out a line's remaining units: one device record each, in the group or home."""
    line = (
        ProgrammeLine.objects.select_for_update(of=("self",))
        .select_related("programme", "group__institution")
        .get(pk=line.pk)
    )
    remaining = line.planned - line.distributed
    if remaining <= 0:
        raise refuse(_("Every planned unit has been distributed."))
    programme = line.programme
    today = timezone.localdate()
    devices = [
        device_create(
            actor=actor,
            institution=line.group.institution,
            action=DeviceChange.Action.DISTRIBUTED,
            programme=programme,
            kind=programme.device_kind,
            model=programme.device_model,
            group=line.group,
            status=Device.Status.AVAILABLE,
            purchased_on=today,
            price_ore=programme.unit_price_ore,
            funding=Funding.PROGRAMME,
            notes=programme.name,
        )
        for _index in range(remaining)
    ]
    line.distributed = line.planned
    line.distributed_at = timezone.now()
    line.save(update_fields=["distributed", "distributed_at"])
    audit(
        actor=actor,
        action="devices.programme.distributed",
        obj=programme,
        institution=line.group.institution,
        summary=f"{remaining} × {programme.device_model} → {line.group.name}",
    )
    return devices
