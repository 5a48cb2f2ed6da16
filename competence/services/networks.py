"""Networks of daycares: creating and changing them."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.indicators import indicators_changed
from institutions.models import Institution, Municipality, MunicipalRole

from ..models import Network, NetworkMember
from .common import _pick

NETWORK_FIELDS = ("name", "purpose", "cadence", "audience", "organiser", "usual_place")


def _check_network(municipality: Municipality, values: dict, members: list[Institution]) -> None:
    if not 1 <= values["cadence"] <= 12:
        raise ValidationError(_("A network meets between 1 and 12 times a year."))
    if not MunicipalRole.objects.filter(
        user=values["organiser"], municipality=municipality
    ).exists():
        raise ValidationError(_("The organiser must work in the municipality's administration."))
    if any(m.municipality_id != municipality.pk or not m.is_daycare for m in members):
        raise ValidationError(_("Only the municipality's daycares can be members."))


@transaction.atomic
def network_create(
    *, actor: User, municipality: Municipality, members: Iterable[Institution] = (), **data
) -> Network:
    values = _pick(data, NETWORK_FIELDS)
    members = list(members)
    _check_network(municipality, values, members)
    if Network.objects.filter(municipality=municipality, name__iexact=values["name"]).exists():
        raise ValidationError(_("The municipality already has a network with that name."))
    network = Network.objects.create(municipality=municipality, **values)
    NetworkMember.objects.bulk_create(
        [NetworkMember(network=network, institution=m) for m in members]
    )
    indicators_changed()  # bulk_create sends no signals
    audit(
        actor=actor,
        action="network.created",
        obj=network,
        municipality=municipality,
        summary=f"{network.name}: {len(members)}",
    )
    return network


@transaction.atomic
def network_update(
    *, actor: User, network: Network, members: Iterable[Institution] | None = None, **data
) -> Network:
    network = Network.objects.select_for_update().get(pk=network.pk)
    values = _pick(data, NETWORK_FIELDS)
    merged = {name: values.get(name, getattr(network, name)) for name in NETWORK_FIELDS}
    member_list = list(members) if members is not None else list(network.members.all())
    _check_network(network.municipality, merged, member_list)
    clash = Network.objects.filter(
        municipality_id=network.municipality_id, name__iexact=merged["name"]
    ).exclude(pk=network.pk)
    if clash.exists():
        raise ValidationError(_("The municipality already has a network with that name."))
    changes = diff(network, values)
    for name, value in values.items():
        setattr(network, name, value)
    network.save()
    if members is not None:
        before = set(network.memberships.values_list("institution_id", flat=True))
        after = {m.pk for m in member_list}
        if before != after:
            network.memberships.filter(institution_id__in=before - after).delete()
            NetworkMember.objects.bulk_create(
                [NetworkMember(network=network, institution_id=pk) for pk in after - before]
            )
            indicators_changed()  # bulk_create sends no signals
            changes["members"] = [sorted(before), sorted(after)]
    if changes:
        audit(
            actor=actor,
            action="network.updated",
            obj=network,
            municipality=network.municipality,
            summary=network.name,
            changes=changes,
        )
    return network
