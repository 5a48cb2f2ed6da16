"""Where the grants and devices areas meet: what paid for a purchase, and what it bought.

A device can be paid by a grant (an approved application or a daycare's share of the
development funds), a central purchase programme by a pool, and a grant's expense can name
the device it bought; the share run starts from the Wi-Fi the daycares registered. Each
area keeps the other's ids (the database keeps the foreign keys, ON DELETE SET NULL) and
asks through here, so neither imports the other:

    # grants/purchases.py
    @provides("grants")
    def grants(*, ids=None, owner_id=None) -> Iterable[Item]:
        ...

    # devices/forms.py
    paid_by = purchases.grants(owner_id=daycare.pk)  # {id: Item}

The kinds: "grants" and "pools" (the grants area), "devices" and "wifi" (the devices area).
Each provider answers in one query. Asked by `ids`, it returns those that exist; asked by
`owner_id` (the daycare, or for pools the municipality), the ones that owner may choose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple


class Item(NamedTuple):
    id: int
    label: str
    # The daycare a grant or device belongs to; the municipality a pool belongs to.
    owner_id: int


Provider = Callable[..., Iterable]
_providers: dict[str, Provider] = {}


def provides(kind: str) -> Callable[[Provider], Provider]:
    def register(func: Provider) -> Provider:
        _providers[kind] = func
        return func

    return register


def _items(kind: str, *, ids: Iterable[int] | None, owner_id: int | None) -> dict[int, Item]:
    provider = _providers.get(kind)
    if provider is None:
        return {}
    if ids is not None:
        ids = [i for i in set(ids) if i is not None]
        if not ids:
            return {}
    return {item.id: item for item in provider(ids=ids, owner_id=owner_id)}


def grants(*, ids: Iterable[int] | None = None, owner_id: int | None = None) -> dict[int, Item]:
    """Grants by id, or the grants a daycare received: {id: Item}."""
    return _items("grants", ids=ids, owner_id=owner_id)


def pools(*, ids: Iterable[int] | None = None, owner_id: int | None = None) -> dict[int, Item]:
    """Pools by id, or a municipality's pools: {id: Item}."""
    return _items("pools", ids=ids, owner_id=owner_id)


def devices(*, ids: Iterable[int] | None = None, owner_id: int | None = None) -> dict[int, Item]:
    """Devices by id, or a daycare's devices still in service: {id: Item}."""
    return _items("devices", ids=ids, owner_id=owner_id)


def with_wifi(institution_ids: Iterable[int]) -> set[int]:
    """Which of these daycares have registered a Wi-Fi site that covers, fully or in part."""
    provider = _providers.get("wifi")
    return set(provider(list(institution_ids))) if provider else set()


def label(items: dict[int, Item], pk: int | None) -> str:
    """The label of one id among `items`, or '' when there is none."""
    item = items.get(pk) if pk is not None else None
    return item.label if item else ""
