"""Benchmark: certificate PDFs.

    .venv/bin/python bench/bench_assessments_pdf.py [--participants 500] [--repeat 7]
    .venv/bin/python bench/bench_assessments_pdf.py --tiny    # 4 participants, seconds (the CI's run)

Builds its data in a throwaway PostgreSQL database (``cp_bench_assess_<pid>`` on the server of DATABASE_URL,
default postgres://postgres@127.0.0.1:5432; SQLite in a temporary folder when no server answers) and prints:

1. one certificate's render time (A4 landscape, units table, QR code, embedded fonts) next to WeasyPrint
   rendering a minimal one-page document in the same run — goal: ratio <= 2. It is printed twice: as the
   portal renders certificates once a process has drawn the scheme's layer (the usual case: every
   certificate of a scheme after the first), and for the first certificate of a scheme in a process, which
   also draws the scheme's layer (see ``assessments.certificates.certificates_pdf``);
2. a certificate's download through the portal (the holder's signed paper, as the LSP admin clicks it): the first
   click renders, signs (a PKCS#12 key made for the run) and keeps the paper, every later click serves the kept
   copy (``certportal.signing.papers``); timed against the LSP's certificate list in the same rounds — goal:
   a later click >= 0.7 of the list (the list itself is above the bare list in the scale benchmark);
3. a 500-participant event printed as ONE PDF the way the portal prints it: a print job handed to a real
   Celery worker (prefork pool) that cuts the event into chunks rendered by separate tasks and merges them with
   pikepdf, once with one worker process and once with two (``--concurrency`` and ASSESSMENT_PRINT_PROCESSES)
   — goal: >= 1.7x faster with two. Needs Redis (REDIS_URL, default redis://127.0.0.1:6379; the bench uses a
   database from 8 to 15 that no client is connected to, or BENCH_REDIS_DB, and empties it). Each is timed on
   its second job (a warm worker).

The database is dropped at the end.
"""

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import free_redis_url, run_in_process, timed  # noqa: E402


def build(n: int) -> list[int]:
    """A scheme with the 7 units of seed 000, an event, ``n`` participants decided K, each with a certificate."""
    from django.utils import timezone

    from applicants.models import Application
    from assessments.certificates.models import Certificate
    from assessments.certificates.services import add_years, new_verification_code
    from assessments.events.models import Event, Participant
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
    parser.add_argument("--tiny", action="store_true",
                        help="4 participants, one render each, one print job on a two-process worker (the CI's run)")
    args = parser.parse_args()
    args.workers, args.jobs = (1, 2), 2
    if args.tiny:
        args.participants, args.repeat, args.workers, args.jobs = 4, 1, (2,), 1

    broker = free_redis_url(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    from certportal.signing.democa import DEMO_PASSWORD, ensure_demo_signer

    # a signer of the bench's own, for this process and the worker it starts: printing and downloads are signed
    # as in production (without one the print job fails, as it must)
    signer = ensure_demo_signer(Path(tempfile.mkdtemp(prefix="bench-esign-")))
    try:
        run_in_process("cp_bench_assess", run, args, {
            "REDIS_URL": broker, "ESIGN_BACKEND": "pkcs12", "ESIGN_PKCS12_PATH": str(signer.p12),
            "ESIGN_PKCS12_PASSWORD": DEMO_PASSWORD, "ESIGN_SIGNER_NAME": "Kepala LSP (bench)"})
    finally:
        shutil.rmtree(signer.p12.parent, ignore_errors=True)


def run(args) -> None:
    from pypdf import PdfReader
    from weasyprint import HTML

    from assessments.certificates import services as certs
    from assessments.certificates.models import Certificate

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

    downloads(ids, args.repeat)

    import redis as redis_client

    redis_client.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    times, pages = {}, {}
    for workers in args.workers:
        t, pdf = print_with_worker(cert.participant.event, workers, args.jobs)
        times[workers], pages[workers] = t, len(PdfReader(__import__("io").BytesIO(pdf)).pages)
        print(f"{len(ids)}-participant event, worker with {workers} process(es): {t:8.2f} s  "
              f"({pages[workers]} pages, {len(pdf) / 1e6:.1f} MB)")
    if pages[args.workers[-1]] < 2 * len(ids):  # a certificate is two pages (front, units)
        raise SystemExit(f"FAILED the print job has {pages[args.workers[-1]]} pages for {len(ids)} certificates")
    if 1 in times:
        print(f"  speed-up with two worker processes : {times[1] / times[2]:8.2f}x (goal >= 1.7; "
              f"{os.cpu_count()} CPUs here; load average {os.getloadavg()[0]:.1f})")
    print(f"  date: {datetime.date.today().isoformat()}")


def downloads(ids: list[int], repeat: int) -> None:
    """The first and a later download of certificates through the portal's view, signed, against the LSP's list."""
    from django.test import Client, override_settings
    from django.utils import timezone

    from certportal.accounts.models import Role, User, UserRole

    admin = User.objects.create(email="lsp@bench.go.id", full_name="Admin LSP", password="!",
                                email_verified_at=timezone.now(), data_consent_at=timezone.now())
    UserRole.objects.create(user=admin, role=Role.LSP_ADMIN)
    client = Client()
    client.force_login(admin)

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"FAILED {url} answered {response.status_code}")

    with override_settings(ROOT_URLCONF=bare_urls()):
        get("/asesmen/sertifikat/")  # warm-up
        get("/bench/bare/")
        first, later, listing, bare = [], [], [], []
        for pk in ids[1:repeat + 1] or ids[:1]:
            url = f"/asesmen/sertifikat/{pk}/pdf/"
            first.append(timed(lambda url=url: get(url), 1))
            later.append(timed(lambda url=url: get(url), 5))
            listing.append(timed(lambda: get("/asesmen/sertifikat/"), 5))
            bare.append(timed(lambda: get("/bench/bare/"), 5))
    first, later, listing, bare = (statistics.median(x) for x in (first, later, listing, bare))
    print(f"Certificate download, first click (render, sign, keep): {first * 1000:8.1f} ms")
    print(f"Certificate download, a later click (the kept paper)  : {later * 1000:8.1f} ms")
    print(f"LSP certificate list (same rounds)                    : {listing * 1000:8.1f} ms")
    print(f"Bare list, 50 users a page (same rounds, in process)  : {bare * 1000:8.1f} ms")
    print(f"  ratio later click / first click                     : {first / later:8.1f}x faster")
    print(f"  later click against the bare list (requests/s)      : {bare / later:8.2f}  (goal >= 0.7)")
    print(f"  later click against the LSP certificate list        : {listing / later:8.2f}")


def bare_urls() -> str:
    """The scale benchmark's URL module (the portal's routes and ``/bench/bare/``), made importable in process."""
    import types

    from scale.pages import BENCH_URLS

    module = types.ModuleType("bench_pdf_urls")
    exec(compile(BENCH_URLS, "bench_pdf_urls", "exec"), module.__dict__)  # noqa: S102 - the bench's own source
    sys.modules[module.__name__] = module
    return module.__name__


def print_with_worker(event, workers: int, jobs: int = 2) -> tuple[float, bytes]:
    """Start a prefork worker with ``workers`` processes, print the event ``jobs`` times through it (the first
    warms the worker: imports, fonts, the scheme's layer), return the last job's wall time and PDF."""
    from django.db import transaction

    from assessments.certificates.models import PrintJob
    from assessments.certificates.services.printing import RUN_TASK
    from certportal import outbox
    from certportal.celery import app

    env = {**os.environ, "ASSESSMENT_PRINT_PROCESSES": str(workers), "CONN_MAX_AGE": "0"}
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    proc = subprocess.Popen([celery, "-A", "certportal", "worker", "--pool=prefork", f"--concurrency={workers}",
                             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
                            cwd=ROOT, env=env)
    try:
        while not app.control.ping(timeout=1):
            time.sleep(0.5)
        for _ in range(jobs):
            started = time.perf_counter()
            with transaction.atomic():
                job = PrintJob.objects.create(event=event, kind="certificates")
                outbox.enqueue(RUN_TASK, job_id=job.pk)
            while (job := PrintJob.objects.get(pk=job.pk)).status not in ("done", "failed"):
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            if job.status != "done":
                raise SystemExit(f"print job failed: {job.error}")
        with job.file.open("rb") as f:
            return elapsed, f.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
