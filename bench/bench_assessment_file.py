"""Benchmark: the participant's complete assessment file (FR.APL.01 to FR.AK.06 as ONE PDF) by scheme size.

    .venv/bin/python bench/bench_assessment_file.py [--units 7,20,40] [--repeat 3]
    .venv/bin/python bench/bench_assessment_file.py --tiny      # CI: 2 units, rendered by one worker process only

Builds its data in a throwaway PostgreSQL database (``cp_bench_file_<pid>``, see ``bench/_db.py``) through the
portal's own services, so a model change that breaks them breaks this script: per size a scheme of N units with
elements and criteria, a validated assessment plan, a participant with FR.AK.01 consents, every planned
instrument recorded and signed per unit, the results recorded. Then prints, per size: the file's pages, the
first render in this process (cold: fonts, templates, imports; smallest size only) and the median of
``--repeat`` warm renders (not at ``--tiny``).

Then what the LSP admin waits for, per size: the button of the participant's file, of the event's files (ZIP)
and of the event's archive (SOP step 8), each clicked through the portal's view (Django's test client, logged
in, outside any transaction: the view commits and ``on_commit`` hands the job to Redis), done by a real Celery
worker (prefork, ``--processes``, production's 2) on a Redis database of the run's own (``BENCH_REDIS_DB`` or a
free one from 8 to 15), with a PKCS#12 signer made for the run configured (``bench/_jobs.py``); the bench polls
the job's row until it is done and prints the time for the click to answer, the time from the click to the job
done, and the size of the file made.

Fails (exit 1) when a file (rendered here, or made by the worker: the file and each PDF of the ZIP) lacks a
form or a unit's code, when a job fails or makes nothing, or when a click
answers in a second or more.
"""

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import timed  # noqa: E402
from _jobs import HEADER, click, eager, load, logged_in, run_with_worker_env, verdict, worker  # noqa: E402


def build(n: int, serial: int):
    """A participant of an event of a scheme with ``n`` units, assessed on a validated plan and decided."""
    from certportal.accounts.models import Role
    from tests.assessments.factories import (
        SiteFactory,
        assess,
        fill_planned_instruments,
        make_application,
        make_assessor,
        mark_all_present,
        planned_event,
        run_steps,
        scheme_with_units,
        validated_plan,
    )
    from tests.factories import UserFactory

    scheme = scheme_with_units(n)
    admin = UserFactory(full_name=f"Admin LSP {serial}", roles=[Role.LSP_ADMIN])
    head = UserFactory(full_name=f"Kepala TUK {serial}", roles=[Role.TUK_HEAD])
    assessor_user = UserFactory(full_name=f"Asesor Bench {serial}", roles=[Role.ASSESSOR])
    assessor = make_assessor(assessor_user, schemes=[scheme])
    validated_plan(scheme, maker=assessor_user, validator=make_assessor(schemes=[scheme]).user)
    applicant = UserFactory(full_name=f"Peserta Bench {serial}", roles=[Role.APPLICANT])
    application = make_application(scheme, applicant, name=f"Peserta Uji Berkas {n} Unit, S.Sos.")
    event = planned_event(actor=admin, scheme=scheme, site=SiteFactory(head=head), assessor=assessor,
                          applications=[application])
    run_steps(event, 4, admin=admin, tuk_head=head)
    participant = event.participants.get()
    fill_planned_instruments(participant, assessor_user)
    mark_all_present(event, actor=assessor_user)
    assess(participant, assessor_user=assessor_user)  # every unit K (FR.AK.02)
    participant.refresh_from_db()
    return participant, admin, [su.unit.code for su in scheme.scheme_units.select_related("unit")]


def run(args) -> int:
    sizes = [2] if args.tiny else [int(s) for s in args.units.split(",")]
    failures, built = [], []
    if not args.tiny:
        print(f"In this process ({load()}):\n{'units':>5} {'pages':>5} {'cold s':>8} {'warm s':>8}")
    for serial, n in enumerate(sizes):
        with eager():  # the set-up's tasks in process; the clicks below go to the worker
            participant, admin, codes = build(n, serial)
            if not args.tiny:  # the tiny run checks the worker's file only (each render costs seconds)
                failures += renders(participant, codes, serial, args.repeat)
        built.append((n, participant, admin, codes))
    print(f"\nThe LSP admin's clicks, each through the view, committed, to a worker of {args.processes} process(es) "
          f"({load()}):")
    print(HEADER)
    with worker(args.processes):
        for n, participant, admin, codes in built:
            failures += clicks(n, participant, admin, codes)
    print(f"after the clicks: {load()}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


def clicks(n: int, participant, admin, codes: list[str]) -> list[str]:
    """The event's archive (a light job: the first warms a new worker's fonts and imports), the participant's
    file and the event's files as a ZIP, each clicked by the LSP admin and followed until done."""
    import zipfile

    from django.urls import reverse

    from certportal.exportjobs.models import ExportJob

    client, event, failures = logged_in("", user=admin), participant.event_id, []
    for label, url in ((f"event archive (SOP step 8), {n} units", reverse("assessments:event-archive", args=[event])),
                       (f"assessment file, {n} units", reverse("assessments:assessment-file", args=[participant.pk])),
                       (f"event's files (ZIP), {n} units", reverse("assessments:event-assessment-files",
                                                                    args=[event]))):
        clicked = click(label, client, url, ExportJob)
        print(clicked.line(), flush=True)
        failures += verdict(clicked)
        if clicked.data and "ZIP" in label:
            with zipfile.ZipFile(io.BytesIO(clicked.data)) as archive:
                pdfs = [archive.read(name) for name in archive.namelist()]
            failures += [f"{label}: {len(pdfs)} files for one participant"] if len(pdfs) != 1 else []
            failures += [f"{label}: {problem}" for pdf in pdfs for problem in lacks(pdf, codes)]
        elif clicked.data and "assessment file" in label:
            failures += [f"{label}: {problem}" for problem in lacks(clicked.data, codes)]
    return failures


def lacks(pdf: bytes, codes: list[str]) -> list[str]:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    missing = [code for code in ("FR.APL.01", "FR.APL.02", "FR.MAPA.01", "FR.AK.01", "FR.AK.02", *codes)
               if code not in text]
    return [f"the file lacks {', '.join(missing)}"] if missing else []


def renders(participant, codes: list[str], serial: int, repeat: int) -> list[str]:
    """The file rendered in this process: its first render (cold, the first size only) and warm renders."""
    from pypdf import PdfReader

    from assessments.instruments.paperwork.assessment_file import render_assessment_file

    began = time.perf_counter()
    data = render_assessment_file(participant)
    cold = time.perf_counter() - began if serial == 0 else None
    warm = timed(lambda p=participant: render_assessment_file(p), repeat)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(f"{len(codes):>5} {pages:>5} {(f'{cold:.2f}' if cold is not None else '-'):>8} {warm:>8.2f}", flush=True)
    return [f"{len(codes)} units: {problem}" for problem in lacks(data, codes)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", default="7,20,40", help="scheme sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", type=int, default=2, help="the worker's processes (production: 2)")
    parser.add_argument("--tiny", action="store_true", help="CI: 2 units, no render in process, a worker of one process")
    args = parser.parse_args()
    if args.tiny:
        args.processes = 1

    run_with_worker_env("cp_bench_file", run, args)


if __name__ == "__main__":
    main()
