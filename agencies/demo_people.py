"""Demo of the agency's view of its people (issue 29 item 5): the holders of the assessments demo work at Dinas
Kesehatan now (their profiles name it: a valid certificate, a suspended one, an expired one, one withdrawn and
replaced by a correction, two who failed), a participant of the next event at Dinas Pendidikan, and what two
positions of Dinas Kesehatan need, so the competence map shows who holds the scheme and who lacks it.

Each of them, and each person the agencies' demo proposes, is on the demo's roster at their agency (issue 42).

Runs after the assessments demo (``agencies`` comes later in ``INSTALLED_APPS``); idempotent."""

from __future__ import annotations

from applicants.models import Agency, ApplicantProfile
from certportal.accounts.models import User
from schemes.models import Scheme

from .models import PositionNeed, RosterEntry, RosterSource
from .roster import restamp

ANALYST, CLERK, TEACHER = "Analis Pelayanan Kesehatan", "Penata Layanan Operasional", "Guru Ahli Pertama"
# e-mail of an assessments demo applicant -> (agency, position)
WHERE = {
    "asesi.andi@demo.go.id": ("Dinas Kesehatan", ANALYST),  # valid certificate
    "asesi.maya@demo.go.id": ("Dinas Kesehatan", ANALYST),  # suspended
    "asesi.lestari@demo.go.id": ("Dinas Kesehatan", ANALYST),  # not competent yet, appealing
    "asesi.yusuf@demo.go.id": ("Dinas Kesehatan", CLERK),  # expired
    "asesi.dewi@demo.go.id": ("Dinas Kesehatan", CLERK),  # withdrawn, replaced by a correction (valid)
    "asesi.rudi@demo.go.id": ("Dinas Kesehatan", CLERK),  # not competent
    "asesi.nina@demo.go.id": ("Dinas Pendidikan", TEACHER),  # named for the next event
}
NEEDS = [("Dinas Kesehatan", ANALYST), ("Dinas Kesehatan", CLERK), ("Dinas Pendidikan", TEACHER)]


def load(stdout, *, scheme_code: str, admin) -> None:
    scheme = Scheme.objects.filter(code=scheme_code, is_current=True).first()
    if scheme is None:
        return
    moved = 0
    for email, (agency_name, position) in WHERE.items():
        moved += ApplicantProfile.objects.filter(user__email=email).exclude(
            org_unit=agency_name, position=position).update(org_unit=agency_name, position=position)
        profile = ApplicantProfile.objects.filter(user__email=email).first()
        if profile is not None:  # the roster says so too (issue 42: it decides whose person a NIP is)
            roster_entry(profile.nip, profile.full_name, Agency.objects.get_or_create(name=agency_name)[0],
                         position=position, rank=profile.rank, education=profile.education)
    restamp(users=ApplicantProfile.objects.filter(user__email__in=WHERE).values("user_id"))  # moved in bulk above
    for agency_name, position in NEEDS:
        agency = Agency.objects.get_or_create(name=agency_name)[0]
        PositionNeed.objects.get_or_create(agency=agency, position=position, scheme=scheme,
                                           defaults={"created_by": admin if isinstance(admin, User) else None})
    stdout.write(f"agencies: the people of Dinas Kesehatan and Dinas Pendidikan ({moved} profiles placed), "
                 f"{len(NEEDS)} positions' needs")


def roster_entry(nip: str, name: str, agency, **fields) -> RosterEntry:
    """The demo's stand-in for the BKPSDM's roster (a later import fills it from SIASN)."""
    return RosterEntry.objects.update_or_create(nip=nip, defaults={
        "name": name, "agency": agency, "source": RosterSource.DEMO, **fields})[0]


ROSTER_FILE = "siasn_data_utama_contoh.xlsx"
ROSTER_PEOPLE = 60


def import_roster(stdout, *, admin) -> None:
    """The province's roster as imported from SIASN (issue 48): 60 synthetic civil servants of eight agencies, read,
    previewed and applied through the import's own job (``agencies.roster_jobs``), so the roster page shows an
    import, its result and each person's history. Once: a second demo run finds the import applied."""
    from . import roster_jobs, roster_sample
    from .models import RosterImport

    if not isinstance(admin, User) or RosterImport.objects.filter(filename=ROSTER_FILE, status="applied").exists():
        return
    job = roster_jobs.start(data=roster_sample.xlsx_bytes(roster_sample.rows(ROSTER_PEOPLE)), filename=ROSTER_FILE,
                            actor=admin)
    roster_jobs.run(job.pk)  # the worker's part, here (a queued task finds it done and leaves it)
    job.refresh_from_db()
    if job.status == "done":
        roster_jobs.confirm(job, actor=admin)
        roster_jobs.run(job.pk)
        job.refresh_from_db()
    stdout.write(f"agencies: roster imported from {ROSTER_FILE}: {job.result or job.error or job.status}")
