"""Issue 47: each application carries the agency whose person its applicant is now (``Application.agency``), so
that an agency's lists read their rows off an index. The rule stays ``agencies.roster``'s (the roster while the
person's entry is active, nobody's once it is not, else the agency the profile names), and the stamp follows
every change of its sources: a new application, the profile, a roster entry, an agency's name. At each step the
stamp agrees with the rule read in Python (``verdicts``), and the officer's list shows the person or not."""

import pytest

from agencies.models import RosterEntry, RosterStatus
from agencies.roster import verdicts
from applicants.models import Agency, ApplicantProfile, Application
from assessments.certificates.models import Certificate

from .people_factory import application, certificate, staff

pytestmark = pytest.mark.django_db

BASE = "/perangkat-daerah/pegawai/"


def stamped(app: Application) -> Agency | None:
    """The stamp, after checking that it says what the rule says of the person now."""
    app.refresh_from_db()
    nip = app.applicant.applicant_profile.nip
    ruled = [agency for agency in Agency.objects.all() if verdicts(agency, [nip]).get(nip)]
    assert [app.agency] == (ruled or [None]), f"stamped {app.agency}, the rule says {ruled}"
    held = Certificate.objects.filter(application__applicant=app.applicant_id)  # each takes its application's
    assert {c.number: c.agency_id for c in held} == {c.number: c.application.agency_id for c in held}
    return app.agency


def listed(client, name: str) -> bool:
    return name in client.get(BASE).content.decode().split('data-testid="people-applications"', 1)[1]


def test_the_stamp_follows_the_profile_the_roster_and_the_agency_s_name(dinkes, disdik, scheme, hana, otto, login):
    ana = staff(dinkes, "Ana Arsip", "Arsiparis")
    app = application(ana, scheme)
    held = certificate(ana, scheme)  # her certificate follows its application's stamp (checked by ``stamped``)
    assert held.agency == dinkes
    kesehatan, pendidikan = login(hana), login(otto)
    assert stamped(app) == dinkes and listed(kesehatan, "Ana Arsip") and not listed(pendidikan, "Ana Arsip")

    profile = ana.applicant_profile
    profile.org_unit = "DINAS PENDIDIKAN"  # her own statement, in another case
    profile.save()
    assert stamped(app) == disdik and listed(pendidikan, "Ana Arsip") and not listed(kesehatan, "Ana Arsip")

    entry = RosterEntry.objects.create(nip=profile.nip, name="Ana Arsip", agency=dinkes)  # the roster wins
    assert stamped(app) == dinkes and listed(kesehatan, "Ana Arsip")
    entry.status = RosterStatus.RETIRED
    entry.save()
    assert stamped(app) is None and not listed(kesehatan, "Ana Arsip") and not listed(pendidikan, "Ana Arsip")
    entry.delete()  # the roster lacks her again: her profile decides
    assert stamped(app) == disdik

    disdik.name = "Dinas Pendidikan dan Kebudayaan"
    disdik.save()
    assert stamped(app) is None  # her profile names an agency that is no more
    later = application(ana, scheme)  # a new application is stamped as it is made
    profile.org_unit = disdik.name
    profile.save()
    assert stamped(app) == disdik and stamped(later) == disdik


def test_a_person_s_every_application_moves_and_another_person_s_does_not(dinkes, disdik, scheme):
    budi, citra = staff(dinkes, "Budi", "Perawat"), staff(dinkes, "Citra", "Perawat")
    budis = [application(budi, scheme) for _ in range(3)]
    citras = application(citra, scheme)
    RosterEntry.objects.create(nip=budi.applicant_profile.nip, name="Budi", agency=disdik)
    assert [stamped(a) for a in budis] == [disdik] * 3 and stamped(citras) == dinkes
    profile = citra.applicant_profile
    profile.delete()  # no profile: nobody's
    assert Application.objects.get(pk=citras.pk).agency is None


def test_an_agency_name_and_the_agency_a_profile_names_are_kept_one_spaced(dinkes, disdik, scheme, hana, login):
    """Python's comparison (``verdicts``) and the database's (``iexact``: the stamp, the lists) agree only on the
    same text: a name typed with a double space, a tab or a space at its end is kept with single spaces."""
    ana = staff(dinkes, "Ana Arsip", "Arsiparis")
    app = application(ana, scheme)
    profile = ana.applicant_profile
    profile.org_unit = "  dinas \t KESEHATAN "
    profile.save()
    profile.refresh_from_db()
    assert profile.org_unit == "dinas KESEHATAN"
    assert stamped(app) == dinkes and listed(login(hana), "Ana Arsip")
    disdik.name = " Dinas   Pendidikan\n"
    disdik.save()
    disdik.refresh_from_db()
    assert disdik.name == "Dinas Pendidikan"


def test_the_migration_keeps_the_names_one_spaced_and_stamps_the_profiles_it_changed(dinkes, disdik, scheme):
    """Names and profiles written before (or past ``save``) with odd spaces: the migration makes them single-spaced
    and stamps the applications of the people concerned by the rule; a name that would become another agency's is
    left for the LSP admin to merge."""
    import importlib

    from django.apps import apps
    from django.db import connection

    class Editor:
        def execute(self, sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    ana, budi = staff(dinkes, "Ana Arsip", "Arsiparis"), staff(disdik, "Budi Guru", "Guru")
    ana_app, budi_app = application(ana, scheme), application(budi, scheme)
    ApplicantProfile.objects.filter(user=ana).update(org_unit="Dinas  Kesehatan ")
    Agency.objects.filter(pk=disdik.pk).update(name="Dinas   Pendidikan")  # Budi's profile no longer matches it
    twin = Agency.objects.create(name="Dinas Sosial")
    Agency.objects.filter(pk=twin.pk).update(name="Dinas Sosial ")
    Agency.objects.create(name="Dinas Sosial")
    Application.objects.filter(pk__in=[ana_app.pk, budi_app.pk]).update(agency=None)  # as the stamp was left

    migration = importlib.import_module("agencies.migrations.0010_one_spaced_agency_names")
    migration.normalise(apps, Editor())

    assert ApplicantProfile.objects.get(user=ana).org_unit == "Dinas Kesehatan"
    assert Agency.objects.get(pk=disdik.pk).name == "Dinas Pendidikan"
    assert Agency.objects.get(pk=twin.pk).name == "Dinas Sosial "
    assert stamped(ana_app) == dinkes and stamped(budi_app) == disdik
