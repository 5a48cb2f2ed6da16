"""An expense's device becomes an id (the devices area is not imported); the database
keeps the foreign key, now with ON DELETE SET NULL in the database."""

from django.db import migrations, models

from core.migrations_by_id import keep_foreign_key


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0003_expense_device"),
        ("devices", "0002_grant_and_pool_by_id"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="expense", name="device"),
                migrations.AddField(
                    model_name="expense",
                    name="device_id",
                    field=models.BigIntegerField(
                        blank=True, db_index=True, null=True, verbose_name="device bought"
                    ),
                ),
            ],
            database_operations=[
                keep_foreign_key("grants_expense", "device_id", "devices_device"),
            ],
        ),
    ]
