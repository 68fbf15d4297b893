"""The other background work killed or cut off in its middle, on one Redis and one real prefork worker shared by the
module (tests/faults/conftest.py): a pool process killed with ``SIGKILL`` while it sends the expiry reminders and
the duty reminders, writes a periodic report and anonymises a disposal list (a credential is signed in the request:
no job); the worker's database connection ended by PostgreSQL in
the middle of a disposal; Redis stopped and started again under requests. Each is caught exactly in its middle by a
lock the test holds (tests/faults/locks.py). After each, the work is done once: rows, files, e-mails, audit rows."""

import datetime
import io
import os
import signal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import load_workbook

from applicants.models import Application
from assessments.certificates.models import ExpiryReminder
from certportal.audit.models import AuditEntry
from certportal.exportjobs.models import ExportJob
from certportal.notifications.models import Notification
from certportal.outbox.models import OutboxMessage
from complaints.models import Attachment, Complaint
from quality.reports import figures, paperwork
from quality.reports.models import PeriodicReport
from quality.retention import services as retention
from quality.retention.models import DisposalList, DisposalStatus
from tests.assessments.factories import SiteFactory, scheme_with_units
from tests.conftest import wait_for
from tests.quality.report_data import _certificate, _event, _participant, at
from tests.quality.test_retention import _applicant

from .locks import end_backend, holding, pool_process, waiting_on

pytestmark = pytest.mark.django_db(transaction=True)


def _kill_the_waiting_process(shared, lock) -> None:
    """SIGKILL the pool process whose connection waits on ``lock`` (the master starts another one)."""
    waiting = waiting_on(lock)
    child = pool_process(shared.worker.proc.pid, waiting.client_port)
    assert child != shared.worker.proc.pid
    os.kill(child, signal.SIGKILL)


def _mails_to(shared, address: str) -> int:
    return sum(path.read_text().count(f"To: {address}") for path in shared.mail.glob("*.log"))


def _beat_relay() -> None:
    """Beat's outbox relay, run by the worker: a notice whose commit was under way when its process was killed is
    kept (the server finishes the COMMIT it was sent), and its e-mail, never handed over by the dead process, waits
    in the outbox for this relay (every ``OUTBOX_RELAY_SECONDS`` in production)."""
    from certportal.outbox.tasks import relay

    relay.delay()
    wait_for(lambda: not OutboxMessage.objects.filter(status="pending").exists(), timeout=60)


def _actions(obj, prefix: str) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(obj.pk), action__startswith=prefix).order_by("id")
                .values_list("action", flat=True))


# --- reminders: the SLA sweep, with the certificates' expiry reminders ------------------------------------------

def test_a_pool_process_killed_in_the_reminder_sweep_sends_each_reminder_once(shared_fault_worker):
    from certportal import outbox

    today = timezone.localdate()
    event = _event(scheme_with_units(2), SiteFactory(), "2024-02-10", "archived")
    certificates = []
    for _i in range(3):
        certificate = _certificate(_participant(event, decision="K"), "2024-03-01")
        certificate.expires_on = today + datetime.timedelta(days=60)  # within the 3 months' reminder
        certificate.save(update_fields=["expires_on"])
        certificates.append(certificate)
    holders = [c.application.applicant for c in certificates]
    # the second certificate is locked: the sweep reminds the first holder, then waits there, and is killed
    with holding("SELECT id FROM assessments_certificate WHERE id = %s FOR UPDATE", (certificates[1].pk,)) as lock:
        outbox.enqueue("certportal.sla.tasks.sweep")
        _kill_the_waiting_process(shared_fault_worker, lock)
        assert list(ExpiryReminder.objects.filter(months=3).values_list("certificate", flat=True)) == [
            certificates[0].pk]  # killed in the middle: the first reminder sent, the others not
    wait_for(lambda: "SLA sweep" in shared_fault_worker.worker.log.split("signal 9")[-1], timeout=60)
    _beat_relay()

    for certificate, holder in zip(certificates, holders, strict=True):  # each reminded once, by e-mail and in the portal
        assert ExpiryReminder.objects.filter(certificate=certificate, months=3, sent=True).count() == 1
        assert Notification.objects.filter(user=holder, key=f"expiry:{certificate.pk}:3").count() == 1
        wait_for(lambda h=holder: _mails_to(shared_fault_worker, h.email), timeout=30)
        assert _mails_to(shared_fault_worker, holder.email) == 1
    assert set(OutboxMessage.objects.filter(task__endswith="send_email").values_list("status", flat=True)) == {"sent"}
    assert "WorkerLostError" in shared_fault_worker.worker.log


def test_a_pool_process_killed_in_the_duty_reminders_reminds_each_owner_once(shared_fault_worker, lina, quinn):
    from certportal import outbox
    from quality.impartiality.models import ThreatAnalysis
    from quality.system import duties
    from quality.system.services import duty_owners

    today = timezone.localdate()  # the worker's day: the threat analysis's review is due soon (its two owners)
    ThreatAnalysis.objects.create(year=today.year, review_on=today + datetime.timedelta(days=5), created_by=lina,
                                  status=ThreatAnalysis.Status.APPROVED)
    owed = [person for duty in duties.duties_due(today) for person in duty_owners(duty)]
    mails = {person.email: _mails_to(shared_fault_worker, person.email) for person in owed}
    second = next(person for person in owed if person != owed[0])  # locked: the reminders before them go out
    with holding("SELECT id FROM accounts_user WHERE id = %s FOR UPDATE", (second.pk,)) as lock:
        outbox.enqueue("quality.system.tasks.remind_duties")
        _kill_the_waiting_process(shared_fault_worker, lock)
        assert 1 <= Notification.objects.filter(key__startswith="quality.duty.").count() < len(owed)
    wait_for(lambda: Notification.objects.filter(key__startswith="quality.duty.").count() == len(owed), timeout=60)
    wait_for(lambda: "remind_duties" in shared_fault_worker.worker.log.split("signal 9")[-1], timeout=60)
    _beat_relay()
    for person in set(owed):  # each owner told once of each duty, in the portal and by e-mail
        told = Notification.objects.filter(user=person, key__startswith="quality.duty.").count()
        assert told == owed.count(person)
        wait_for(lambda p=person, n=told: _mails_to(shared_fault_worker, p.email) - mails[p.email] >= n, timeout=30)
        assert _mails_to(shared_fault_worker, person.email) - mails[person.email] == told


# --- a periodic report (an export job's document) ----------------------------------------------------------------

@pytest.mark.parametrize("fault", ["pool process killed", "database connection ended"])
def test_a_periodic_report_cut_off_in_its_middle_is_written_once(shared_fault_worker, lina, fault):
    start, end = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    report = PeriodicReport.objects.create(kind="quarter", year=2026, part=3, starts_on=start, ends_on=end,
                                           letter_number="012/LSP/XI/2026", figures=figures.compute(start, end),
                                           computed_at=timezone.now())
    # the report's last sheet lists the complaints: locked, the job waits there with its work begun, and is killed
    with holding(f"LOCK TABLE {Complaint._meta.db_table} IN ACCESS EXCLUSIVE MODE") as lock:
        job = paperwork.document_start(report, "xlsx", user=lina)
        if fault == "pool process killed":
            _kill_the_waiting_process(shared_fault_worker, lock)
        else:  # the write fails, failing the job fails too (no connection): the task's retry takes the job back
            end_backend(waiting_on(lock).backend)
        killed = ExportJob.objects.get(pk=job.pk)
        assert killed.status == "running" and killed.attempts == 1 and not killed.file

    job = wait_for(lambda: ExportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(), timeout=60)
    assert job.status == "done", job.error
    assert job.attempts == 2 and job.done == job.total == 1
    book = load_workbook(io.BytesIO(job.file.open("rb").read()), read_only=True)
    assert book.sheetnames[0] in ("Ringkasan", "Summary") and len(book.sheetnames) > 3
    written = [p for p in (shared_fault_worker.media / "exports").rglob("*")
               if p.is_file() and p.stat().st_mtime >= job.created_at.timestamp()]
    assert written == [Path(job.file.path)]  # one file: the try cut off kept none
    assert _actions(job, "exportjobs.exportjob.") == [
        "exportjobs.exportjob.requested", "exportjobs.exportjob.started", "exportjobs.exportjob.resumed",
        "exportjobs.exportjob.finished"]


# --- disposal: the approved list anonymised in one transaction ------------------------------------------------------

def _disposal_ready(lina):
    """Two applicants and one complainant past their periods, on a proposed list."""
    scheme = scheme_with_units(2)
    people = [_applicant(name, at("2015-03-02"), scheme) for name in ("Bambang Lama", "Sari Lama")]
    complaint = Complaint.objects.create(tracking_number="ADU-LAMA", kind="complaint", rule="complaint",
                                         status="closed", received_at=at("2015-01-02"), closed_at=at("2015-02-02"),
                                         message="Lambat", name="Pelapor Lama", email="pelapor@example.com")
    attachment = Attachment(complaint=complaint, original_name="bukti.pdf", kind="pdf")
    attachment.file.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=True)
    return retention.disposal_propose(actor=lina), people, complaint, attachment


def _anonymised_once(disposal, people, complaint, attachment) -> None:
    disposal = wait_for(lambda: DisposalList.objects.filter(pk=disposal.pk, status=DisposalStatus.DONE).first(),
                        timeout=60)
    for user, app, upload in people:
        user.refresh_from_db()
        assert user.full_name.startswith("ANONIM-") and not user.is_active
        assert Application.objects.get(pk=app.pk).applicant_name == user.full_name
        assert not upload.file.storage.exists(upload.file.name)
    complaint.refresh_from_db()
    assert complaint.email == "" and not attachment.file.storage.exists(attachment.file.name)
    items = list(disposal.items.all())
    assert len(items) == 3 and all(i.done_at for i in items) and [i.files_deleted for i in items] == [1, 1, 1]
    assert _actions(disposal, "quality.disposallist.") == [
        "quality.disposallist.proposed", "quality.disposallist.approved", "quality.disposallist.anonymised"]


def test_a_pool_process_killed_in_the_disposal_anonymises_everyone_once(shared_fault_worker, lina):
    disposal, people, complaint, attachment = _disposal_ready(lina)
    # the complaint comes after the two applicants: locked, the job has anonymised them (uncommitted) and waits
    with holding("SELECT id FROM complaints_complaint WHERE id = %s FOR UPDATE", (complaint.pk,)) as lock:
        retention.disposal_approve(disposal, actor=lina)
        _kill_the_waiting_process(shared_fault_worker, lock)
        assert DisposalList.objects.get(pk=disposal.pk).status == DisposalStatus.APPROVED
    _anonymised_once(disposal, people, complaint, attachment)


def test_the_disposals_database_connection_ended_in_its_middle_is_retried_and_done_once(shared_fault_worker, lina):
    disposal, people, complaint, attachment = _disposal_ready(lina)
    with holding("SELECT id FROM complaints_complaint WHERE id = %s FOR UPDATE", (complaint.pk,)) as lock:
        retention.disposal_approve(disposal, actor=lina)
        end_backend(waiting_on(lock).backend)  # a failover, a restart: the job's connection is gone
        assert DisposalList.objects.get(pk=disposal.pk).status == DisposalStatus.APPROVED
    _anonymised_once(disposal, people, complaint, attachment)
    assert "Retry in" in shared_fault_worker.worker.log


# --- Redis stopped and started again under requests ------------------------------------------------------------------

def test_redis_stopped_under_requests_answers_every_page_and_mails_once_it_is_back(shared_fault_worker, client,
                                                                                   login, lina, settings):
    settings.CACHES = {"default": {"BACKEND": "certportal.cache.FailSoftRedisCache",
                                   "LOCATION": shared_fault_worker.redis.url.replace("/0", "/1")}}
    shared_fault_worker.redis.stop()
    try:
        data = {"name": "Citra", "email": "citra.redis@example.go.id", "phone": "", "object_text": "Verifikasi berkas",
                "reference": "", "service_date": "", "message": "Berkas saya dikembalikan tanpa alasan.",
                "website": ""}
        assert client.get("/").status_code == 200
        assert client.get("/pengaduan/publik/").status_code == 200
        answer = client.post("/pengaduan/publik/", data)
        assert answer.status_code == 302, answer.status_code
        assert login(lina).get("/").status_code == 200
        complaint = Complaint.objects.get()
        waiting = OutboxMessage.objects.get(kwargs__to=[data["email"]])
        assert waiting.status == "pending" and waiting.last_error  # the broker refused it: kept for later
    finally:
        shared_fault_worker.redis.start()  # the same port: the worker reconnects on its own

    from certportal.outbox.tasks import relay

    relay.delay()  # beat's relay, run by the worker once it is connected again
    wait_for(lambda: _mails_to(shared_fault_worker, data["email"]), timeout=60)
    assert _mails_to(shared_fault_worker, data["email"]) == 1
    waiting.refresh_from_db()
    assert waiting.status == "sent"
    assert complaint.tracking_number in "".join(p.read_text() for p in shared_fault_worker.mail.glob("*.log"))
