"""Personas of issue 29: Dinas Kesehatan's officer ``oki`` and head ``hana``, Dinas Pendidikan's officer ``otto``,
the Sekretaris Daerah ``sekar``; a scheme and an open funded round giving Dinas Kesehatan 26 places; ``world``:
Dinas Kesehatan's nurses in each certificate state and a teacher of Dinas Pendidikan."""

import datetime
import io

import pytest
from django.utils import translation

from agencies import services
from agencies.models import AgencyMembership, FundedRound, RoundQuota, RoundStatus
from applicants.models import Agency
from certportal.accounts.models import Role
from tests.applicants.factories import make_nip, scheme_with_parts
from tests.factories import UserFactory

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def dinkes(db):
    return Agency.objects.create(name="Dinas Kesehatan")


@pytest.fixture
def disdik(db):
    return Agency.objects.create(name="Dinas Pendidikan")


def member(name: str, email: str, role: str, agency) -> object:
    user = UserFactory(full_name=name, email=email, roles=[role])
    if agency is not None:
        AgencyMembership.objects.create(user=user, agency=agency, position=f"{name}, {agency}")
    return user


@pytest.fixture
def oki(dinkes):
    return member("Oki Officer", "oki@example.go.id", Role.AGENCY_OFFICER, dinkes)


@pytest.fixture
def hana(dinkes):
    return member("Hana Head", "hana@example.go.id", Role.AGENCY_HEAD, dinkes)


@pytest.fixture
def otto(disdik):
    return member("Otto Officer", "otto@example.go.id", Role.AGENCY_OFFICER, disdik)


@pytest.fixture
def sekar(db):
    return member("Sekar Sekda", "sekar@example.go.id", Role.REGIONAL_SECRETARY, None)


@pytest.fixture
def scheme(db):
    return scheme_with_parts()


@pytest.fixture
def funded_round(on_23_november, scheme, dinkes, disdik, lina):
    r = FundedRound.objects.create(name="APBD 2026", fiscal_year=2026, opens_on=TODAY - datetime.timedelta(days=7),
                                   closes_on=TODAY + datetime.timedelta(days=30), status=RoundStatus.OPEN)
    r.schemes.set([scheme])
    RoundQuota.objects.create(round=r, agency=dinkes, places=26)
    RoundQuota.objects.create(round=r, agency=disdik, places=5)
    return r


def person(i: int, **extra) -> dict:
    return {"nip": make_nip(serial=100 + i), "name": f"Pegawai {i:02d}", "email": f"pegawai{i:02d}@example.go.id",
            "education": "S1", "rank": "III/b", **extra}


def workbook(rows: list[list], header=("NIP", "Nama", "Surel", "Pendidikan", "Pangkat (golongan)")) -> io.BytesIO:
    """An XLSX made with openpyxl the way a spreadsheet saves one (NIPs as text unless a test says otherwise)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "usulan.xlsx"
    return out


def propose(officer, funded_round, scheme, people: list[dict]):
    from agencies.importing import Row

    rows = [Row(line=i + 2, **p) for i, p in enumerate(people)]
    return services.cohort_propose(actor=officer, funded_round=funded_round, scheme=scheme, rows=rows, today=TODAY)


@pytest.fixture
def login():
    """``login(user)`` → a client logged in as ``user``, reading the portal in English unless told otherwise."""
    from tests.conftest import client_for

    def _login(user, language: str = "en"):
        if user.preferred_language != language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
        return client_for(user)

    return _login


@pytest.fixture
def world(dinkes, disdik, scheme):
    """Dinas Kesehatan's nurses, one per certificate state, one without any; a teacher of Dinas Pendidikan."""
    from django.utils import timezone

    from agencies.models import PositionNeed
    from assessments.certificates.services.reminders import add_months

    from .people_factory import application, certificate, staff

    today = timezone.localdate()
    people = {name: staff(dinkes, name, "Perawat Ahli") for name in
              ("Rina Valid", "Sari Expiring", "Dedi Suspended", "Eko Expired", "Fajar Withdrawn", "Budi Lacking")}
    certificate(people["Rina Valid"], scheme, issued_on=today - datetime.timedelta(days=30))
    certificate(people["Sari Expiring"], scheme, issued_on=add_months(today, -34))
    certificate(people["Dedi Suspended"], scheme, status="suspended")
    certificate(people["Eko Expired"], scheme, issued_on=add_months(today, -40))
    certificate(people["Fajar Withdrawn"], scheme, status="withdrawn")
    application(people["Budi Lacking"], scheme)
    gina = staff(disdik, "Gina Guru", "Guru Ahli")
    certificate(gina, scheme)
    PositionNeed.objects.create(agency=dinkes, position="Perawat Ahli", scheme=scheme)
    return people
