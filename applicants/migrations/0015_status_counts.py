"""The applications counted per scheme, unit and status, kept by triggers (:class:`applicants.models.StatusCount`).

PostgreSQL only: a trigger function adds one to the new (scheme, unit, status) and takes one from the old, after
each insert and delete, and after an update that changes one of the three; the table is filled from the
applications in the same migration. On SQLite the table stays empty and unused."""

import django.db.models.deletion
from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION applicants_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE applicants_statuscount SET n = n - 1
         WHERE scheme_id = OLD.scheme_id AND org_unit = OLD.org_unit AND status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO applicants_statuscount (scheme_id, org_unit, status, n)
             VALUES (NEW.scheme_id, NEW.org_unit, NEW.status, 1)
        ON CONFLICT (scheme_id, org_unit, status) DO UPDATE SET n = applicants_statuscount.n + 1;
    END IF;
    RETURN NULL;
END $$"""
TRIGGERS = [
    "CREATE TRIGGER applicants_status_count_rows AFTER INSERT OR DELETE ON applicants_application "
    "FOR EACH ROW EXECUTE FUNCTION applicants_status_count()",
    # a save() writes every column: only a real change of the three moves a count
    "CREATE TRIGGER applicants_status_count_change AFTER UPDATE OF status, scheme_id, org_unit "
    "ON applicants_application FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.scheme_id IS DISTINCT FROM NEW.scheme_id OR OLD.org_unit IS DISTINCT FROM NEW.org_unit) "
    "EXECUTE FUNCTION applicants_status_count()",
]
FILL = """
INSERT INTO applicants_statuscount (scheme_id, org_unit, status, n)
SELECT scheme_id, org_unit, status, count(*) FROM applicants_application GROUP BY scheme_id, org_unit, status"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("LOCK TABLE applicants_application IN SHARE ROW EXCLUSIVE MODE")  # no change unseen
    schema_editor.execute(FUNCTION)
    for sql in TRIGGERS:
        schema_editor.execute(sql)
    schema_editor.execute(FILL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("applicants_status_count_rows", "applicants_status_count_change"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON applicants_application")
    schema_editor.execute("DROP FUNCTION IF EXISTS applicants_status_count()")


class Migration(migrations.Migration):

    dependencies = [
        ('applicants', '0014_name_word_search'),
        ('schemes', '0009_evaluation_readings'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatusCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('org_unit', models.CharField(blank=True, max_length=200)),
                ('status', models.CharField(max_length=20)),
                ('n', models.BigIntegerField(default=0)),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schemes.scheme')),
            ],
            options={
                'indexes': [models.Index(fields=['org_unit'], name='status_count_unit_idx')],
                'constraints': [models.UniqueConstraint(fields=('scheme', 'org_unit', 'status'), name='status_count_key')],
            },
        ),
        migrations.RunPython(create, drop),
    ]
