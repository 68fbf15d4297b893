"""Benchmark: importing the province's roster of civil servants (50,000 SIASN rows) and the list pages after it.

    .venv/bin/python bench/bench_roster_import.py [--rows 50000]
    .venv/bin/python bench/bench_roster_import.py --tiny    # 500 rows, seconds (the CI's run)

Builds a throwaway PostgreSQL database (``cp_bench_roster_<pid>``; SQLite in a temporary folder when no server
answers), writes an XLSX of ``--rows`` synthetic people (``agencies.roster_sample``) across eight agencies, and
runs the import's own job (``agencies.roster_jobs``) as the worker does, printing:

* the read and check (the preview), and the write (read and checked again, then applied in one transaction);
* the same file again (every row unchanged: nothing written) and a re-import where 1 % moved agency;
* the roster page, the agency's people page and the verifier's queue, each timed and its queries counted before
  the import and after it: exit status 1 when a page answers an error or runs more queries after the import.

The database is dropped at the end.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import run_in_process  # noqa: E402


def _seconds(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _people(count: int):
    from agencies import roster_sample
    from applicants.models import Agency

    for name in roster_sample.AGENCIES:
        Agency.objects.get_or_create(name=name)
    return roster_sample.rows(count)


def _import(admin, content: bytes, name: str) -> tuple[float, float, object]:
    """Upload, the worker's check (the preview), the confirmation and the worker's write, as the portal does."""
    from agencies import roster_jobs

    def check():  # the outbox runs the task in-process at commit; run() finishes it if it did not
        job = roster_jobs.start(data=content, filename=name, actor=admin)
        roster_jobs.run(job.pk)
        return job

    def write():
        roster_jobs.confirm(job, actor=admin)
        roster_jobs.run(job.pk)

    checked, job = _seconds(check)
    job.refresh_from_db()
    assert job.status == "done" and not job.preview["faulty"], (job.error, job.preview and job.preview["problems"])
    written, _ = _seconds(write)
    job.refresh_from_db()
    assert job.status == "applied", job.error
    return checked, written, job


def _pages(users: dict) -> dict[str, tuple[int, int, float]]:
    """Each list page: (HTTP status, queries, seconds)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = {}
    for name, (user, url) in users.items():
        client = Client()
        client.force_login(user)
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as ctx:
            took, response = _seconds(lambda u=url, c=client: c.get(u))
        found[name] = (response.status_code, len(ctx.captured_queries), took)
    return found


def _users() -> dict:
    from agencies.models import AgencyMembership
    from applicants.models import Agency
    from certportal.accounts.models import Role, User, UserRole

    def user(email: str, role: str):
        u = User.objects.create(email=email, full_name=email.split("@")[0], password="!")
        UserRole.objects.create(user=u, role=role)
        return u

    admin, officer, verifier = (user("admin@bench.go.id", Role.LSP_ADMIN), user("officer@bench.go.id",
                                Role.AGENCY_OFFICER), user("verifier@bench.go.id", Role.VERIFIER))
    AgencyMembership.objects.create(user=officer, agency=Agency.objects.get(name="Dinas Kesehatan"))
    return admin, {"roster page": (admin, "/perangkat-daerah/daftar-pegawai/"),
                   "agency's people": (officer, "/perangkat-daerah/pegawai/"),
                   "verifier's queue": (verifier, "/permohonan/antrian/")}


def run(args) -> int:
    from agencies import roster_sample

    people = _people(args.rows)
    admin, pages = _users()
    before = _pages(pages)
    took, content = _seconds(lambda: roster_sample.xlsx_bytes(people))
    print(f"rows: {args.rows:,}; XLSX written in {took:.1f} s ({len(content) / 1024 / 1024:.1f} MB)")
    checked, written, job = _import(admin, content, "roster.xlsx")
    print(f"first import: checked (preview) {checked:.1f} s, written {written:.1f} s — {job.result}")
    checked, written, job = _import(admin, content, "roster-again.xlsx")
    print(f"same file again: checked {checked:.1f} s, written {written:.1f} s — {job.result}")
    moved = [roster_sample.person(i, ["Dinas Sosial"]) if i % 100 == 0 else row for i, row in enumerate(people)]
    checked, written, job = _import(admin, roster_sample.xlsx_bytes(moved), "roster-moves.xlsx")
    print(f"1 % moved: checked {checked:.1f} s, written {written:.1f} s — {job.result}")
    after = _pages(pages)
    failed = 0
    for name, (status, count, took) in after.items():
        status0, count0, took0 = before[name]
        print(f"{name}: before {count0} queries {took0 * 1000:.0f} ms; after {count} queries {took * 1000:.0f} ms"
              f" (HTTP {status})")
        if status != 200 or count > count0:
            print(f"FAILED {name}: HTTP {status}, {count0} → {count} queries")
            failed = 1
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--tiny", action="store_true", help="500 rows (the CI's run)")
    args = parser.parse_args()
    if args.tiny:
        args.rows = 500
    run_in_process("cp_bench_roster", run, args, {"ALLOWED_HOSTS": "testserver,localhost"})


if __name__ == "__main__":
    main()
