"""A worker killed with ``kill -9`` in the middle of a job, for real: the whole worker (master and pool) or one pool
child. After each, the job is finished by a worker exactly once: no job left running, no part rendered twice, no
record or file written twice, one start and one finish in the audit trail."""

import io
import os
import re
import signal
import time
import zipfile

import pytest
from pypdf import PdfReader

from assessments.certificates.models import Certificate, PrintJob
from certportal.audit.models import AuditEntry
from certportal.exportjobs.models import ExportJob
from schemes.models import ImportJob, Unit
from tests.assessments.factories import (
    SiteFactory,
    decide_event,
    make_application,
    make_assessor,
    planned_event,
    scheme_with_units,
)
from tests.conftest import ROOT, wait_for
from tests.factories import UserFactory
from tests.faults.conftest import VISIBILITY_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)
DECREE = ROOT / "fixtures" / "skkni" / "skkni_2019_072_hubungan_industrial.pdf"  # 185 pages: read in seconds


def _event(lina, tono, asa, people: int, *, decided: bool):
    scheme = scheme_with_units(2)
    applications = [make_application(scheme, UserFactory(full_name=f"Peserta Uji {i}"), name=f"Peserta Uji {i}")
                    for i in range(people)]
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]), applications=applications)
    if decided:
        event = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K",
                             accept_obligations=True)
    return event


def _poll(predicate, timeout: float = 120):
    """Poll tightly (the moment to kill is short) until ``predicate()`` is truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail("the job never reached the moment to kill its worker")


def _actions(job, prefix: str) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(job.pk), action__startswith=prefix).order_by("id")
                .values_list("action", flat=True))


def _rendering(job_id: int) -> PrintJob | None:
    job = PrintJob.objects.get(pk=job_id)
    held = [key for key in job.claims if key != "merge" and int(key) not in job.parts]
    return job if held and job.parts else None  # a chunk is being rendered, after at least one was stored


def _finished_as_in_production(job_id: int, settings, every: float = 5) -> PrintJob:
    """The print job once done or failed, with the beat's job sweep running as in production (there every five
    minutes, here every few seconds). A chunk's message the dead worker had just taken off Redis's list (``BRPOP``)
    but not yet recorded as unacknowledged died with it: Redis never hands it out again, and only the sweep resumes
    the job (its heartbeat stale, its run task sent again, the chunks not stored sent again). The heartbeat counts as
    stale only once Redis has had time to hand out the messages it kept (``VISIBILITY_SECONDS``)."""
    from assessments.certificates.services import print_jobs_sweep

    settings.JOB_HEARTBEAT_STALE_SECONDS = VISIBILITY_SECONDS + 15
    swept = [time.monotonic()]

    def finished() -> PrintJob | None:
        job = PrintJob.objects.filter(pk=job_id, status__in=["done", "failed"]).first()
        if job is None and time.monotonic() - swept[-1] >= every:
            print_jobs_sweep()
            swept.append(time.monotonic())
        return job

    return wait_for(finished, timeout=180)


def test_the_whole_worker_killed_while_printing_a_chunk_prints_every_certificate_once(fault_workers, lina, tono,
                                                                                       asa, settings):
    from assessments.certificates import services as certs

    event = _event(lina, tono, asa, 6, decided=True)
    first = fault_workers("first")
    job = certs.print_job_start(event, actor=lina, kind="certificates")
    _poll(lambda: _rendering(job.pk))
    first.kill_all()
    killed = PrintJob.objects.get(pk=job.pk)  # what the dead worker left: running, a chunk held, not stored
    held = [int(k) for k in killed.claims if k != "merge" and int(k) not in killed.parts]
    assert killed.status == "running" and held and len(killed.parts) < killed.parts_total == 6

    first.died_long_ago()  # the chunks it held or had taken ahead (one may have died with it: see above)
    second = fault_workers("second")  # Redis hands the dead worker's messages out again after the visibility timeout
    job = _finished_as_in_production(job.pk, settings)
    assert job.status == "done", job.error
    assert job.parts == list(range(6)) and job.done == job.total == 6
    certificates = list(Certificate.objects.order_by("sequence"))
    assert len(certificates) == 6 and len({c.participant_id for c in certificates}) == 6  # issued once each
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(job.file.open("rb")).pages]
    assert len(pages) == 12  # each certificate once: its front, then its units
    for page, certificate in zip(pages[0::2], certificates, strict=True):
        assert certificate.number in page
    # Every part rendered and stored once across both workers. A part is logged after its commit: the kill can fall
    # between the two, so the first worker's stored parts are read off the job it left, not off its log.
    first_logged, second_logged = ([int(i) for i in re.findall(rf"Print job {job.pk}: part (\d+) rendered", w.log)]
                                   for w in (first, second))
    assert set(first_logged) <= set(killed.parts) and len(set(first_logged)) == len(first_logged)
    assert sorted(killed.parts + second_logged) == list(range(6))  # the second renders only what was not stored
    assert set(held) <= set(second_logged)
    resumed = ["assessments.printjob.resumed"] if job.attempts == 2 else []  # by the sweep (above)
    assert job.attempts in (1, 2) and _actions(job, "assessments.printjob.") == [
        "assessments.printjob.created", "assessments.printjob.started", *resumed, "assessments.printjob.finished"]
    parts = settings.PRIVATE_MEDIA_ROOT / "print-parts" / f"job-{job.pk}"
    assert not parts.exists() or not any(parts.iterdir())  # the parts, merged, are gone


def test_the_whole_worker_killed_while_reading_a_decree_reads_it_once(fault_workers, lina):
    from schemes.importers import jobs
    from schemes.importers.skkni import parse_skkni, text_of

    first = fault_workers("first")
    job = jobs.import_start(kind="skkni", data=DECREE.read_bytes(), filename=DECREE.name, actor=lina)
    _poll(lambda: ImportJob.objects.filter(pk=job.pk, status="running", done__gte=10).exists())
    first.kill_all()
    killed = ImportJob.objects.get(pk=job.pk)
    assert killed.status == "running" and killed.done < killed.total  # killed in the middle of the reading

    assert first.died_long_ago() >= 1  # the reading's message, kept unacknowledged by Redis
    fault_workers("second")
    job = wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(), timeout=180)
    assert job.status == "done", job.error
    assert job.attempts == 2 and job.done == job.total
    assert job.parsed == parse_skkni(text_of(DECREE.read_bytes()))  # the whole decree, read once to the end
    assert _actions(job, "schemes.importjob.") == ["schemes.importjob.uploaded", "schemes.importjob.started",
                                                   "schemes.importjob.resumed", "schemes.importjob.finished"]
    assert Unit.objects.count() == 0  # nothing is written before the LSP admin applies it
    jobs.import_apply(job, actor=lina)
    codes = list(Unit.objects.values_list("code", flat=True))
    assert codes and len(codes) == len(set(codes))


def test_a_pool_child_killed_while_zipping_the_assessment_files_is_resumed_by_another(fault_workers, lina, tono,
                                                                                      asa):
    from assessments.instruments.services.assessment_files import event_files_start

    event = _event(lina, tono, asa, 3, decided=False)
    worker = fault_workers("only")
    job = event_files_start(event, user=lina)
    running = _poll(lambda: ExportJob.objects.filter(pk=job.pk, status="running", done__gte=1, total=3)
                    .exclude(done=3).first())
    child = int(running.claim.rsplit("@", 1)[1].split(":")[1])  # the pool process writing it
    assert child != worker.proc.pid
    os.kill(child, signal.SIGKILL)

    job = wait_for(lambda: ExportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(), timeout=180)
    assert job.status == "done", job.error
    assert job.attempts == 2 and job.done == job.total == 3
    assert "WorkerLostError" in worker.log or "signal 9" in worker.log
    with zipfile.ZipFile(io.BytesIO(job.file.open("rb").read())) as archive:
        names = archive.namelist()
    assert len(names) == 3 and len(set(names)) == 3
    assert {p.pk for p in event.participants.all()} == {int(n.split("-")[2]) for n in names}
    assert _actions(job, "exportjobs.exportjob.") == [
        "exportjobs.exportjob.requested", "exportjobs.exportjob.started", "exportjobs.exportjob.resumed",
        "exportjobs.exportjob.finished"]
