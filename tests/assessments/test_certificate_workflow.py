"""Certificates, handovers and print jobs on the workflow core: the buttons a page shows are exactly the
transitions the services accept (per state and role), time guards, holders told of status changes, and a batch
print that skips what must not be printed and says why."""

import datetime
import io

import pytest
from django.core import mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.certificates import services as certs
from assessments.certificates.models import Certificate, PrintJob
from assessments.events.models import Participant
from certportal.audit.models import AuditEntry
from certportal.errors import PortalError
from certportal.notifications.models import Notification
from certportal.workflow import allowed_actions
from schemes.reference import load_service_standard

from .factories import decide_event

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def k_event(event, lina, tono, asa):
    """Both participants decided competent (K), obligations accepted."""
    return decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)


@pytest.fixture
def cert(k_event, lina, alice):
    return certs.certificate_issue(k_event.participants.get(application__applicant=alice), actor=lina)


def _expire(cert: Certificate) -> Certificate:
    """The certificate's validity ended yesterday (only the expiry moves: expiry is derived from the date)."""
    Certificate.objects.filter(pk=cert.pk).update(expires_on=TODAY() - datetime.timedelta(days=1))
    cert.refresh_from_db()
    return cert


# --- buttons shown == transitions accepted ------------------------------------------------------------------

SERVICE = {
    "suspended": lambda c, u: certs.certificate_suspend(c, actor=u, reason="Diperiksa.",
                                                        until=TODAY() + datetime.timedelta(days=30)),
    "reinstated": lambda c, u: certs.certificate_reinstate(c, actor=u, reason="Selesai diperiksa."),
    "withdrawn": lambda c, u: certs.certificate_withdraw(c, actor=u, reason="Terbukti melanggar."),
    "handed_over": lambda c, u: certs.handover_record(actor=u, certificate=c, received_by="Alice"),
    "replaced": lambda c, u: certs.certificate_replace(c, actor=u, reason="Salah ketik.", holder_name="Alice A."),
}


class _Rollback(Exception):
    pass


def _accepted(action: str, cert: Certificate, user) -> bool:
    try:
        with transaction.atomic():
            SERVICE[action](Certificate.objects.get(pk=cert.pk), user)
            raise _Rollback
    except _Rollback:
        return True
    except PortalError:
        return False


def _in_state(cert: Certificate, state: str, lina, victor) -> Certificate:
    if state == "suspended":
        SERVICE["suspended"](cert, lina)
    elif state == "withdrawn":
        SERVICE["withdrawn"](cert, lina)
    elif state == "expired":
        _expire(cert)
    elif state == "handed over":  # by the BKPSDM officer (seed 001 item 2.8)
        SERVICE["handed_over"](cert, victor)
    cert.refresh_from_db()
    return cert


@pytest.mark.parametrize("state", ["valid", "suspended", "withdrawn", "expired", "handed over"])
def test_the_certificate_page_offers_exactly_what_the_services_accept(state, cert, lina, victor, alice, sofia,
                                                                     quinn, login):
    cert = _in_state(cert, state, lina, victor)
    url = reverse("assessments:certificate", args=[cert.pk])
    for user in (lina, victor, alice, sofia, quinn):
        page = login(user).get(url).content.decode()
        actions = allowed_actions(cert, user)
        for name in SERVICE:
            shown = f'data-action="assessments.certificate.{name}"' in page
            accepted = _accepted(name, cert, user)
            assert shown == accepted == actions[name].allowed, (state, user.email, name, actions[name].reason)
    assert allowed_actions(cert, victor)["handed_over"].allowed == (state == "valid")
    expected = {"valid": {"suspended", "withdrawn", "replaced"}, "suspended": {"suspended",
                "reinstated", "withdrawn"}, "withdrawn": set(), "expired": {"suspended", "withdrawn"},
                "handed over": {"suspended", "withdrawn", "replaced"}}[state]
    assert {n for n in SERVICE if allowed_actions(cert, lina)[n].allowed} == expected


def test_a_refused_handover_says_why_on_the_page(cert, lina, victor, login):
    SERVICE["suspended"](cert, lina)
    page = login(victor).get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    assert 'id="handover-form"' not in page
    assert 'data-refused="assessments.certificate.handed_over"' in page and "dibekukan" in page


# --- time guards ------------------------------------------------------------------------------------------

def test_no_certificate_before_the_test_or_dated_before_the_decision(k_event, lina, alice):
    p = k_event.participants.get(application__applicant=alice)
    yesterday = TODAY() - datetime.timedelta(days=1)
    with pytest.raises(services.AssessmentError, match="No certificate before the test"):
        certs.certificate_issue(p, actor=lina, on=yesterday)  # the test began an hour ago
    type(k_event).objects.filter(pk=k_event.pk).update(starts_at=F("starts_at") - datetime.timedelta(days=3))
    with pytest.raises(services.AssessmentError, match="on or after the decision"):
        certs.certificate_issue(p, actor=lina, on=yesterday)  # a test three days ago, decided today
    with pytest.raises(services.AssessmentError, match="not dated in the future"):
        certs.certificate_issue(p, actor=lina, on=TODAY() + datetime.timedelta(days=1))
    type(k_event).objects.filter(pk=k_event.pk).update(starts_at=F("starts_at") + datetime.timedelta(days=10))
    with pytest.raises(services.AssessmentError, match="No certificate before the test"):
        certs.certificate_issue(p, actor=lina)
    assert not Certificate.objects.exists()


def test_no_handover_before_the_decision(cert, victor):
    before = cert.participant.decided_at - datetime.timedelta(minutes=5)
    with pytest.raises(services.AssessmentError, match="before the decision|before .* when the certificate"):
        certs.handover_record(actor=victor, certificate=cert, received_by="Alice", at=before)
    assert not cert.handovers.exists()


def test_a_certificate_is_issued_and_audited_with_the_namespaced_code(cert, lina):
    row = AuditEntry.objects.for_object(cert).get(action="assessments.certificate.issued")
    assert (row.actor, row.to_state, row.note) == (lina, "issued", cert.number)


# --- holders are told -------------------------------------------------------------------------------------

@pytest.mark.parametrize("language, words", [("id", ("dibekukan", "Diperiksa atas pengaduan")),
                                             ("en", ("suspended", "Diperiksa atas pengaduan"))])
def test_the_holder_is_told_of_suspension_reinstatement_and_withdrawal_in_their_language(
        language, words, cert, lina, alice, django_capture_on_commit_callbacks):
    alice.preferred_language = language
    alice.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        certs.certificate_suspend(cert, actor=lina, reason="Diperiksa atas pengaduan",
                                  until=TODAY() + datetime.timedelta(days=30))
    mine = Notification.objects.filter(user=alice, subject__contains=cert.number)
    note = mine.get()
    assert words[0] in (note.subject + note.body).lower() and words[1] in note.body and cert.number in note.subject
    sent = [m for m in mail.outbox if m.to == [alice.email] and cert.number in m.subject]
    assert len(sent) == 1 and words[1] in sent[0].body
    with django_capture_on_commit_callbacks(execute=True):
        certs.certificate_reinstate(cert, actor=lina, reason="Tidak terbukti")
        certs.certificate_withdraw(cert, actor=lina, reason="Putusan komite")
    bodies = [n.body for n in mine.order_by("id")]
    assert len(bodies) == 3 and "Tidak terbukti" in bodies[1] and "Putusan komite" in bodies[2]
    assert len([m for m in mail.outbox if m.to == [alice.email] and cert.number in m.subject]) == 3


# --- batch printing ---------------------------------------------------------------------------------------

def test_a_whole_event_print_skips_suspended_and_expired_certificates_and_says_why(
        k_event, lina, alice, bob, login, django_capture_on_commit_callbacks):
    by = {p.application.applicant: p for p in k_event.participants.select_related("application__applicant")}
    suspended = certs.certificate_issue(by[alice], actor=lina)
    SERVICE["suspended"](suspended, lina)
    _expire(certs.certificate_issue(by[bob], actor=lina))
    plan = certs.print_plan(k_event, "certificates")
    assert plan.printed == [] and {s["code"] for s in plan.skipped} == {"suspended", "expired"}
    with django_capture_on_commit_callbacks(execute=True):
        job = certs.print_job_start(k_event, actor=lina, kind="certificates")
    job.refresh_from_db()
    assert job.status == "done" and job.produced_nothing and not job.file
    assert {s["code"] for s in job.skipped} == {"suspended", "expired"}
    page = login(lina).get(reverse("assessments:event", args=[k_event.pk])).content.decode()
    assert "Tidak ada yang dicetak" in page and "dibekukan sampai" in page and "kedaluwarsa" in page


def test_issue_and_print_lists_who_has_not_accepted_the_obligations(event, lina, tono, asa, alice,
                                                                     django_capture_on_commit_callbacks):
    decided = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K")
    with django_capture_on_commit_callbacks(execute=True):
        job = certs.print_job_start(decided, actor=lina, kind="certificates")
    job.refresh_from_db()
    assert job.produced_nothing and {s["code"] for s in job.skipped} == {"obligations"}
    assert not Certificate.objects.exists()


def test_a_print_prints_the_valid_ones_only(k_event, lina, alice, bob, django_capture_on_commit_callbacks):
    by = {p.application.applicant: p for p in k_event.participants.select_related("application__applicant")}
    SERVICE["withdrawn"](certs.certificate_issue(by[alice], actor=lina), lina)
    with django_capture_on_commit_callbacks(execute=True):
        job = certs.print_job_start(k_event, actor=lina, kind="certificates")
    job.refresh_from_db()
    assert job.status == "done" and job.total == 1 and [s["code"] for s in job.skipped] == ["withdrawn"]
    with job.file.open("rb") as f:
        text = _pdf_text(f.read())
    bob_cert = Certificate.objects.get(participant=by[bob])
    assert bob_cert.number in text and Certificate.objects.get(participant=by[alice]).number not in text


# --- background work fails visibly ------------------------------------------------------------------------

def test_a_task_that_gives_up_fails_the_job_with_the_reason(decided, lina):
    from django.db import OperationalError

    from assessments.tasks import run_print_job

    job = PrintJob.objects.create(event=decided, kind="letters", created_by=lina)
    run_print_job.on_failure(OperationalError("server closed the connection"), "task-1", (), {"job_id": job.pk},
                             None)
    job.refresh_from_db()
    assert job.status == "failed" and "server closed the connection" in job.error
    row = AuditEntry.objects.for_object(job).get(action="assessments.printjob.failed")
    assert row.actor is None and row.from_state == "queued" and "server closed" in row.note


def test_a_database_error_is_left_to_the_task_to_retry(decided, lina, monkeypatch):
    from django.db import OperationalError

    def blink(job):
        raise OperationalError("deadlock detected")

    job = PrintJob.objects.create(event=decided, kind="letters", created_by=lina)
    monkeypatch.setattr("assessments.certificates.services.printing._issue_for_event", blink)
    with pytest.raises(OperationalError):
        certs.print_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "running"  # not failed: the retry picks it up
    monkeypatch.undo()
    certs.print_job_run(job.pk)
    job.refresh_from_db()
    assert job.status in ("running", "done") and job.total == 2 and job.parts_total == 1


def test_only_the_lsp_admin_is_offered_the_retry(decided, lina, victor):
    job = PrintJob.objects.create(event=decided, kind="letters", created_by=lina)
    certs.print_job_fail(job.pk, "Worker berhenti.")
    job.refresh_from_db()
    assert allowed_actions(job, lina)["retried"].allowed
    assert not allowed_actions(job, victor)["retried"].allowed
    assert not any(a.allowed for name, a in allowed_actions(job, lina).items() if name != "retried")
    assert Participant.objects.count() == 2


# --- a result corrected after the certificate ------------------------------------------------------------------

def test_the_lsp_admin_finds_certificates_suspended_after_a_correction_in_their_queue_and_list(
        cert, lina, victor, alice, login):
    other = certs.certificate_issue(Participant.objects.exclude(pk=cert.participant_id).get(), actor=lina)
    certs.certificate_suspend(other, actor=lina, reason="Diperiksa atas pengaduan.",
                              until=TODAY() + datetime.timedelta(days=30))  # not a correction's suspension
    row = cert.participant.results.first()
    services.result_correct(row, actor=lina, result="K", evidence="Bukti diperiksa ulang", explanation="",
                            reason="Salah catat")

    home = login(lina).get("/beranda/", follow=True).content.decode()
    tile = home.split('data-work="certificates-corrected"', 1)[1].split("</a>", 1)[0]
    assert ">1</span>" in tile and "Sertifikat dibekukan setelah koreksi" in tile
    listed = login(lina).get(reverse("assessments:certificates") + "?koreksi=1").content.decode()
    assert cert.number in listed and other.number not in listed and 'id="corrected-filter"' in listed
    assert other.number in login(lina).get(reverse("assessments:certificates")).content.decode()
    assert 'data-work="certificates-corrected"' not in login(victor).get("/beranda/", follow=True).content.decode()
    page = login(lina).get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    assert 'id="cert-corrected"' in page and 'data-refused="assessments.certificate.reinstated"' in page
    assert 'id="cert-corrected"' not in login(victor).get(reverse("assessments:certificate", args=[cert.pk])
                                                          ).content.decode()
    assert login(alice).get(reverse("assessments:certificates") + "?koreksi=1").status_code == 403


def test_the_bkpsdm_officer_hands_the_certificate_over_and_the_lsp_admin_only_where_switched_on(
        cert, lina, victor, login, client, settings):
    """Seed 001 item 2.8 "Penyerahan sertifikat oleh petugas BKPSDM ke peserta"."""
    action = allowed_actions(cert, lina)["handed_over"]
    assert not action.allowed and "BKPSDM officer" in action.reason
    page = login(lina).get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    assert 'id="handover-form"' not in page and "diserahkan oleh petugas BKPSDM" in page
    with translation.override("id"), pytest.raises(services.AssessmentError, match="petugas BKPSDM"):
        SERVICE["handed_over"](cert, lina)
    load_service_standard()
    assert "oleh petugas BKPSDM saja" in client.get(reverse("schemes:service-standard")).content.decode()
    settings.ASSESSMENT_LSP_ADMIN_HANDS_OVER = True
    assert allowed_actions(cert, lina)["handed_over"].allowed and allowed_actions(cert, victor)["handed_over"].allowed
    assert "administrator LSP juga dapat" in client.get(reverse("schemes:service-standard")).content.decode()
    SERVICE["handed_over"](cert, lina)
    assert cert.handovers.get().handed_by == lina
