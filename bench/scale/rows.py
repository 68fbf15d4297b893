"""Bulk rows from the models themselves: ``INSERT INTO <table> (<every column>) SELECT <expressions>``.

The benchmark gives SQL expressions only for the columns whose values it varies (names, statuses, dates, keys);
every other column of the model's table gets what the model would give it: the field's default (a value or a
callable, evaluated once), ``now()`` for ``auto_now``/``auto_now_add``, the database default when the field has
one, NULL when the field is nullable, an empty string for a text field. So a column added to a model later with a
default never breaks the benchmark; one added NOT NULL without any default stops it with a message that names it.
"""

from __future__ import annotations

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED


class NoValue(Exception):
    """A NOT NULL column without any default that the benchmark gives no value for."""


def default_sql(field: models.Field) -> str | None:
    """The SQL for ``field``'s value when the benchmark gives none; None: leave the column out (NULL or the
    database's own default)."""
    if getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
        return None
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return "now()"
    if not field.has_default() and field.null:
        return None
    if field.unique and not field.primary_key:
        return unique_sql(field)
    value = field.get_default()
    if value is None:
        if field.null:
            return None
        model = field.model._meta.label
        raise NoValue(f"{model}.{field.name} ({field.model._meta.db_table}.{field.column}) is NOT NULL and has no "
                      f"default: give the benchmark a value for it (bench/scale/data.py or records.py)")
    prepared = field.get_db_prep_save(value, connection)
    return f"{connection.ops.compose_sql('%s', [prepared])}::{field.db_type(connection)}"


def unique_sql(field: models.Field) -> str:
    """A value of its own per row for a unique field the benchmark gives none for (a secret, a token)."""
    if isinstance(field, models.UUIDField):
        return "gen_random_uuid()"
    if isinstance(field, models.CharField | models.TextField):
        random = "md5(random()::text || clock_timestamp()::text)"
        return f"substr({random} || {random} || {random}, 1, {field.max_length or 96})"
    raise NoValue(f"{field.model._meta.label}.{field.name} is unique: give the benchmark a value for it")


def insert(model: type[models.Model], given: dict[str, str], source: str, returning: str = "") -> str:
    """``INSERT INTO`` the model's table every column, from ``given`` (column → SQL expression over ``source``)
    or from the model (:func:`default_sql`), ``SELECT … FROM source``; an automatic primary key not given is
    left to its sequence. A given column the table does not have is an error (a renamed field shows at once)."""
    given = dict(given)
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in given:
            expression = given.pop(field.column)
        elif field.primary_key and isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField):
            continue
        else:
            expression = default_sql(field)
        if expression is not None:
            columns.append(field.column)
            values.append(expression)
    if given:
        raise NoValue(f"{model._meta.db_table} has no column {', '.join(sorted(given))}")
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)})\nSELECT {', '.join(values)}\nFROM {source}"
    return f"{sql}\nRETURNING {returning}" if returning else sql
