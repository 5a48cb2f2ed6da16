"""Where devices and grants meet (core/purchases.py): each keeps the other's ids, the
database keeps the foreign keys, and names travel through the registry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from core import purchases
from devices import services
from devices.models import Device, DeviceChange, Funding, PurchaseProgramme
from grants.models import Expense, Grant, Pool
from tests.devices.helpers import make_device
from tests.grants.helpers import admin_of, book, make_application, make_pool


def _immediately():
    """Check the (deferred) foreign keys at once, as the commit would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def grant(world):
    pool = make_pool(world.municipality, name="Tabletpuljen", total_kr=50_000)
    return make_application(pool, world.institution, state="decided", project="Vores").grant


def test_a_device_cannot_name_a_grant_that_does_not_exist(world):
    _immediately()
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.create(
            institution=world.institution, kind="tablet", model="iPad", funding="grant",
            grant_id=987_654,
        )  # fmt: skip
    assert not Device.objects.exists()


def test_an_expense_cannot_name_a_device_that_does_not_exist(world, grant):
    allocation = grant.allocations.first()
    _immediately()
    with pytest.raises(IntegrityError), transaction.atomic():
        Expense.objects.create(
            allocation=allocation, spent_on=grant.pool.period_start, description="x",
            amount_ore=100, receipt="r.pdf", device_id=987_654,
        )  # fmt: skip
    assert not Expense.objects.exists()


def test_the_service_refuses_an_unknown_grant_in_danish(world):
    with pytest.raises(ValidationError, match="et andet dagtilbud"):
        services.device_create(
            actor=None, institution=world.institution, kind="tablet", model="iPad",
            funding=Funding.GRANT, grant_id=987_654,
        )  # fmt: skip
    assert not Device.objects.exists()


def test_deleting_a_grant_leaves_the_device_unpaid_by_it_in_the_database(world, grant):
    device = services.device_create(
        actor=None, institution=world.institution, kind="tablet", model="iPad",
        funding=Funding.GRANT, grant_id=grant.pk,
    )  # fmt: skip
    _immediately()
    Grant.objects.filter(pk=grant.pk).delete()
    device.refresh_from_db()
    assert device.grant_id is None


def test_deleting_a_device_leaves_the_expense_in_the_database(world, grant):
    device = make_device(world.institution, asset_tag="SOL-9")
    expense = book(grant, kr=1_000)
    Expense.objects.filter(pk=expense.pk).update(device_id=device.pk)
    _immediately()
    Device.objects.filter(pk=device.pk).delete()
    expense.refresh_from_db()
    assert expense.device_id is None
    assert Expense.objects.filter(pk=expense.pk).exists()


def test_deleting_a_pool_leaves_the_programme_in_the_database(world):
    pool = make_pool(world.municipality, name="Tom pulje", publish=False)
    programme = services.programme_create(
        actor=admin_of(world.municipality), municipality=world.municipality, name="iPads",
        device_kind="tablet", device_model="iPad", units=2, unit_price_ore=100,
        budget_ore=200, pool_id=pool.pk,
    )  # fmt: skip
    _immediately()
    Pool.objects.filter(pk=pool.pk).delete()
    programme.refresh_from_db()
    assert programme.pool_id is None
    assert PurchaseProgramme.objects.filter(pk=programme.pk).exists()


def test_a_programme_cannot_be_paid_by_another_municipalitys_pool(world):
    foreign = make_pool(world.other_municipality, name="Fremmed pulje", publish=False)
    with pytest.raises(ValidationError, match="en anden kommune"):
        services.programme_create(
            actor=admin_of(world.municipality), municipality=world.municipality, name="iPads",
            device_kind="tablet", device_model="iPad", units=2, unit_price_ore=100,
            budget_ore=200, pool_id=foreign.pk,
        )  # fmt: skip
    assert not PurchaseProgramme.objects.exists()


def test_the_device_page_and_its_history_name_the_grant(client, world, grant):
    device = services.device_create(
        actor=None, institution=world.institution, kind="tablet", model="iPad",
        funding=Funding.OWN_BUDGET,
    )  # fmt: skip
    services.device_update(actor=None, device=device, funding=Funding.GRANT, grant_id=grant.pk)
    change = DeviceChange.objects.filter(device=device).order_by("-pk").first()
    assert change.changes["grant"] == [None, "Vores (Tabletpuljen)"]

    client.force_login(world.user("leader"))
    page = client.get(reverse("devices:device", args=[device.pk])).content.decode()
    assert "En bevilling: Vores (Tabletpuljen)" in page
    history = page.split("Historik")[-1]
    assert "Bevilling" in history and "Vores (Tabletpuljen)" in history
    listing = client.get(reverse("devices:institution", args=[world.institution.pk]))
    assert "Vores (Tabletpuljen)" in listing.content.decode()


def test_the_registry_names_only_what_exists_and_chooses_only_the_owners(world, grant):
    other = make_application(grant.pool, world.neighbour, state="decided", project="Deres").grant
    assert list(purchases.grants(owner_id=world.institution.pk)) == [grant.pk]
    named = purchases.grants(ids=[grant.pk, other.pk, 987_654])
    assert {pk: item.label for pk, item in named.items()} == {
        grant.pk: "Vores (Tabletpuljen)",
        other.pk: "Deres (Tabletpuljen)",
    }
    assert purchases.grants(ids=[]) == {}
