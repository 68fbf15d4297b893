"""Demo of issue 29: two agencies with their officers and heads, the Sekretaris Daerah, an open funded round with
places per agency, a cohort Dinas Kesehatan has proposed (its letters signed) and one of Dinas Pendidikan waiting
for the Sekretaris Daerah's recommendation. Idempotent (keyed on the round's name)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from applicants.models import Agency
from certportal.accounts import demo as demo_accounts
from certportal.accounts.models import Role, User, UserRole
from certportal.workflow import transition
from schemes.models import Scheme

from . import demo_people, services
from .importing import Row
from .letters import demo as letters_demo
from .models import FundedRound

SCHEME_CODE = "SS-02/LSP-BPSDM DKI/2017"

# (e-mail, name, role, agency, position); the first two of each role are made by load_demo too
PEOPLE = [
    ("pengelola.dinkes@demo.go.id", "Nurul Hidayah, S.KM.", Role.AGENCY_OFFICER, "Dinas Kesehatan",
     "Pengelola Kepegawaian Dinas Kesehatan"),
    ("kepala.dinkes@demo.go.id", "dr. Hartono Wibisono, M.Kes.", Role.AGENCY_HEAD, "Dinas Kesehatan",
     "Kepala Dinas Kesehatan"),
    ("pengelola.disdik@demo.go.id", "Yuliana Putri, S.Pd.", Role.AGENCY_OFFICER, "Dinas Pendidikan",
     "Pengelola Kepegawaian Dinas Pendidikan"),
    ("kepala.disdik@demo.go.id", "Dr. Ratna Sari Dewi, M.Pd.", Role.AGENCY_HEAD, "Dinas Pendidikan",
     "Kepala Dinas Pendidikan"),
]
QUOTAS = {"Dinas Kesehatan": 30, "Dinas Pendidikan": 20, "Dinas Perhubungan": 10}
# agency -> (the officer who proposes, the people proposed). Dinas Kesehatan's cohort has its four letters signed;
# Dinas Pendidikan's has its head's three and still waits for the Sekretaris Daerah's recommendation.
COHORTS = {
    "Dinas Kesehatan": ("pengelola.dinkes@demo.go.id", [
        ("198703122010012004", "Ns. Ratih Purnamasari, S.Kep.", "ratih.purnamasari@demo.go.id"),
        ("198511052009011002", "Andri Kurniawan, S.KM.", "andri.kurniawan@demo.go.id"),
        ("199001172014022001", "drg. Melati Anggraini", "melati.anggraini@demo.go.id"),
    ]),
    "Dinas Pendidikan": ("pengelola.disdik@demo.go.id", [
        ("198804152011012003", "Sri Wahyuni, S.Pd.", "sri.wahyuni@demo.go.id"),
        ("198609232010011005", "Bambang Setiawan, S.Pd.", "bambang.setiawan@demo.go.id"),
    ]),
}


def _person(email: str, name: str, role: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={
        "full_name": name, "email_verified_at": timezone.now(), "data_consent_at": timezone.now()})
    if created or not user.password:
        demo_accounts.set_password(user)
        user.save(update_fields=["password"])
    UserRole.objects.get_or_create(user=user, role=role)
    return user


def load(stdout) -> None:
    scheme = Scheme.objects.filter(code=SCHEME_CODE, is_current=True).first()
    admin = User.objects.filter(email="admin.lsp@demo.go.id").first()
    if scheme is None or admin is None:
        stdout.write("agencies: reference scheme or LSP admin missing; no demo round")
        return
    for email, name, role, agency_name, position in PEOPLE:
        user = _person(email, name, role)
        agency, _ = Agency.objects.get_or_create(name=agency_name)
        services.membership_save(actor=admin, user=user, agency=agency, position=position)
    _person("sekda@demo.go.id", "Drs. Syamsul Bahri, M.Si.", Role.REGIONAL_SECRETARY)
    letters_demo.issue_keys(stdout)
    demo_people.load(stdout, scheme_code=SCHEME_CODE, admin=admin)
    demo_people.import_roster(stdout, admin=admin)
    for agency_name, (_officer, people) in COHORTS.items():  # the people proposed are on the demo's roster
        agency = Agency.objects.get_or_create(name=agency_name)[0]
        for nip, person_name, _email in people:
            demo_people.roster_entry(nip, person_name, agency, rank="III/b", education="S1")
    today = timezone.localdate()
    name = f"Sertifikasi Kompetensi APBD {today.year}"
    if FundedRound.objects.filter(name=name).exists():
        stdout.write("agencies: demo round present")
        return
    funded_round = services.round_save(actor=admin, name=name, fiscal_year=today.year, schemes=[scheme],
                                       opens_on=today - datetime.timedelta(days=14),
                                       closes_on=today + datetime.timedelta(days=60))
    services.round_set_quotas(funded_round, actor=admin, places={
        Agency.objects.get_or_create(name=n)[0]: places for n, places in QUOTAS.items()})
    transition(funded_round, "opened", user=admin)
    proposed = 0
    for officer_email, people in COHORTS.values():
        rows = [Row(line=i, nip=nip, name=n, email=e, education="S1", rank="III/b")
                for i, (nip, n, e) in enumerate(people, start=2)]
        cohort = services.cohort_propose(actor=User.objects.get(email=officer_email), funded_round=funded_round,
                                         scheme=scheme, rows=rows, today=today)
        letters_demo.sign(cohort, stdout)
        proposed += len(rows)
    stdout.write(f"agencies: round “{name}” open with {sum(QUOTAS.values())} places; {proposed} staff proposed in "
                 f"{len(COHORTS)} cohorts")
