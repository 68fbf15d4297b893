"""Trigram indexes for the queue's search (issue 17): the name and unit are searched with ``icontains``
(``UPPER(col) LIKE UPPER('%term%')``) and the NIP with ``startswith`` (``nip LIKE 'term%'``); a B-tree cannot
serve a leading wildcard, a GIN trigram index serves both. PostgreSQL only: on SQLite this does nothing."""

from django.db import migrations

INDEXES = [
    ("app_name_trgm_idx", "(UPPER(applicant_name::text)) gin_trgm_ops"),
    ("app_unit_trgm_idx", "(UPPER(org_unit::text)) gin_trgm_ops"),
    ("app_nip_trgm_idx", "nip gin_trgm_ops"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON applicants_application USING gin ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("applicants", "0003_queue_deadline")]
    operations = [migrations.RunPython(create, drop)]
