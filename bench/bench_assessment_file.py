"""Benchmark: the participant's complete assessment file (FR.APL.01 to FR.AK.06 as ONE PDF) by scheme size.

    .venv/bin/python bench/bench_assessment_file.py [--units 7,20,40] [--repeat 3]
    .venv/bin/python bench/bench_assessment_file.py --tiny      # CI: 2 units, one render (seconds once migrated)

Builds its data in a throwaway PostgreSQL database (``cp_bench_file_<pid>``, see ``bench/_db.py``) through the
portal's own services, so a model change that breaks them breaks this script: per size a scheme of N units with
elements and criteria, a validated assessment plan, a participant with FR.AK.01 consents, every planned
instrument recorded and signed per unit, the results recorded. Then prints,
per size: the file's pages, the first render in this process (cold: fonts, templates, imports; smallest size only)
and the median of ``--repeat`` warm renders; and the time of the request that starts the background job (the
portal's path since the file left the request: it must answer within a second whatever the size).

Fails (exit 1) when a file lacks a form or a unit's code, or when the start takes a second or more.
"""

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import run_in_process, timed  # noqa: E402


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
    from django.db import transaction
    from django.test.utils import setup_test_environment
    from pypdf import PdfReader

    from assessments.instruments.paperwork.assessment_file import render_assessment_file
    from assessments.instruments.services.assessment_files import file_start

    setup_test_environment()  # outbox hand-overs wait for a commit that never comes here: nothing is sent
    sizes = [2] if args.tiny else [int(s) for s in args.units.split(",")]
    repeat = 1 if args.tiny else args.repeat
    failures = []
    print(f"{'units':>5} {'pages':>5} {'cold s':>8} {'warm s':>8} {'start s':>8}")
    for serial, n in enumerate(sizes):
        participant, admin, codes = build(n, serial)
        began = time.perf_counter()
        data = render_assessment_file(participant)
        cold = time.perf_counter() - began if serial == 0 else None
        warm = timed(lambda p=participant: render_assessment_file(p), repeat)
        text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        missing = [code for code in ("FR.APL.01", "FR.APL.02", "FR.MAPA.01", "FR.AK.01", "FR.AK.02", *codes)
                   if code not in text]
        if missing:
            failures.append(f"{n} units: the file lacks {', '.join(missing)}")
        with transaction.atomic():  # the request's work: record the job and its outbox message, nothing rendered
            began = time.perf_counter()
            job = file_start(participant, user=admin)
            start = time.perf_counter() - began
            transaction.set_rollback(True)
        if start >= 1 or job.status != "queued":
            failures.append(f"{n} units: the start took {start:.3f} s ({job.status})")
        pages = len(PdfReader(io.BytesIO(data)).pages)
        print(f"{n:>5} {pages:>5} {(f'{cold:.2f}' if cold is not None else '-'):>8} {warm:>8.2f} {start:>8.3f}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", default="7,20,40", help="scheme sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="CI: 2 units, one render")
    args = parser.parse_args()

    run_in_process("cp_bench_file", run, args)


if __name__ == "__main__":
    main()
