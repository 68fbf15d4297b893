"""Issue 30 item 5: the LSP admin makes a quarter's report, has the letter (PDF) written by the export job, records
it sent; the supervisor reads it; every other role gets 403 and an anonymous visitor the login page."""

from __future__ import annotations

import pytest
from django.utils import translation

from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.exportjobs.models import ExportJob
from quality.reports.models import PeriodicReport, ReportStatus
from tests.factories import UserFactory
from tests.pdf_layout import pdf_text
from tests.quality.report_data import build_quarter

pytestmark = pytest.mark.django_db
FORM = {"kind": "quarter", "year": "2026", "part": "3", "letter_number": "012/LSP-ASM/XI/2026"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def login(login):
    """A client logged in as that person, reading the pages in English (the asserted texts)."""
    def in_english(user):
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
        client = login(user)
        client.cookies["django_language"] = "en"
        return client
    return in_english


@pytest.fixture
def quarter(on_23_november):
    return build_quarter()


def _make(client) -> PeriodicReport:
    response = client.post("/mutu/laporan-bnsp/baru/", FORM)
    report = PeriodicReport.objects.get()
    assert response.status_code == 302 and response.url == f"/mutu/laporan-bnsp/{report.pk}/"
    return report


def test_the_lsp_admin_makes_the_quarters_report_and_the_letter_reads_its_figures(
        quarter, lina, login, django_capture_on_commit_callbacks):
    client = login(lina)
    report = _make(client)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Certificates reduced in scope" in page and "Record as sent to BNSP" in page
    assert quarter["a"].code in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mutu/laporan-bnsp/{report.pk}/berkas/pdf/")
    assert response.status_code == 302  # the request answers at once: the job writes the letter
    job = ExportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    download = client.get(f"/ekspor/{job.public_id}/unduh/")
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(download.streaming_content))
    assert "Nomor : 012/LSP-ASM/XI/2026" in text
    assert "Yth. Ketua Badan Nasional Sertifikasi Profesi (BNSP)" in text
    assert "Uji kompetensi yang dilaksanakan 2" in text
    assert "Sertifikat diterbitkan (di antaranya sertifikasi ulang: 1) 3" in text
    assert "Sertifikat dikurangi ruang lingkupnya 1" in text
    assert "Kompeten (K) / Belum Kompeten (BK) 2 / 1" in text


def test_a_period_not_over_is_refused_and_a_second_report_of_a_period_too(quarter, lina, login):
    client = login(lina)
    page = client.post("/mutu/laporan-bnsp/baru/", {**FORM, "part": "4"}).content.decode()
    assert "The period runs until 31 December 2026" in page or "31 Desember 2026" in page
    assert not PeriodicReport.objects.exists()
    _make(client)
    page = client.post("/mutu/laporan-bnsp/baru/", FORM).content.decode()
    assert "already exists" in page and PeriodicReport.objects.count() == 1
    page = client.post("/mutu/laporan-bnsp/baru/", {**FORM, "kind": "semester", "part": "3"}).content.decode()
    assert "A year has 2 of these periods." in page


def test_sending_needs_a_reference_and_is_audited_with_it(quarter, lina, login):
    client = login(lina)
    report = _make(client)
    client.post(f"/mutu/laporan-bnsp/{report.pk}/kirim/", {"reference": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    client.post(f"/mutu/laporan-bnsp/{report.pk}/kirim/", {"reference": "Tanda terima 77"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT and report.sent_reference == "Tanda terima 77"
    entry = AuditEntry.objects.for_object(report).get(action="quality.periodicreport.sent")
    assert (entry.from_state, entry.to_state, entry.note, entry.actor_id) == ("draft", "sent", "Tanda terima 77",
                                                                              lina.pk)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Record as sent to BNSP" not in page and "Tanda terima 77" in page


def test_the_supervisor_reads_and_nobody_else_does(quarter, lina, sofia, asa, alice, karin, login, client):
    report = _make(login(lina))
    reader = login(sofia)
    page = reader.get(report.get_absolute_url()).content.decode()
    assert "Letter for signature (PDF)" in page and "Recompute the figures" not in page
    assert reader.get("/mutu/laporan-bnsp/").status_code == 200
    assert reader.post(f"/mutu/laporan-bnsp/{report.pk}/hitung-ulang/").status_code == 403
    assert reader.post(f"/mutu/laporan-bnsp/{report.pk}/kirim/", {"reference": "x"}).status_code == 403
    assert reader.post("/mutu/laporan-bnsp/baru/", FORM).status_code == 403
    others = [asa, alice, karin, UserFactory(roles=[Role.QUALITY]), UserFactory(roles=[Role.AGENCY_HEAD])]
    urls = ["/mutu/laporan-bnsp/", report.get_absolute_url(), "/mutu/laporan-bnsp/baru/"]
    for user in others:
        other = login(user)
        for url in urls:
            assert other.get(url).status_code == 403, (user, url)
        assert other.post(f"/mutu/laporan-bnsp/{report.pk}/berkas/pdf/").status_code == 403
    for url in urls:
        assert client.get(url).status_code == 302 and "/akun/masuk/" in client.get(url)["Location"]
    assert not ExportJob.objects.exists()
