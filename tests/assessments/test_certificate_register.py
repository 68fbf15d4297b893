"""The LSP's certificate register comes in: an upload read and checked in the background, a preview with every
faulty row's problems, nothing imported from a faulty file, a re-import that changes nothing, the LSP admin's
pages only; an imported certificate verifies publicly (page and JSON) saying the paper is the record, reminds its
holder, and the portal's next number follows the register's."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessments.certificates import services as certs
from assessments.certificates.models import Certificate, CertificateSequence, ExpiryReminder
from assessments.certificates.register_models import RegisterImport
from assessments.certificates.scope_models import ScopeReduction
from assessments.certificates.services.misuse import misuse_handle, misuse_report_file
from assessments.certificates.services.reduction import reduction_decide
from assessments.certificates.services.reminders import expiry_reminders_sweep
from assessments.errors import AssessmentRefused
from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from tests import hostile_files
from tests.applicants.factories import ProfileFactory

from .factories import decide_event

pytestmark = pytest.mark.django_db

HEADER = ["Nomor Sertifikat", "Nama", "NIP", "Kode Skema", "Versi Skema", "Unit Kompetensi", "Tanggal Terbit",
          "Berlaku Sampai", "Status", "Nomor Blanko", "Nomor Registrasi BNSP"]
NIPS = [f"19850314201001200{i}" for i in range(1, 10)]


def row(n: int, scheme, *, year: int = 2026, issued: str = "", nip: str = "", **changes) -> list[str]:
    values = {"number": f"{n:05d}/SKK/LSP-BPSDM/{year}", "name": f"Pemegang Ke-{n}, S.E.", "nip": nip or NIPS[n % 9],
              "code": scheme.code, "version": str(scheme.version), "units": "", "issued": issued or f"{year}-03-02",
              "until": "", "status": "Berlaku", "blanko": "", "registration": ""}
    values.update(changes)
    return list(values.values())


def csv_file(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(client, capture, data: bytes, name: str = "register.csv"):
    with capture(execute=True):  # the reading is handed to the worker (eagerly here) after the commit
        return client.post(reverse("assessments:register"), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def send(lina, login, django_capture_on_commit_callbacks, on_23_november):
    """``send(data)``: Lina uploads a register; the job read and checked."""
    client = login(lina)

    def go(data: bytes, name: str = "register.csv") -> RegisterImport:
        response = upload(client, django_capture_on_commit_callbacks, data, name)
        assert response.status_code == 302
        return RegisterImport.objects.order_by("-pk").first()

    go.client = client
    return go


def apply(client, job):
    """The LSP admin clicks "Import"; the worker's task, handed on after the commit, writes the register (run
    in-process here)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("assessments:register-import-action", args=[job.public_id, "confirmed"]))


def test_the_preview_names_every_faulty_row_and_nothing_is_imported(send, scheme):
    rows = [row(1, scheme),
            row(2, scheme, number="=HYPERLINK(\"http://x\")"),  # a formula: never calculated
            row(3, scheme, number="SKK#2026"),  # not a number
            row(4, scheme, code="SKEMA-TIDAK-ADA"),
            row(5, scheme, issued="2026-12-01"),  # after 23 November 2026
            row(6, scheme, until="2026-01-01"),  # valid until before its issue
            row(1, scheme),  # the number of line 2 again
            row(8, scheme, units="N.999.999.01"),
            row(9, scheme, status="hilang"),
            row(10, scheme, issued="31/02/2026")]
    job = send(csv_file(rows))
    assert job.status == RegisterImport.Status.DONE and job.counts["faulty"] == 9 and job.counts["new"] == 1
    problems = {r["line"]: " ".join(r["problems"]) for r in job.rows}
    assert problems[2] == ""
    assert "formula" in problems[3].lower() or "rumus" in problems[3].lower()
    assert "SKK#2026" in problems[4]
    assert "SKEMA-TIDAK-ADA" in problems[5]
    assert "1 Desember 2026" in problems[6]
    assert "1 Januari 2026" in problems[7]
    assert "00001/SKK/LSP-BPSDM/2026" in problems[8] and "2" in problems[8]
    assert "N.999.999.01" in problems[9]
    assert "hilang" in problems[10]
    assert "31/02/2026" in problems[11]
    home = send.client.get(reverse("home"), follow=True).content.decode()
    assert 'data-work="register-imports"' in home  # waiting on the LSP admin's work queue
    page = send.client.get(job.get_absolute_url()).content.decode()
    assert 'id="import-refused"' in page and 'id="import-confirm"' not in page
    assert page.count('class="table-danger"') == 9 and "HYPERLINK" in page and "<a href=\"http://x\"" not in page
    response = apply(send.client, job)  # posted all the same: refused
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.DONE and not Certificate.objects.exists()


def test_a_clean_register_imports_once_links_holders_and_is_audited(send, scheme, alice):
    ProfileFactory(user=alice, full_name="Alice Applicant, S.Sos.", nip=NIPS[2])
    data = csv_file([row(n, scheme, blanko=f"00{n}1234", registration=f"REG-{n}") for n in range(1, 6)])
    job = send(data, "register 2026.csv")
    assert job.counts == {"rows": 5, "new": 5, "unchanged": 0, "linked": 0, "faulty": 0}
    assert not Certificate.objects.exists()  # nothing before the confirmation
    apply(send.client, job)
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.APPLIED
    imported = Certificate.objects.filter(source="imported")
    assert imported.count() == 5 and not imported.filter(participant__isnull=False).exists()
    linked = imported.get(holder_nip=NIPS[2])
    assert linked.holder == alice and linked.holder_account == alice
    assert linked.snapshot["units"] and linked.expires_on == datetime.date(2029, 3, 2)  # the scheme's 3 years
    entries = AuditEntry.objects.filter(action="assessments.certificate.imported")
    assert entries.count() == 5 and all("register 2026.csv" in e.note for e in entries)
    assert AuditEntry.objects.filter(action="assessments.registerimport.confirmed", actor_name="Lina LSP Admin").exists()
    assert AuditEntry.objects.filter(action="assessments.registerimport.applied", actor__isnull=True).exists()
    assert "new=5" in AuditEntry.objects.get(action="assessments.registerimport.result").note
    # the same file again: nothing new, nothing doubled
    again = send(data, "register 2026.csv")
    assert again.pk != job.pk and again.counts["new"] == 0 and again.counts["unchanged"] == 5
    apply(send.client, again)
    assert Certificate.objects.count() == 5


def test_a_holder_who_registers_later_is_linked_by_the_next_import(send, scheme, bob):
    data = csv_file([row(1, scheme, nip=NIPS[5])])
    apply(send.client, send(data))
    assert Certificate.objects.get().holder is None
    ProfileFactory(user=bob, full_name="Bob", nip=NIPS[5])
    again = send(data)
    assert again.counts["linked"] == 1
    apply(send.client, again)
    assert Certificate.objects.get().holder == bob
    assert AuditEntry.objects.filter(action="assessments.certificate.holder_linked").count() == 1


def test_a_number_the_portal_issued_itself_is_refused(send, scheme, event, lina, tono, asa, alice):
    decided = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    issued = certs.certificate_issue(decided.participants.get(application__applicant=alice), actor=lina)
    job = send(csv_file([row(issued.sequence, scheme)]))
    assert issued.number in " ".join(job.rows[0]["problems"]) and job.counts["faulty"] == 1


@pytest.mark.parametrize("data", [hostile_files.xlsx_with_nested_entities(HEADER),
                                  hostile_files.xlsx_with_utf16_sheet(HEADER),
                                  b"Nomor Sertifikat;Nama\n1;a\x00b\n",
                                  b"\xff\xfe\x00N\x00o"])
def test_a_hostile_file_fails_the_job_with_its_reason_and_imports_nothing(send, data):
    job = send(data, "register.xlsx")
    assert job.status == RegisterImport.Status.FAILED and job.error
    assert not Certificate.objects.exists()


def test_a_file_without_the_register_s_columns_is_refused(send):
    job = send(csv_file([["x", "y"]], header=["Kolom", "Lain"]))
    assert job.status == RegisterImport.Status.FAILED and "NIP" in job.error


@pytest.mark.parametrize("name", ["register", "register-import", "register-import-action"])
def test_the_register_is_the_lsp_admins_only(name, send, scheme, client, login, alice, victor):
    job = send(csv_file([row(1, scheme)]))
    kwargs = {"register": {}, "register-import": {"public_id": job.public_id},
              "register-import-action": {"public_id": job.public_id, "action": "confirmed"}}[name]
    url = reverse(f"assessments:{name}", kwargs=kwargs)
    call = "post" if name == "register-import-action" else "get"
    response = getattr(client, call)(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert getattr(login(alice), call)(url).status_code == 403
    assert getattr(login(victor), call)(url).status_code == 403
    assert not Certificate.objects.exists()


def test_an_imported_certificate_verifies_publicly_and_says_the_paper_is_the_record(send, scheme, client, login):
    apply(send.client, send(csv_file([row(7, scheme, blanko="0071234", registration="REG-7")])))
    cert = Certificate.objects.get()
    page = client.get(reverse("assessments:verify-code", args=[cert.verification_code])).content.decode()
    assert 'data-status="valid"' in page and 'id="paper-original"' in page and "Pemegang Ke-7" in page
    assert "dokumen asli kertas" in page.lower() or "asli" in page
    data = json.loads(client.get(reverse("assessments:verify-json", args=[cert.verification_code])).content)
    assert data["found"] and data["status"] == "valid" and data["source"] == "imported"
    assert data["number"] == "00007/SKK/LSP-BPSDM/2026" and data["blanko_number"] == "0071234"
    assert "paper original is the record" in data["record"]["en"] and "kertas" in data["record"]["id"]
    # the paper carries no code of the portal: its number with the holder's name, as printed
    by_number = client.post(reverse("assessments:verify"), {"kode": "00007/SKK/LSP-BPSDM/2026",
                                                            "nama": "Pemegang Ke-7"}).content.decode()
    assert 'data-status="valid"' in by_number and 'id="paper-original"' in by_number
    client.cookies["django_language"] = "en"
    page_en = client.get(reverse("assessments:verify-code", args=[cert.verification_code])).content.decode()
    assert "the paper original is the record" in page_en
    # the portal prints no copy of it
    assert send.client.get(reverse("assessments:certificate-pdf", args=[cert.pk])).status_code == 404
    assert 'id="paper-original"' in send.client.get(reverse("assessments:certificate", args=[cert.pk])).text


def test_the_holder_is_reminded_before_an_imported_certificate_expires(send, scheme, alice, login):
    ProfileFactory(user=alice, full_name="Alice", nip=NIPS[1])
    apply(send.client, send(csv_file([row(1, scheme, year=2024, issued="2024-01-10", until="2027-01-10",
                                          nip=NIPS[1])])))
    cert = Certificate.objects.get()
    assert expiry_reminders_sweep(datetime.date(2026, 11, 23)) == 1
    assert ExpiryReminder.objects.get(months=3).certificate == cert
    assert Notification.objects.filter(user=alice).exists()
    page = login(alice).get(reverse("assessments:holder-certificate", args=[cert.pk])).content.decode()
    assert 'id="paper-original"' in page and 'id="recertify"' in page
    mine = login(alice).get(reverse("assessments:mine")).content.decode()
    assert reverse("assessments:holder-certificate", args=[cert.pk]) in mine


def test_the_portal_s_next_number_follows_the_register(send, scheme, event, lina, tono, asa, alice, alice_app):
    apply(send.client, send(csv_file([row(n, scheme, issued="2026-02-01") for n in (3, 41, 42)]
                                     + [row(90, scheme, year=2025, issued="2025-05-05")])))
    assert CertificateSequence.objects.get(kind="certificate", year=2026).last == 42
    assert CertificateSequence.objects.get(kind="certificate", year=2025).last == 90
    decided = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    cert = certs.certificate_issue(decided.participants.get(application__applicant=alice), actor=lina)
    assert cert.number == "00043/SKK/LSP-BPSDM/2026" and cert.source == "portal"
    assert Certificate.objects.filter(number=cert.number).count() == 1


def test_a_number_taken_in_another_shape_is_skipped_not_issued_twice(send, scheme):
    from django.db import transaction

    from assessments.certificates.services.issue import next_certificate_number

    apply(send.client, send(csv_file([row(1, scheme, issued="2026-02-01")])))
    CertificateSequence.objects.filter(year=2026).update(last=0)  # a sequence behind the numbers held
    with transaction.atomic():
        assert next_certificate_number(datetime.date(2026, 11, 23)) == (2, "00002/SKK/LSP-BPSDM/2026")


def test_the_holder_of_an_imported_certificate_gets_its_open_badges_credential(send, scheme, alice, login):
    from assessments.certificates.credentials import keys

    ProfileFactory(user=alice, full_name="Alice", nip=NIPS[4])
    apply(send.client, send(csv_file([row(4, scheme, nip=NIPS[4])])))
    cert = Certificate.objects.get()
    response = login(alice).get(reverse("assessments:credential-download", args=[cert.pk]) + "?format=vc1")
    assert response.status_code == 200
    assert json.loads(response.content)["credentialSubject"]["licenseNumber"] == cert.number
    assert keys.didkit({"op": "verify", "credential": response.content.decode()})["errors"] == []


@pytest.mark.parametrize("name", ["register_sertifikat.csv", "register_sertifikat.xlsx"])
def test_the_sample_register_in_the_repository_imports_cleanly(send, name):
    from pathlib import Path

    from schemes.reference import load_pelayanan_prima

    load_pelayanan_prima()
    sample = Path(__file__).resolve().parents[2] / "fixtures" / "adoption" / name
    job = send(sample.read_bytes(), name)
    assert job.status == RegisterImport.Status.DONE, job.error
    assert job.counts["faulty"] == 0, [r["problems"] for r in job.rows if r["problems"]]
    apply(send.client, job)
    assert Certificate.objects.filter(source="imported").count() == job.counts["new"] == 24
    assert CertificateSequence.objects.get(kind="certificate", year=2026).last == 2


def test_the_employers_api_answers_an_imported_certificate_by_number_and_name(send, scheme, lina, client):
    from assessments.certificates.services.holder import api_token_issue

    apply(send.client, send(csv_file([row(12, scheme, nip=NIPS[3])])))
    token = api_token_issue(name="BKD Kota Contoh", actor=lina)[1]
    response = client.post("/api/v1/certificates/lookup-by-number", json.dumps({"certificates": [
        {"number": "00012/SKK/LSP-BPSDM/2026", "nip": NIPS[3]}]}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = response.json()["results"][0]
    assert response.status_code == 200 and answer["found"] and answer["status"] == "valid"
    assert answer["source"] == "imported" and "paper original" in answer["record"]["en"]
    assert [u["code"] for u in answer["units"]] == [su.unit.code for su in scheme.scheme_units.order_by("position")]


def test_an_imported_certificate_is_not_reduced_and_its_status_actions_work_without_a_participant(
        send, scheme, alice, lina, mailoutbox):
    """A certificate from the register has no test event behind it: the LSP admin's page offers no scope reduction
    and the service refuses it with the reason; suspending, lifting and withdrawing it work, its holder told when
    they have an account (linked by NIP)."""
    ProfileFactory(user=alice, full_name="Alice Applicant, S.Sos.", nip=NIPS[3])
    apply(send.client, send(csv_file([row(3, scheme), row(4, scheme)])))
    linked, alone = Certificate.objects.get(holder_nip=NIPS[3]), Certificate.objects.get(holder_nip=NIPS[4])
    assert linked.participant_id is None and len(linked.snapshot["units"]) > 1
    page = send.client.get(reverse("assessments:certificate", args=[linked.pk]))
    assert page.status_code == 200 and 'id="reduce-scope"' not in page.text and 'id="suspend-certificate"' in page.text
    reduce_page = send.client.get(reverse("assessments:certificate-reduce", args=[linked.pk]))
    assert reduce_page.status_code == 200 and 'id="reduce-form"' not in reduce_page.text
    assert "register LSP" in reduce_page.text or "kertas" in reduce_page.text  # the reason, in Indonesian
    with pytest.raises(AssessmentRefused, match="paper original is the record"), translation.override("en"):
        reduction_decide(linked, actor=lina, kept_codes=[u["code"] for u in linked.snapshot["units"]][:1],
                         ground="surveillance", reason="Unit ketiga tidak terbukti.", decree_number="SK-RED/9/2026",
                         decided_on=linked.issued_on, members=[lina])
    assert not ScopeReduction.objects.exists() and Certificate.objects.count() == 2

    status = reverse("assessments:certificate-status", args=[linked.pk])
    send.client.post(status, {"action": "suspended", "reason": "Laporan penyalahgunaan.", "until": "2026-12-31"})
    linked.refresh_from_db()
    assert linked.status == "suspended" and Notification.objects.filter(user=alice).count() == 1
    send.client.post(status, {"action": "reinstated", "reason": "Laporan tidak terbukti."})
    linked.refresh_from_db()
    assert linked.status == "issued" and Notification.objects.filter(user=alice).count() == 2
    report = misuse_report_file(alone, what="Sertifikat dipakai orang lain.", where="Kantor dinas.")
    misuse_handle(report, "warned", actor=lina, reason="Peringatan tertulis lewat dinas.")  # no account to warn
    report.refresh_from_db()
    assert report.status == "warned"
    send.client.post(reverse("assessments:certificate-status", args=[alone.pk]),
                     {"action": "withdrawn", "reason": "Dicabut oleh keputusan LSP."})  # no account to tell
    alone.refresh_from_db()
    assert alone.status == "withdrawn"
