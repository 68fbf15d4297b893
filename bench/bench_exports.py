"""Benchmark: the exports that run as background jobs, from the click to the file, as each reader waits for it.

    .venv/bin/python bench/bench_exports.py [--rows 25000] [--complaints 500] [--processes 2]
    .venv/bin/python bench/bench_exports.py --tiny    # 30 applications, 5 complaints (the CI's run)

Builds its data in a throwaway PostgreSQL database (``cp_bench_exports_<pid>``, see ``bench/_db.py``):
``--rows`` submitted applications (in bulk; above the portal's ``EXPORT_BACKGROUND_ROWS``, 20,000, the
verifier's queue export is a job in production too), ``--complaints`` complaints through the intake service, and
the BNSP report of last year (its figures computed by the service). The run sets ``EXPORT_BACKGROUND_ROWS=0``, so
that every export below takes its job path whatever the size built (the tiny run's thirty rows too).

Then each reader clicks each export through the portal's view (Django's test client, logged in with the role
that reads it, outside any transaction: the view commits and ``on_commit`` hands the job to Redis), a real Celery
worker (prefork, ``--processes``, production's 2) on a Redis database of the run's own (``BENCH_REDIS_DB`` or a
free one from 8 to 15) writes the file, with a PKCS#12 signer made for the run configured (``bench/_jobs.py``);
the bench polls the job's row until it is done and prints the time for the click to answer, the time from the
click to the job done and the size of the file:

* the verifier's application queue, CSV and XLSX; the LSP admin's recap per regional agency, CSV and XLSX;
* the supervisor's service-deadline (SLA) dashboard, CSV;
* the complaint officer's complaint report of the period, CSV and XLSX;
* the LSP admin's BNSP report, the letter (PDF) and the spreadsheet (XLSX).

None of these files is a signed paper (the signed ones, the print and the certificate downloads, are in
``bench_assessments_pdf.py``). The first export warms the new worker (imports, fonts). Fails (exit 1) when a job
fails or makes nothing, when the queue's CSV lacks rows, or when a click answers in a second or more.
"""

import argparse
import datetime
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _jobs import HEADER, click, eager, load, logged_in, run_with_worker_env, verdict, worker  # noqa: E402


def build(rows: int, complaints: int):
    """Applications, complaints and last year's BNSP report; the readers of each export."""
    from django.utils import timezone

    from applicants.models import Application
    from certportal.accounts.models import Role, User
    from quality.reports.services import report_create
    from schemes.models import Scheme
    from tests.complaints.factories import file_complaint

    scheme = Scheme.objects.create(code="SS-02/LSP-BPSDM DKI/2017", name="Pelayanan Prima", kind="occupation")
    now = timezone.now()
    for first in range(0, rows, 5000):
        count = min(5000, rows - first)
        users = User.objects.bulk_create([User(email=f"a{first + i}@bench.go.id", full_name=f"Pemohon {first + i}",
                                               password="!") for i in range(count)])
        Application.objects.bulk_create([
            Application(applicant=u, scheme=scheme, status="submitted", submitted_at=now - datetime.timedelta(minutes=i),
                        applicant_name=f"Pemohon Uji Nomor {first + i}, S.Sos.", nip=f"1985031420100{first + i:05d}",
                        org_unit=f"Dinas Nomor {(first + i) % 40}") for i, u in enumerate(users)])
    for i in range(complaints):
        file_complaint(name=f"Pengadu {i}", email=f"pengadu{i}@bench.go.id")
    readers = {role: logged_in(f"{role}@bench.go.id", role) for role in
               (Role.VERIFIER, Role.LSP_ADMIN, Role.SUPERVISOR, Role.COMPLAINT_OFFICER)}
    admin = User.objects.get(email=f"{Role.LSP_ADMIN}@bench.go.id")
    report = report_create(actor=admin, kind="year", year=timezone.localdate().year - 1, part=1,
                           letter_number="001/LSP/BENCH")
    return readers, report


def clicks(readers, report) -> list[tuple]:
    """(label, reader, url, method, data) of every export, in the order clicked."""
    from django.urls import reverse
    from django.utils import timezone

    from certportal.accounts.models import Role

    today = timezone.localdate()
    period = {"date_from": today.replace(month=1, day=1).isoformat(), "date_to": today.isoformat()}
    verifier, admin = readers[Role.VERIFIER], readers[Role.LSP_ADMIN]
    supervisor, officer = readers[Role.SUPERVISOR], readers[Role.COMPLAINT_OFFICER]
    return [
        ("application queue, CSV (verifier)", verifier, reverse("applicants:queue-export", args=["csv"]), "get", {}),
        ("application queue, XLSX (verifier)", verifier, reverse("applicants:queue-export", args=["xlsx"]), "get", {}),
        ("recap per agency, CSV (LSP admin)", admin, reverse("applicants:unit-recap"), "get", {"format": "csv"}),
        ("recap per agency, XLSX (LSP admin)", admin, reverse("applicants:unit-recap"), "get", {"format": "xlsx"}),
        ("SLA dashboard, CSV (supervisor)", supervisor, reverse("sla:dashboard"), "get", {"format": "csv"}),
        ("complaint report, CSV (officer)", officer, reverse("complaints:reports-csv"), "get", period),
        ("complaint report, XLSX (officer)", officer, reverse("complaints:reports-xlsx"), "get", period),
        ("BNSP report, PDF (LSP admin)", admin, reverse("quality:report-document", args=[report.pk, "pdf"]),
         "post", {}),
        ("BNSP report, XLSX (LSP admin)", admin, reverse("quality:report-document", args=[report.pk, "xlsx"]),
         "post", {}),
    ]


def run(args) -> int:
    from certportal.exportjobs.models import ExportJob

    with eager():  # the set-up's tasks (the complaints' acknowledgements) in process
        readers, report = build(args.rows, args.complaints)
    print(f"{args.rows} applications, {args.complaints} complaints; a worker of {args.processes} process(es) "
          f"({load()}):")
    print(HEADER)
    failures = []
    with worker(args.processes):
        for label, client, url, method, data in clicks(readers, report):
            clicked = click(label, client, url, ExportJob, data, method)
            print(clicked.line(), flush=True)
            failures += verdict(clicked)
            lines = clicked.data.count(b"\n")
            if label.startswith("application queue, CSV") and lines <= args.rows:
                failures.append(f"{label}: {lines} lines for {args.rows} applications")
    print(f"after the clicks: {load()}; {datetime.date.today().isoformat()}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000, help="submitted applications")
    parser.add_argument("--complaints", type=int, default=500, help="complaints filed through the intake service")
    parser.add_argument("--processes", type=int, default=2, help="the worker's processes (production: 2)")
    parser.add_argument("--tiny", action="store_true", help="30 applications, 5 complaints, one worker process")
    args = parser.parse_args()
    if args.tiny:
        args.rows, args.complaints, args.processes = 30, 5, 1
    os.environ["EXPORT_BACKGROUND_ROWS"] = "0"  # every export a job, whatever the size built
    run_with_worker_env("cp_bench_exports", run, args)


if __name__ == "__main__":
    main()
