"""Issue 30 item 2: the management system's own records (ISO/IEC 17024 10.2). An internal audit's finding becomes a
corrective action with an owner and a due date in working days; the owner adds evidence and reports it done; someone
else closes it; overdue ones are on the supervisor's dashboard. Controlled documents keep every version, each
approved by someone other than its uploader, and tell the version in force on any date."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from certportal.sla import calendar as cal
from certportal.sla import services as sla
from quality.system import services
from quality.system.models import (
    ActionStatus,
    ControlledDocument,
    CorrectiveAction,
    SystemReview,
    VersionStatus,
)

from .system_helpers import HELD, analyse, audit, auditor, finding, pdf

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC)  # 10:00 in Jakarta, a Friday


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def test_lsp_admin_records_an_audit_and_a_finding_that_becomes_an_action_due_in_working_days(lina, quinn, login):
    c = login(lina)
    response = c.post(reverse("quality:system-review-create"), {
        "kind": "internal_audit", "held_on": "2026-11-02", "scope": "Proses sertifikasi",
        "participants": "Auditor internal", "auditor": auditor().pk}, follow=True)
    review = SystemReview.objects.get()
    assert "Proses sertifikasi" in response.content.decode()
    c.post(reverse("quality:system-finding-add", args=[review.pk]), {
        "severity": "minor", "clause": "9.2", "description": "Rekaman FR.AK.06 tidak lengkap",
        "action": "Lengkapi rekaman", "owner": quinn.pk})
    action = CorrectiveAction.objects.get()
    assert action.owner == quinn and action.status == ActionStatus.OPEN
    assert action.due_on == cal.add_working_days(HELD, 20)  # the core's "corrective-action" policy
    assert sla.clock_for(action, "corrective-action").target_due == action.due_on
    assert Notification.objects.filter(user=quinn).exists()  # the owner is told
    page = c.get(review.get_absolute_url()).content.decode()
    assert "Rekaman FR.AK.06 tidak lengkap" in page and "Quinn Quality" in page
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"quality.systemreview.recorded", "quality.systemreview.finding_recorded",
            "quality.correctiveaction.opened"} <= codes


def test_an_audit_cannot_be_recorded_before_it_was_held(lina, login):
    response = login(lina).post(reverse("quality:system-review-create"), {
        "kind": "internal_audit", "held_on": "2026-12-01", "scope": "x", "participants": "y"})
    assert "Catat audit atau tinjauan setelah dilaksanakan" in response.content.decode() or \
        "once it has been held" in response.content.decode()
    assert not SystemReview.objects.exists()


def test_the_owner_adds_evidence_cannot_close_and_someone_else_closes(lina, quinn, login):
    action = finding(audit(lina), lina, quinn).action
    owner = login(quinn)
    url = action.get_absolute_url()
    refused = owner.post(reverse("quality:system-action-complete", args=[action.pk]), follow=True).content.decode()
    assert "Record the correction and the cause" in refused or "Catat koreksi dan penyebab" in refused
    owner.post(reverse("quality:system-action-analysis", args=[action.pk]),
               {"correction": "Rekaman dilengkapi", "cause": "Daftar periksa tidak memuat FR.AK.06"})
    refused = owner.post(reverse("quality:system-action-complete", args=[action.pk]), follow=True)
    assert "Attach the evidence" in refused.content.decode() or "Lampirkan bukti" in refused.content.decode()
    owner.post(reverse("quality:system-action-evidence", args=[action.pk]), {"file": pdf(), "note": "Daftar hadir"})
    owner.post(reverse("quality:system-action-complete", args=[action.pk]))
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    page = owner.get(url).content.decode()
    assert 'data-action="quality.correctiveaction.closed"' not in page  # no button for the owner
    assert 'data-refused="quality.correctiveaction.closed"' in page  # but the reason why not
    closing = owner.post(reverse("quality:system-action-close", args=[action.pk]), follow=True).content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED and action.closed_by is None
    assert "someone else" in closing or "orang lain" in closing
    assert 'data-action="quality.correctiveaction.closed"' in login(lina).get(url).content.decode()
    login(lina).post(reverse("quality:system-action-close", args=[action.pk]), {"reason": " "})
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED  # no effectiveness check written: not closed
    login(lina).post(reverse("quality:system-action-close", args=[action.pk]), {"reason": "Bukti cukup"})
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED and action.closed_by == lina and action.effectiveness == "Bukti cukup"
    assert action.cause == "Daftar periksa tidak memuat FR.AK.06"
    assert sla.clock_for(action, "corrective-action").outcome == "met"
    entry = AuditEntry.objects.get(action="quality.correctiveaction.closed")
    assert entry.actor == lina and entry.from_state == "completed" and entry.to_state == "closed"


def test_evidence_is_checked_by_its_content_and_served_only_to_those_who_may_see_the_action(
        lina, quinn, tono, victor, login):
    action = finding(audit(lina), lina, quinn).action
    fake = SimpleUploadedFile("bukti.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    page = login(quinn).post(reverse("quality:system-action-evidence", args=[action.pk]), {"file": fake},
                             follow=True).content.decode()
    assert not action.evidence.exists() and "bukti.pdf" in page
    login(quinn).post(reverse("quality:system-action-evidence", args=[action.pk]), {"file": pdf("laporan.html")})
    evidence = action.evidence.get()
    assert evidence.file.name.startswith("quality/evidence/") and evidence.file.name.endswith(".pdf")
    assert "laporan" not in evidence.file.name  # a random path, never the uploader's name
    url = reverse("quality:system-evidence-file", args=[action.pk, evidence.pk])
    response = login(quinn).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "sandbox" in response.get("Content-Security-Policy", "sandbox")
    assert login(lina).get(url).status_code == 200
    assert login(tono).get(url).status_code == 403  # another staff member who does not own it
    assert login(victor).get(url).status_code == 403
    # only the owner adds evidence
    login(lina).post(reverse("quality:system-action-evidence", args=[action.pk]), {"file": pdf()})
    assert action.evidence.count() == 1


def test_an_overdue_action_is_on_the_supervisors_dashboard_and_in_the_owners_queue(lina, tono, sofia, login):
    action = finding(audit(lina, held_on=datetime.date(2026, 9, 1)), lina, tono, "Tinjauan manajemen terlambat").action
    assert action.due_on < datetime.date(2026, 11, 20)
    dashboard = login(sofia).get(reverse("sla:dashboard")).content.decode()
    assert str(action) in dashboard and action.get_absolute_url() in dashboard
    home = login(tono).get(reverse("home"), follow=True).content.decode()
    assert reverse("quality:system-my-actions") in home
    mine = login(tono).get(reverse("quality:system-my-actions")).content.decode()
    assert "Lengkapi rekaman dan latih asesor" in mine


def _document(quinn):
    doc = services.document_create(actor=quinn, code="PM-01", title="Panduan Mutu", kind="manual")
    old = services.version_upload(doc, actor=quinn, label="Rev. 0", effective_on=datetime.date(2025, 1, 6),
                                  upload=pdf("pm0.pdf", "Panduan Mutu Rev 0"))
    new = services.version_upload(doc, actor=quinn, label="Rev. 1", effective_on=datetime.date(2026, 7, 1),
                                  upload=pdf("pm1.pdf", "Panduan Mutu Rev 1"))
    return doc, old, new


def test_a_version_is_approved_by_someone_else_and_the_version_in_force_on_a_past_date_is_the_older(
        lina, quinn, sofia, login):
    doc, old, new = _document(quinn)
    refused = login(quinn).post(reverse("quality:system-version-approve", args=[old.pk]), follow=True)
    old.refresh_from_db()
    assert old.status == VersionStatus.DRAFT
    assert "You uploaded this version" in refused.content.decode() or "Anda mengunggah" in refused.content.decode()
    for version in (old, new):
        login(lina).post(reverse("quality:system-version-approve", args=[version.pk]))
    old.refresh_from_db()
    assert old.status == VersionStatus.APPROVED and old.approved_by == lina
    c = login(sofia)
    past = c.get(reverse("quality:system-documents") + "?on=2026-03-01").content.decode()
    assert "Rev. 0" in past and "Rev. 1" not in past
    today = c.get(reverse("quality:system-documents")).content.decode()
    assert "Rev. 1" in today
    detail = c.get(doc.get_absolute_url() + "?on=2026-03-01").content.decode()
    assert "Rev. 0" in detail and "Rev. 1" in detail  # the superseded version is kept
    assert "Diganti" in detail or "Superseded" in detail
    before = c.get(reverse("quality:system-documents") + "?on=2024-12-31").content.decode()
    assert "Rev. 0" not in before
    file = c.get(reverse("quality:system-version-file", args=[old.pk]))
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"


def test_the_register_is_read_fifty_documents_a_page_whose_links_keep_the_date_asked_for(
        on_23_november, lina, quinn, sofia, login, settings):
    """The register pages by 50 in code order, with the same queries whatever the number of documents (at the
    national size's 500 documents a view of all of them cost 65 ms of CPU: docs/benchmarks.md)."""
    settings.REPORT_FIGURES_CACHE_SECONDS = 0  # drawn on every view: the drawing is measured, not a kept copy
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    doc, old, new = _document(quinn)
    for version in (old, new):
        login(lina).post(reverse("quality:system-version-approve", args=[version.pk]))
    c, register = login(sofia), reverse("quality:system-documents") + "?on=2026-03-01"
    c.get(register)
    with CaptureQueriesContext(connection) as alone:
        c.get(register)
    for i in range(1, 51):  # fifty documents that come before PM-01 in code order
        services.document_create(actor=quinn, code=f"AA-{i:02d}", title=f"Formulir {i}", kind="form")
    first = c.get(register).content.decode()
    assert "AA-01" in first and "AA-50" in first and "PM-01" not in first
    assert 'href="?on=2026-03-01&page=2"' in first  # the next page of the register on the same date
    with CaptureQueriesContext(connection) as paged:
        second = c.get(register + "&page=2").content.decode()
    assert "PM-01" in second and "Rev. 0" in second and "Rev. 1" not in second and "AA-50" not in second
    assert len(paged) == len(alone)
    today = c.get(reverse("quality:system-documents") + "?page=2").content.decode()
    assert "Rev. 1" in today and 'href="?page=1"' in today  # no date asked for: none carried


def test_a_document_code_is_unique_and_a_version_must_be_a_pdf(quinn, login):
    services.document_create(actor=quinn, code="PM-01", title="Panduan Mutu", kind="manual")
    assert ControlledDocument.objects.count() == 1
    c = login(quinn)
    c.post(reverse("quality:system-document-create"), {"code": "pm-01", "title": "Lagi", "kind": "manual"})
    assert ControlledDocument.objects.count() == 1
    doc = ControlledDocument.objects.get()
    png = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, content_type="image/png")
    c.post(reverse("quality:system-version-upload", args=[doc.pk]), {
        "label": "Rev. 0", "effective_on": "2026-01-05", "file": png})
    assert not doc.versions.exists()
    c.post(reverse("quality:system-version-upload", args=[doc.pk]), {
        "label": "Rev. 0", "effective_on": "2026-01-05", "summary": "Terbitan pertama", "file": pdf("pm.pdf")})
    version = doc.versions.get()
    assert version.status == VersionStatus.DRAFT and version.uploaded_by == quinn
    assert version.file.name.startswith("quality/documents/") and "pm" not in version.file.name.rsplit("/", 1)[-1]


def test_the_owner_finds_their_actions_in_the_personal_data_download(lina, quinn):
    from certportal import personal_data

    finding(audit(lina), lina, quinn)
    sections = {s.key: s.records for s in personal_data.collect(quinn)}
    assert sections["quality.corrective_actions"][0]["action"] == "Lengkapi rekaman dan latih asesor"
    assert sections["quality.corrective_actions"][0]["due_on"] == cal.add_working_days(HELD, 20)
    services.evidence_add(CorrectiveAction.objects.get(), actor=quinn, upload=pdf("foto.pdf", "Foto pelatihan"))
    files = [f for s in personal_data.collect(quinn) if s.key == "quality.evidence" for f in s.files]
    assert [f.name.endswith("foto.pdf") for f in files] == [True] and files[0].read().startswith(b"%PDF")
    named = {s.key: s.records for s in personal_data.collect(lina)}["staff_records"]
    assert any("audit" in r["record"].lower() and r["count"] == 1 for r in named)  # who recorded the audit


def test_an_action_sent_back_returns_to_its_owner_with_the_reason_and_a_second_tab_is_told(lina, quinn, login):
    action = finding(audit(lina), lina, quinn).action
    services.evidence_add(action, actor=quinn, upload=pdf())
    analyse(action)
    services.action_take(action, "completed", actor=quinn)
    empty = login(lina).post(reverse("quality:system-action-return", args=[action.pk]), {"reason": ""}, follow=True)
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED and "tidak boleh kosong" in empty.content.decode()
    login(lina).post(reverse("quality:system-action-return", args=[action.pk]), {"reason": "Foto tidak terbaca"})
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    entry = AuditEntry.objects.get(action="quality.correctiveaction.returned")
    assert entry.note == "Foto tidak terbaca" and entry.actor == lina
    assert "Foto tidak terbaca" in login(quinn).get(action.get_absolute_url()).content.decode()
    again = login(lina).post(reverse("quality:system-action-return", args=[action.pk]), {"reason": "x"}, follow=True)
    assert "tidak dapat dilakukan" in again.content.decode() or "not possible now" in again.content.decode()


def test_the_owners_queue_is_kept_and_shows_a_new_and_a_closed_action_at_once(lina, tono, login):
    """The owner's counts are kept a minute (asked on every staff home page) and forgotten when an action is saved."""
    home = login(tono)

    def tile() -> str:
        page = home.get(reverse("home"), follow=True).content.decode()
        return page.split('data-work="corrective-actions"')[1].split("</a>")[0] if "corrective-actions" in page else ""

    assert tile() == ""
    action = finding(audit(lina, held_on=datetime.date(2026, 9, 1)), lina, tono, "Tinjauan terlambat").action
    assert '<span class="fs-4 fw-semibold text-danger" data-count>1</span>' in tile()  # overdue, in red
    services.evidence_add(action, actor=tono, upload=pdf())
    analyse(action)
    services.action_take(action, "completed", actor=tono)
    assert "data-count>0</span>" in tile()  # reported done: nothing waits for the owner
    services.action_take(CorrectiveAction.objects.get(pk=action.pk), "closed", actor=lina, reason="Efektif")
    assert tile() == ""
