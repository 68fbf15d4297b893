"""Trigram indexes on the people's names and e-mails (``icontains``, a leading wildcard that a B-tree cannot serve).

The audit search by a person's name first finds the matching accounts here, a small table, then their entries through
the audit trail's (actor, time) index (issue 28); without these a search read all users (a Seq Scan: 87 ms at
100,000 accounts). PostgreSQL only: on SQLite this does nothing."""

from django.db import migrations

INDEXES = [
    ("accounts_user_name_trgm_idx", "(UPPER(full_name::text)) gin_trgm_ops"),
    ("accounts_user_email_trgm_idx", "(UPPER(email::text)) gin_trgm_ops"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON accounts_user USING gin ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_agency_roles")]
    operations = [migrations.RunPython(create, drop)]
