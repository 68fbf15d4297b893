"""Fill ``Certificate.agency`` (assessments 0038) from the certificate's application (``Application.agency``, the
rule of ``agencies.roster``, filled by 0007). From now on ``agencies.roster.restamp`` keeps it with the
application's; a certificate imported from the LSP's paper register has no application here and no agency."""

from django.db import migrations

STAMP = """
UPDATE assessments_certificate SET agency_id = (
  SELECT a.agency_id FROM applicants_application a WHERE a.id = assessments_certificate.application_id)
WHERE application_id IS NOT NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0010_one_spaced_agency_names"),
        ("assessments", "0038_certificate_agency"),
    ]

    operations = [migrations.RunSQL(STAMP, migrations.RunSQL.noop, elidable=True)]
