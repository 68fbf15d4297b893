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
3. a 500-participant event printed as ONE PDF the way the LSP admin prints it: the button "print the
   certificates" clicked through the portal's view (Django's test client, logged in, outside any transaction:
   the view commits and ``on_commit`` hands the job to Redis), a real Celery worker (prefork pool) that cuts the
   event into chunks rendered by separate tasks, merges them with pikepdf and signs the whole print with the
   run's key; the bench polls the job until done and prints the time for the click to answer, from the click to
   the job done, the pages and size; once with one worker process and once with two (``--concurrency`` and
   ASSESSMENT_PRINT_PROCESSES) — goal: >= 1.7x faster with two. Needs Redis (REDIS_URL, default
   redis://127.0.0.1:6379; the bench uses a database from 8 to 15 that no client is connected to, or
   BENCH_REDIS_DB, and empties it). Each is timed on its second job (a warm worker).

Fails (exit 1) when a print job fails, a click answers in a second or more, or the print is not signed by the
run's signer (validated against its CA, ``certportal.signing.validation``).

The database is dropped at the end.
"""

import argparse
import datetime
import io
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import timed  # noqa: E402
from _jobs import Clicked, click, load, logged_in, run_with_worker_env, verdict, worker  # noqa: E402


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

    # a signer of the bench's own, for this process and the worker it starts: printing and downloads are signed
    # as in production (without one the print job fails, as it must); a Redis database of the run's own
    run_with_worker_env("cp_bench_assess", run, args)


def run(args) -> int:
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

    failures = prints(cert.participant.event, len(ids), args)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


def prints(event, n: int, args) -> list[str]:
    """The event printed by the LSP admin's click with each worker size; what fails the run."""
    from pypdf import PdfReader

    times, failures = {}, []
    for workers in args.workers:
        clicked, failed = print_with_worker(event, workers, args.jobs)
        failures += failed
        pages = len(PdfReader(io.BytesIO(clicked.data)).pages) if clicked.data else 0
        times[workers] = clicked.done
        print(f"{n}-participant event, worker with {workers} process(es): click answered in "
              f"{clicked.answer:.3f} s, done {clicked.done:8.2f} s after it ({pages} pages, "
              f"{len(clicked.data) / 1e6:.1f} MB, signed: {'no' if any('not signed' in f for f in failed) else 'yes'})",
              flush=True)
        if clicked.data and pages < 2 * n:  # a certificate is two pages (front, units)
            failures.append(f"the print job has {pages} pages for {n} certificates")
    if 1 in times and 2 in times:
        print(f"  speed-up with two worker processes : {times[1] / times[2]:8.2f}x (goal >= 1.7; {load()})")
    print(f"  date: {datetime.date.today().isoformat()}; {load()}")
    return failures


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


def print_with_worker(event, workers: int, jobs: int = 2) -> tuple[Clicked, list[str]]:
    """Start a prefork worker with ``workers`` processes; the LSP admin clicks "print the certificates" on the
    event ``jobs`` times (the first warms the worker: imports, fonts, the scheme's layer), each click through the
    portal's view, committed, followed until the job is done. The last click, and what fails the run (a job not
    done, a click of a second or more, a print not signed by the run's signer)."""
    from django.urls import reverse

    from assessments.certificates.models import PrintJob
    from certportal.accounts.models import Role

    client = logged_in(f"print{workers}@bench.go.id", Role.LSP_ADMIN)
    url = reverse("assessments:print-start", args=[event.pk])
    failures: list[str] = []
    with worker(workers, {"ASSESSMENT_PRINT_PROCESSES": str(workers)}):
        for _ in range(jobs):
            clicked = click(f"print, {workers} process(es)", client, url, PrintJob, {"kind": "certificates"})
            failures += verdict(clicked, signed=True)
            if clicked.status != "done":
                break
    return clicked, failures


if __name__ == "__main__":
    main()
