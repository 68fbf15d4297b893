"""Agency names and the agency a profile names kept with one space between words and none at either end
(``applicants.models.one_spaced``, from now on on every save), so that the database's comparison (``iexact``) and
``agencies.roster.verdicts`` agree; the applications of the profiles changed are stamped again by the rule, in the
SQL of 0007. A name that would become another agency's existing name is left as it is (two rows for one agency are
the LSP admin's to merge)."""

from django.db import migrations

STAMP = """
UPDATE applicants_application SET agency_id = (
  SELECT CASE WHEN EXISTS (SELECT 1 FROM agencies_rosterentry r WHERE r.nip = p.nip)
    THEN (SELECT r.agency_id FROM agencies_rosterentry r WHERE r.nip = p.nip AND r.status = 'active')
    ELSE (SELECT g.id FROM applicants_agency g WHERE UPPER(g.name) = UPPER(p.org_unit) ORDER BY g.id LIMIT 1) END
  FROM applicants_applicantprofile p WHERE p.user_id = applicants_application.applicant_id)
WHERE applicant_id IN ({users})
"""
ODD = r"(^\s|\s$|\s\s|[\t\n\r])"  # a run of white space, or white space at either end


def one_spaced(text: str) -> str:
    return " ".join((text or "").split())


def normalise(apps, schema_editor):
    agency, profile = apps.get_model("applicants", "Agency"), apps.get_model("applicants", "ApplicantProfile")
    taken, renamed = set(agency.objects.values_list("name", flat=True)), []
    for row in agency.objects.filter(name__regex=ODD):
        if one_spaced(row.name) not in taken:
            taken.add(one_spaced(row.name))
            renamed.append(one_spaced(row.name))
            agency.objects.filter(pk=row.pk).update(name=one_spaced(row.name))
    users = set()
    for row in profile.objects.filter(org_unit__regex=ODD).only("pk", "user_id", "org_unit"):
        profile.objects.filter(pk=row.pk).update(org_unit=one_spaced(row.org_unit))
        users.add(row.user_id)
    for name in renamed:  # the people who name a renamed agency: their profile now matches it
        users |= set(profile.objects.filter(org_unit__iexact=name).values_list("user_id", flat=True))
    users = sorted(users)
    for start in range(0, len(users), 1000):
        batch = users[start:start + 1000]
        schema_editor.execute(STAMP.format(users=", ".join(["%s"] * len(batch))), batch)


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0009_proposal_cohort_one_index"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
