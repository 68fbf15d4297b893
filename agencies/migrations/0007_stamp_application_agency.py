"""Fill ``Application.agency`` (applicants 0020) by the rule of ``agencies.roster``: the roster's agency while the
person's entry is active (nobody's once it is not), else, for a NIP the roster lacks, the agency the profile names
(case aside). From now on ``agencies.roster.restamp`` keeps it on every change."""

from django.db import migrations

STAMP = """
UPDATE applicants_application SET agency_id = (
  SELECT CASE WHEN EXISTS (SELECT 1 FROM agencies_rosterentry r WHERE r.nip = p.nip)
    THEN (SELECT r.agency_id FROM agencies_rosterentry r WHERE r.nip = p.nip AND r.status = 'active')
    ELSE (SELECT g.id FROM applicants_agency g WHERE UPPER(g.name) = UPPER(p.org_unit) ORDER BY g.id LIMIT 1) END
  FROM applicants_applicantprofile p WHERE p.user_id = applicants_application.applicant_id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0006_roster_import_claim"),
        ("applicants", "0020_application_agency"),
    ]

    operations = [migrations.RunSQL(STAMP, migrations.RunSQL.noop, elidable=True)]
