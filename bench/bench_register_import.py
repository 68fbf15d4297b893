"""Benchmark: importing the LSP's certificate register (20,000 certificates), and the pages after it.

    .venv/bin/python bench/bench_register_import.py [--certificates 20000] [--repeat 3]
    .venv/bin/python bench/bench_register_import.py --tiny    # 200 certificates, one run (the CI's run)

Builds its data in a throwaway PostgreSQL database (``cp_bench_register_<pid>``, see ``bench/_db.py``): the
Pelayanan Prima scheme of the reference data, an LSP admin, and a register workbook (XLSX, the columns of
``fixtures/adoption/register_sertifikat.csv``) of ``--certificates`` synthetic certificates over four years, a
tenth of whose holders have an account in the portal. Then, through the portal's own services, as the worker and
the LSP admin would:

* reading and checking the workbook (the background job's work), and importing it: from the LSP admin's click
  (the "confirmed" transition, whose commit hands the task to the worker: run in-process here, through the outbox's
  real ``on_commit``) to the job applied (the rows checked again, then written in one transaction);
* reading the same workbook again (every row "already imported") and importing it (nothing new);
* the LSP admin's certificate list (first page and a search) and a public verification (page and JSON), before
  the import (an empty register) and after it: the median of ``--repeat`` requests each.

Exit status 1 when a certificate is imported twice, a count is wrong, or the portal's next number does not follow
the register's highest number of its year. The database is dropped at the end.
"""

import argparse
import datetime
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import run_in_process, timed  # noqa: E402

HEADER = ["Nomor Sertifikat", "Nama", "NIP", "Kode Skema", "Versi Skema", "Unit Kompetensi", "Tanggal Terbit",
          "Berlaku Sampai", "Status", "Nomor Blanko", "Nomor Registrasi BNSP"]
NAMES = ["Siti Rahmawati, S.E.", "Budi Santoso, S.Sos.", "Dewi Lestari, S.H.", "Agus Pratama, S.T.",
         "Rina Marlina, S.Kom.", "Hendra Gunawan, M.Si.", "Yuni Astuti, S.AP.", "Fajar Nugroho, S.I.Kom."]


def nip(i: int) -> str:
    """A NIP the portal accepts: born 1970-1994, appointed at 25, gender, a serial from 001."""
    born = datetime.date(1970 + i % 25, 1 + i % 12, 1 + i % 28)
    return f"{born:%Y%m%d}{born.year + 25}{1 + i % 12:02d}{1 + i % 2}{1 + i % 999:03d}"


def workbook(count: int, scheme, today: datetime.date) -> bytes:
    """The register: ``count`` certificates numbered per year from 1, issued over the four years to ``today``."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Register")
    sheet.append(HEADER)
    per_year, seq = {}, 0
    for i in range(count):
        year = today.year - 3 + i * 4 // count
        seq = per_year[year] = per_year.get(year, 0) + 1
        issued = datetime.date(year, 1 + seq % 10, 1 + seq % 28)
        status = "Dibekukan" if i % 97 == 0 else "Dicabut" if i % 193 == 0 else "Berlaku"
        sheet.append([f"{seq:05d}/SKK/LSP-BPSDM/{year}", NAMES[i % len(NAMES)], nip(i), scheme.code,
                      scheme.version, "", issued, datetime.date(year + 3, issued.month, issued.day), status,
                      f"{i + 1:07d}", f"{scheme.code[:5]} {year} {i + 1:07d}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def accounts(count: int) -> None:
    """A tenth of the holders have an account in the portal (linked by NIP on import)."""
    from applicants.models import ApplicantProfile
    from certportal.accounts.models import Role, User, UserRole

    users = User.objects.bulk_create([User(email=f"holder{i}@bench.go.id", full_name=NAMES[i % len(NAMES)],
                                           password="!") for i in range(0, count, 10)], batch_size=2000)
    UserRole.objects.bulk_create([UserRole(user=u, role=Role.APPLICANT) for u in users], batch_size=2000)
    ApplicantProfile.objects.bulk_create([
        ApplicantProfile(user=u, nip=nip(i), full_name=u.full_name, birth_place="Jakarta",
                         birth_date=datetime.date(1970 + i % 25, 1 + i % 12, 1 + i % 28), gender=str(1 + i % 2),
                         employment_status="pns", org_unit="Badan Kepegawaian Daerah", position="Analis",
                         rank="III/c", education="S1", years_of_service=10)
        for u, i in zip(users, range(0, count, 10), strict=True)], batch_size=2000)


def pages(client, repeat: int) -> dict:
    from django.urls import reverse

    from assessments.certificates.models import Certificate

    code = Certificate.objects.values_list("verification_code", flat=True).first()
    urls = {"list": reverse("assessments:certificates"), "search": reverse("assessments:certificates") + "?q=Siti"}
    if code:
        urls["verify page"] = reverse("assessments:verify-code", args=[code])
        urls["verify JSON"] = reverse("assessments:verify-json", args=[code])
    return {name: timed(lambda u=url: client.get(u), repeat) for name, url in urls.items()}


def one_import(data: bytes, admin, today) -> tuple[dict, float, float]:
    """(counts, seconds to read and check, seconds from the click "Import" to the job applied) of one upload through
    the job's services."""
    from django.core.files.base import ContentFile

    from assessments.certificates.register_models import RegisterImport
    from assessments.certificates.services import register_jobs

    job = RegisterImport(filename="register.xlsx", created_by=admin, language="id")
    job.file.save("register.xlsx", ContentFile(data), save=False)
    job.save()
    started = time.perf_counter()
    job = register_jobs.register_run(job.pk)
    read = time.perf_counter() - started
    if job.status != RegisterImport.Status.DONE:
        raise SystemExit(f"the register was not read: {job.error}")
    started = time.perf_counter()
    register_jobs.register_confirm(job, actor=admin)  # the click: its commit hands the task on (in-process here)
    register_jobs.register_write(job.pk)  # the worker's function, should the outbox not have run it: then a no-op
    job.refresh_from_db()
    if job.status != RegisterImport.Status.APPLIED:
        raise SystemExit(f"the register was not imported: {job.status} {job.error}")
    return job.counts, read, time.perf_counter() - started


def run(args) -> int:
    from django.test import Client
    from django.utils import timezone

    from assessments.certificates.models import Certificate, CertificateSequence
    from assessments.certificates.services.issue import next_certificate_number
    from certportal.accounts.models import Role, User, UserRole
    from schemes.models import Scheme
    from schemes.reference import load_pelayanan_prima

    load_pelayanan_prima()
    scheme = Scheme.objects.get(code__startswith="SS-02", is_current=True)
    admin = User.objects.create(email="lina@bench.go.id", full_name="Lina", password="!")
    UserRole.objects.create(user=admin, role=Role.LSP_ADMIN)
    accounts(args.certificates)
    today = timezone.localdate()
    data = workbook(args.certificates, scheme, today)
    client = Client()
    client.force_login(admin)
    before = pages(client, args.repeat)
    print(f"register: {args.certificates} certificates, {len(data) / 1024:.0f} KB XLSX")
    first, read, applied = one_import(data, admin, today)
    print(f"first import:  read and checked {read:7.2f} s, imported {applied:7.2f} s  {first}")
    again, read2, applied2 = one_import(data, admin, today)
    print(f"second import: read and checked {read2:7.2f} s, imported {applied2:7.2f} s  {again}")
    after = pages(client, args.repeat)
    for name, seconds in after.items():
        was = before.get(name)
        print(f"{name:12s} before {was * 1000 if was else float('nan'):8.1f} ms   after {seconds * 1000:8.1f} ms")
    return _verdict(args.certificates, first, again, Certificate, CertificateSequence, next_certificate_number,
                    today)


def _verdict(count, first, again, Certificate, CertificateSequence, next_number, today) -> int:  # noqa: N803
    from django.db import transaction

    problems = []
    if Certificate.objects.count() != count or first["new"] != count or again["new"] != 0:
        problems.append(f"{Certificate.objects.count()} certificates for {count} rows ({first}, {again})")
    if first["linked"] or again["unchanged"] != count:
        problems.append(f"unexpected counts: {first} then {again}")
    highest = Certificate.objects.filter(year=today.year).order_by("-sequence").values_list("sequence", flat=True)[0]
    with transaction.atomic():
        seq, number = next_number(today)
        transaction.set_rollback(True)
    if seq != highest + 1:
        problems.append(f"the next number is {number}, not {highest + 1} of {today.year}")
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="200 certificates, one run of each (the CI's run)")
    args = parser.parse_args()
    if args.tiny:
        args.certificates, args.repeat = 200, 1
    run_in_process("cp_bench_register", run, args)


if __name__ == "__main__":
    main()
