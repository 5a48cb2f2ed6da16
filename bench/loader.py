"""COPY rows into a model's table, checked against the model so the generator cannot rot.

    copy_model(connection, Child, ["id", "group_id", "first_name", ...], rows)

Columns are named by the model's field attnames. Every column the database needs a value
for (not null, no database default, not generated) must be listed: when a migration adds
one, the generator fails at once with the name of the missing column instead of loading
rows the application would not have written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import models

COPY_CHUNK = 50_000


def required_columns(model: type[models.Model]) -> set[str]:
    required = set()
    for field in model._meta.concrete_fields:
        if isinstance(field, models.GeneratedField):
            continue
        if field.null or getattr(field, "db_default", models.NOT_PROVIDED) is not (
            models.NOT_PROVIDED
        ):
            continue
        required.add(field.attname)
    return required


def columns_for(model: type[models.Model], attnames: Sequence[str]) -> list[str]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    unknown = [name for name in attnames if name not in by_attname]
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {unknown}")
    missing = required_columns(model) - set(attnames)
    if missing:
        raise ValueError(f"{model.__name__}: the generator gives no value for {sorted(missing)}")
    return [by_attname[name].column for name in attnames]


def copy_rows(connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Stream rows into `table` with COPY (psycopg 3). Returns the number of rows."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def copy_model(connection, model: type[models.Model], attnames: Sequence[str], rows) -> int:
    return copy_rows(connection, model._meta.db_table, columns_for(model, attnames), rows)


def copy_m2m(connection, model: type[models.Model], field_name: str, rows) -> int:
    """COPY (source id, target id) pairs into an auto-created many-to-many table."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    columns = [field.m2m_column_name(), field.m2m_reverse_name()]
    return copy_rows(connection, through._meta.db_table, columns, rows)
