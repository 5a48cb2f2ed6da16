"""What the grants area tells the devices area: which grants and pools can pay, by name.
See core/purchases.py."""

from __future__ import annotations

from core.purchases import Item, provides

from .models import Grant, Pool


def grant_label(grant: Grant) -> str:
    if grant.application_id:
        return f"{grant.application.project} ({grant.pool.name})"
    return grant.pool.name


@provides("grants")
def grants(*, ids=None, owner_id=None):
    found = Grant.objects.select_related("pool", "application").order_by("pool__name", "pk")
    found = found.filter(pk__in=ids) if ids is not None else found.filter(institution_id=owner_id)
    return [Item(g.pk, grant_label(g), g.institution_id) for g in found]


@provides("pools")
def pools(*, ids=None, owner_id=None):
    found = Pool.objects.order_by("name", "pk")
    found = found.filter(pk__in=ids) if ids is not None else found.filter(municipality_id=owner_id)
    return [Item(p.pk, p.name, p.municipality_id) for p in found.only("name", "municipality_id")]
