"""Benchmark: certificate PDFs.

    .venv/bin/python bench/bench_assessments_pdf.py [--participants 500] [--repeat 7]

Builds its data in a throwaway PostgreSQL database (``cp_bench_assess_<pid>`` on the server of DATABASE_URL,
default postgres://postgres@127.0.0.1:5432; SQLite in a temporary folder when no server answers) and prints:

1. one certificate's render time (A4 landscape, units table, QR code, embedded fonts) next to WeasyPrint
   rendering a minimal one-page document in the same run — goal: ratio <= 2. It is printed twice: as the
   portal renders certificates once a process has drawn the scheme's layer (the usual case: every
   certificate of a scheme after the first), and for the first certificate of a scheme in a process, which
   also draws the scheme's layer (see ``assessments.certificates.certificates_pdf``);
2. a 500-participant event printed as ONE PDF with one process (one document) and with two worker processes
   (two contiguous halves, each one document in its own process, merged with pypdf) — goal: >= 1.7x faster
   with two.

The database is dropped at the end.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import create_database, drop_database, timed  # noqa: E402


def build(n: int) -> list[int]:
    """A scheme with the 7 units of seed 000, an event, ``n`` participants decided K, each with a certificate."""
    from django.utils import timezone

    from applicants.models import Application
    from assessments.certificates import add_years, new_verification_code
    from assessments.models import Certificate, Event, Participant
    from certportal.accounts.models import User
    from schemes.models import Scheme, SchemeUnit, TestSite, Unit

    scheme = Scheme.objects.create(code="SS-02/LSP-BPSDM DKI/2017", name="Pelayanan Prima", kind="occupation")
    titles = ["Mengaplikasikan Keterampilan Dasar Komunikasi",
              "Melakukan Komunikasi Lisan dalam Bahasa Inggris pada Tingkat Operasional",
              "Menerapkan Kerjasama dengan Kolega dan Pelanggan", "Memberikan Layanan Kepada Pelanggan",
              "Mengelola Layanan Pelanggan Berkualitas", "Memenuhi Kebutuhan Pelanggan", "Menerapkan Etika Profesi"]
    units = []
    for i, title in enumerate(titles):
        unit = Unit.objects.create(code=f"N.821100.{i + 28:03d}.02", sector="N", field="821100",
                                   number=f"{i + 28:03d}", version=2, title=title)
        SchemeUnit.objects.create(scheme=scheme, unit=unit, position=i + 1)
        units.append({"code": unit.code, "title": title, "result": "K", "explanation": ""})
    site = TestSite.objects.create(registration_number="TUK-BENCH", name="TUK Sewaktu BPSDM Provinsi DKI Jakarta")
    event = Event.objects.create(scheme=scheme, test_site=site, starts_at=timezone.now())
    users = User.objects.bulk_create([User(email=f"p{i}@bench.go.id", full_name=f"Peserta {i}", password="!")
                                      for i in range(n)])
    apps = Application.objects.bulk_create([
        Application(applicant=u, scheme=scheme, status="certified", applicant_name=f"Peserta Uji Nomor {i}, S.Sos.",
                    nip=f"19850314201001{i:04d}", org_unit="Dinas Penanaman Modal dan PTSP")
        for i, u in enumerate(users)])
    parts = Participant.objects.bulk_create([Participant(event=event, application=a, decision="K") for a in apps])
    today = timezone.localdate()
    certs = Certificate.objects.bulk_create([
        Certificate(participant=p, application=a, number=f"{i + 1:05d}/SKK/LSP-BPSDM/{today.year}", year=today.year,
                    sequence=i + 1, verification_code=new_verification_code(), issued_on=today,
                    expires_on=add_years(today, 3), holder_name=a.applicant_name, holder_nip=a.nip,
                    holder_unit=a.org_unit, scheme_code=scheme.code, scheme_name=scheme.name,
                    snapshot={"units": units, "test_site": site.name, "validity_years": 3,
                              "holder": {"name": a.applicant_name}})
        for i, (p, a) in enumerate(zip(parts, apps, strict=True))])
    if not certs[0].pk:  # backends without RETURNING
        return list(Certificate.objects.order_by("sequence").values_list("pk", flat=True))
    return [c.pk for c in certs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    url, admin = create_database("cp_bench_assess")
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "certportal.settings.dev", "DEBUG": "false",
                       "LOG_LEVEL": "WARNING"})
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        run(args)
    finally:
        drop_database(url, admin)


def run(args) -> None:
    from pypdf import PdfReader
    from weasyprint import HTML

    from assessments import certificates as certs
    from assessments.models import Certificate

    ids = build(args.participants)
    cert = Certificate.objects.get(pk=ids[0])
    minimal = "<html><body><h1>Sertifikat</h1><p>Dokumen satu halaman.</p></body></html>"
    HTML(string=minimal).write_pdf()  # warm-up (font config, imports)
    certs.certificate_pdf(cert)
    from certportal.pdf import render_pdf

    render_pdf("assessments/pdf/minimal.html", {})
    # Interleaved rounds so that load from other processes hits all of them alike. "First of its scheme" is a
    # certificate rendered with the process's cache of scheme layers empty (a new worker's first page).
    bare, portal, one, cold = [], [], [], []
    for _ in range(args.repeat):
        bare.append(timed(lambda: HTML(string=minimal).write_pdf(), 1))
        portal.append(timed(lambda: render_pdf("assessments/pdf/minimal.html", {}), 1))
        one.append(timed(lambda: certs.certificate_pdf(cert), 1))
        certs.backgrounds.clear()
        cold.append(timed(lambda: certs.certificate_pdf(cert), 1))
    bare, portal, one, cold = (statistics.median(x) for x in (bare, portal, one, cold))
    print(f"Minimal one-page WeasyPrint document (system font)   : {bare * 1000:8.1f} ms (median of {args.repeat})")
    print(f"Minimal one-page document, portal PDF base and fonts : {portal * 1000:8.1f} ms")
    print(f"One certificate (A4 landscape, units, QR)            : {one * 1000:8.1f} ms")
    print(f"One certificate, first of its scheme in the process  : {cold * 1000:8.1f} ms")
    print(f"  ratio certificate / minimal (system font)          : {one / bare:8.2f}  (goal <= 2)")
    print(f"  ratio certificate / minimal (portal fonts)         : {one / portal:8.2f}")
    print(f"  ratio first of its scheme / minimal (system font)  : {cold / bare:8.2f}")

    cpu0 = os.times()
    started = time.perf_counter()
    pdf1 = certs.render_many("certificates", ids, processes=1)
    t1 = time.perf_counter() - started
    cpu1 = os.times()
    started = time.perf_counter()
    pdf2 = certs.render_many("certificates", ids, processes=2)
    t2 = time.perf_counter() - started
    cpu2 = os.times()
    started = time.perf_counter()
    certs.merge_pdfs([pdf1])
    merge = time.perf_counter() - started
    print(f"CPU seconds used: 1 process {cpu1.user - cpu0.user:.1f}, 2 processes "
          f"{(cpu2.user - cpu1.user) + (cpu2.children_user - cpu1.children_user):.1f}; "
          f"merging {len(ids)} pages once: {merge:.2f} s; load average {os.getloadavg()[0]:.1f}")
    pages1, pages2 = len(PdfReader(__import__("io").BytesIO(pdf1)).pages), len(
        PdfReader(__import__("io").BytesIO(pdf2)).pages)
    print(f"{len(ids)}-participant event, 1 process : {t1:8.2f} s  ({pages1} pages, {len(pdf1) / 1e6:.1f} MB)")
    print(f"{len(ids)}-participant event, 2 processes: {t2:8.2f} s  ({pages2} pages, {len(pdf2) / 1e6:.1f} MB)")
    print(f"  speed-up with two processes        : {t1 / t2:8.2f}x (goal >= 1.7; {os.cpu_count()} CPUs here)")
    print(f"  date: {datetime.date.today().isoformat()}")


if __name__ == "__main__":
    main()
