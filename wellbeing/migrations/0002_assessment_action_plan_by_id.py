"""The assessment's action plan becomes an id (the goals area is not imported); the
database keeps the foreign key, now with ON DELETE SET NULL in the database."""

from django.db import migrations, models

from core.migrations_by_id import keep_foreign_key


class Migration(migrations.Migration):
    dependencies = [
        ("wellbeing", "0001_initial"),
        ("goals", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="assessment", name="action_plan"),
                migrations.AddField(
                    model_name="assessment",
                    name="action_plan_id",
                    field=models.BigIntegerField(
                        blank=True, db_index=True, null=True, verbose_name="action plan"
                    ),
                ),
            ],
            database_operations=[
                keep_foreign_key("wellbeing_assessment", "action_plan_id", "goals_actionplan"),
            ],
        ),
    ]
