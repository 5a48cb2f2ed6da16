"""A foreign key between two areas, turned into a plain id in Django's models while the
database keeps the constraint (see core/purchases.py for how the areas then ask each other).

    SeparateDatabaseAndState(
        state_operations=[RemoveField("device", "grant"), AddField("device", "grant_id", ...)],
        database_operations=[keep_foreign_key("devices_device", "grant_id", "grants_grant")],
    )

The column, its index and its values stay as they are. The constraint Django made (which
left ON DELETE to Django) is replaced by one that sets the id to NULL in the database when
the row it names is deleted, as the relation's on_delete=SET_NULL did.
"""

from __future__ import annotations

from django.db import migrations


def _drop_foreign_keys(table: str, column: str) -> str:
    # Table and column names come from the migrations themselves, never from input.
    return f"""
DO $$
DECLARE found text;
BEGIN
  FOR found IN
    SELECT conname FROM pg_constraint
    WHERE conrelid = '{table}'::regclass AND contype = 'f'
      AND conkey = ARRAY[(SELECT attnum FROM pg_attribute
                          WHERE attrelid = '{table}'::regclass AND attname = '{column}')]
  LOOP
    EXECUTE format('ALTER TABLE {table} DROP CONSTRAINT %I', found);
  END LOOP;
END $$;
"""  # noqa: S608


def keep_foreign_key(table: str, column: str, target: str) -> migrations.RunSQL:
    name = f"{table}_{column}_fk"
    add = (
        f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({column}) "
        f"REFERENCES {target} (id) {{}} DEFERRABLE INITIALLY DEFERRED;"
    )
    return migrations.RunSQL(
        sql=_drop_foreign_keys(table, column) + add.format("ON DELETE SET NULL"),
        reverse_sql=_drop_foreign_keys(table, column) + add.format(""),
    )
