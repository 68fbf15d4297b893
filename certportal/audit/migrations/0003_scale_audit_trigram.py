"""Trigram indexes for the audit search by person and by object name (``icontains``, a leading wildcard that a
B-tree cannot serve). PostgreSQL only: on SQLite this does nothing."""

from django.db import migrations

INDEXES = [
    ("audit_actor_name_trgm_idx", "(UPPER(actor_name::text)) gin_trgm_ops"),
    ("audit_object_repr_trgm_idx", "(UPPER(object_repr::text)) gin_trgm_ops"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON audit_auditentry USING gin ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_scale_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
