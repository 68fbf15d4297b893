"""A decree's text layer is machine output: the control characters a PDF's text can carry (``(a\\000b) Tj`` reads
back as "a\\x00b"), which PostgreSQL (NUL) or the input guard (``certportal.inputguard.CONTROL_IN_VALUE``) refuses,
are dropped from the text with a warning on the review, naming the pages, never stored and never a 500
(docs/security.md)."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from certportal.inputguard import CONTROL_IN_VALUE
from schemes.models import Decree, ImportJob, Unit

pytestmark = pytest.mark.django_db

# The decree's lines as its PDF draws them (PDF string syntax: \000 is NUL, \013 a vertical tab, \037 a separator).
LINES = [b"KEPUTUSAN MENTERI KETENAGAKERJAAN", b"REPUBLIK INDONESIA", b"NOMOR 99 TAHUN 2025", b"TENTANG",
         b"PENETAPAN STANDAR KOMPETENSI KERJA NASIONAL INDONESIA BIDANG PENGU\\000JIAN", b"BAB I",
         b"B. Daftar Unit Kompetensi", b"NO KODE UNIT JUDUL UNIT",
         b"1 J.62SKK00.001.1 Melakukan\\000 Pengujian Masukan",
         b"2 J.62SKK00.002.1 Menyusun Laporan\\013Uji\\037Akhir\\001", b"C. Uraian Unit Kompetensi"]
WARNING = {"en": "Page 2 of the PDF has control characters (such as NUL) in its text layer",
           "id": "Halaman 2 PDF memuat karakter kendali (misalnya NUL) pada lapisan teksnya"}


def decree_pdf() -> bytes:
    """A real two-page PDF: a cover page whose text is clean, then the decree drawn with Helvetica."""
    doc = pikepdf.new()
    font = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica,
                                                Encoding=pikepdf.Name.WinAnsiEncoding))
    for lines in ([b"SALINAN"], LINES):
        ops = b"\n".join([b"BT /F1 10 Tf 14 TL 50 800 Td", *(b"(" + line + b") Tj T*" for line in lines), b"ET"])
        doc.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Contents=doc.make_stream(ops),
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_the_pdf_really_carries_the_characters_in_its_text_layer():
    from pypdf import PdfReader

    raw = PdfReader(io.BytesIO(decree_pdf())).pages[1].extract_text()
    assert "\x00" in raw and "\x0b" in raw and "\x1f" in raw and "\x01" in raw


@pytest.mark.postgresql("PostgreSQL is what refuses a NUL in text and in jsonb")
@pytest.mark.parametrize("language", ["en", "id"])
def test_a_decree_whose_text_layer_holds_nul_is_read_and_imported_without_it(language, lina, login,
                                                                             django_capture_on_commit_callbacks):
    lina.preferred_language = language
    lina.save(update_fields=["preferred_language"])
    client = login(lina)
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("schemes:manage-skkni-upload"),
                           {"file": SimpleUploadedFile("skkni.pdf", decree_pdf(), content_type="application/pdf")})
    assert sent.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.error
    review = client.get(job.get_absolute_url())
    assert review.status_code == 200 and WARNING[language] in review.content.decode()
    assert [u["title"] for u in job.parsed["units"]] == ["Melakukan Pengujian Masukan", "Menyusun Laporan Uji Akhir"]

    done = client.post(reverse("schemes:manage-import-action", args=[job.public_id, "applied"]))
    assert done.status_code == 302
    decree = Decree.objects.get(number="99", year=2025)
    saved = [decree.title, *Unit.objects.order_by("code").values_list("title", flat=True)]
    assert saved[1:] == ["Melakukan Pengujian Masukan", "Menyusun Laporan Uji Akhir"]
    assert "Pengujian" in decree.title and not any(CONTROL_IN_VALUE.search(text) for text in saved)


def test_a_text_decree_loses_its_control_characters_and_keeps_its_page_breaks():
    from schemes.importers.skkni import read_text

    with translation.override("en"):
        text, warning = read_text("KEPUTUSAN\x01 MENTERI\x0bA\fB\x85C".encode())
        assert (text, warning) == ("KEPUTUSAN MENTERI A\nB C",
                                   "The text had 3 control characters (such as NUL); they were dropped.")
        assert read_text(b"KEPUTUSAN\fMENTERI") == ("KEPUTUSAN\nMENTERI", None)
