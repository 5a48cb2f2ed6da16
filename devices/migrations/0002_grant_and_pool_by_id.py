"""A device's grant and a programme's pool become ids (the grants area is not imported);
the database keeps both foreign keys, now with ON DELETE SET NULL in the database."""

from django.db import migrations, models
from django.db.models import Q

from core.migrations_by_id import keep_foreign_key


class Migration(migrations.Migration):
    dependencies = [
        ("devices", "0001_inventory_wifi_suitcases"),
        ("grants", "0003_expense_device"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="device", name="devices_device_grant_when_granted"
                ),
                migrations.RemoveField(model_name="device", name="grant"),
                migrations.AddField(
                    model_name="device",
                    name="grant_id",
                    field=models.BigIntegerField(
                        blank=True, db_index=True, null=True, verbose_name="grant"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="device",
                    constraint=models.CheckConstraint(
                        condition=Q(grant_id__isnull=True)
                        | Q(funding__in=["grant", "development_funds"]),
                        name="devices_device_grant_when_granted",
                    ),
                ),
                migrations.RemoveField(model_name="purchaseprogramme", name="pool"),
                migrations.AddField(
                    model_name="purchaseprogramme",
                    name="pool_id",
                    field=models.BigIntegerField(
                        blank=True, db_index=True, null=True, verbose_name="paid from pool"
                    ),
                ),
            ],
            database_operations=[
                keep_foreign_key("devices_device", "grant_id", "grants_grant"),
                keep_foreign_key("devices_purchaseprogramme", "pool_id", "grants_pool"),
            ],
        ),
    ]
