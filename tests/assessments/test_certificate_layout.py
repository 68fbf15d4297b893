"""Issue 18 point 2: the certificate, the result letter and the berita acara read as official documents: the
LSP's letterhead, logo and BNSP licence, the holder's accepted dossier photo, long Indonesian dates with English
below, the units on the back page, and the signatory's name, position and NIP."""

import io
import os
import subprocess
import tempfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from applicants.models import ApplicationDocument, DocumentFile
from assessments import services
from assessments.certificates import services as certs
from certportal.lsp.demo import DEMO, demo_logo_png
from certportal.lsp.services import profile_update
from schemes.models import RequiredDocument

pytestmark = pytest.mark.django_db

PHOTO_SIZE = (90, 120)


def pdftotext(pdf: bytes, *, page: int | None = None) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        pages = ["-f", str(page), "-l", str(page)] if page else []
        out = subprocess.run(["pdftotext", "-layout", *pages, fh.name, "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def pdfimages(pdf: bytes) -> list[tuple[int, int, int]]:
    """(page, width, height) of every image in the file, as ``pdfimages -list`` reports them."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run(["pdfimages", "-list", fh.name], capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return [(int(r[0]), int(r[3]), int(r[4])) for r in rows]


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def keep(pdf: bytes, name: str) -> None:
    """With CERT_LAYOUT_OUT set, keep the PDF to look at (``pdftoppm -png``)."""
    folder = os.environ.get("CERT_LAYOUT_OUT")
    if folder:
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(pdf)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", PHOTO_SIZE, (190, 30, 40)).save(out, "PNG")
    return out.getvalue()


def add_accepted_photo(app, *, review=ApplicationDocument.Review.ACCEPTED) -> DocumentFile:
    requirement, _ = RequiredDocument.objects.get_or_create(
        scheme=app.scheme, name="Pasfoto ukuran 3x4 latar belakang merah",
        defaults={"category": RequiredDocument.Category.ADMINISTRATIVE, "accepted_kinds": ["jpeg", "png"]})
    doc, _ = ApplicationDocument.objects.get_or_create(application=app, requirement=requirement,
                                                       defaults={"review": review})
    data = _photo()
    return DocumentFile.objects.create(document=doc, file=ContentFile(data, name="pasfoto.png"),
                                       original_name="pasfoto.png", kind="png", size=len(data))


@pytest.fixture
def profile(lina):
    return profile_update(actor=lina, logo=ContentFile(demo_logo_png(), name="logo.png"), logo_kind="png", **DEMO)


@pytest.fixture
def certificate(profile, decided, lina, alice):
    p = decided.participants.get(application__applicant=alice)
    add_accepted_photo(p.application)
    services.participant_accept_obligations(p, user=alice)
    return certs.certificate_issue(p, actor=lina)


def test_the_certificate_carries_the_lsp_the_photo_the_signatory_and_long_dates(certificate):
    pdf = certs.certificate_pdf(certificate)
    keep(pdf, "certificate.pdf")
    assert page_count(pdf) == 2  # front, and the units on the back as BNSP certificates list them
    front = pdftotext(pdf, page=1)
    assert "SERTIFIKAT KOMPETENSI" in front and "Certificate of Competence" in front
    assert DEMO["name"].upper() in front and f"Lisensi BNSP Nomor {DEMO['licence_number']}" in front
    assert DEMO["signatory_name"] in front and f"NIP {DEMO['signatory_nip']}" in front
    assert DEMO["signatory_position"] in front and certificate.number in front and certificate.holder_name in front
    issued, expires = certificate.issued_on, certificate.expires_on
    months_id = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                 "November", "Desember"]
    assert f"{issued.day} {months_id[issued.month - 1]} {issued.year}" in front  # "23 November 2026"
    assert f"{expires.day} {months_id[expires.month - 1]} {expires.year}" in front
    assert f"{expires.day} {expires.strftime('%B')} {expires.year}" in front  # the English date below
    assert f"Jakarta, {issued.day} {months_id[issued.month - 1]} {issued.year}" in front
    assert "(____" not in front and "-" + str(issued.year) not in front  # no blank line, no ISO-like date
    back = pdftotext(pdf, page=2)
    assert "DAFTAR UNIT KOMPETENSI" in back
    for unit in certificate.snapshot["units"]:
        assert unit["code"] in back and unit["code"] not in front
    images = pdfimages(pdf)
    assert (1, *PHOTO_SIZE) in images  # the holder's accepted dossier photo, on the front
    assert any(w == h == 360 for _p, w, h in images)  # the LSP logo


def test_the_photo_is_the_accepted_one_and_frozen_at_issue(profile, decided, lina, alice, bob):
    p = decided.participants.get(application__applicant=alice)
    photo = add_accepted_photo(p.application)
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    assert cert.snapshot["photo_file"] == photo.pk and cert.snapshot["lsp"]["name"] == DEMO["name"]
    profile_update(actor=lina, **{**DEMO, "signatory_name": "Penanda Tangan Baru, S.H."})
    text = pdftotext(certs.certificate_pdf(cert))
    assert DEMO["signatory_name"] in text and "Penanda Tangan Baru" not in text  # issued documents do not change


def test_a_photo_not_accepted_is_not_printed(profile, event, lina, alice):
    from assessments.certificates.services.issue import accepted_photo_id

    app = event.participants.get(application__applicant=alice).application
    add_accepted_photo(app, review=ApplicationDocument.Review.RETURNED)
    assert accepted_photo_id(app) is None


def test_the_result_letter_has_the_letterhead_the_signatory_and_long_dates(profile, decided, lina, bob, scheme):
    letter = certs.result_letter_issue(decided.participants.get(application__applicant=bob), actor=lina)
    pdf = certs.letter_pdf(letter)
    keep(pdf, "letter.pdf")
    text = pdftotext(pdf)
    assert DEMO["name"].upper() in text and f"Lisensi BNSP Nomor {DEMO['licence_number']}" in text
    assert DEMO["address"] in text and "SURAT KETERANGAN HASIL UJI KOMPETENSI" in text
    assert DEMO["signatory_name"] in text and f"NIP {DEMO['signatory_nip']}" in text
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("id"):
        day_id = date_format(letter.issued_on, "j F Y")
    with translation.override("en"):
        day_en = date_format(letter.issued_on, "j F Y")
    assert f"Jakarta, {day_id}" in text and f"Jakarta, {day_en}" in text and "(____" not in text
    assert any(w == h == 360 for _p, w, h in pdfimages(pdf))  # the logo in the letterhead
    for su in scheme.scheme_units.select_related("unit"):
        assert su.unit.code in text


def test_the_berita_acara_has_the_letterhead_and_the_lsp_signatory(profile, decided, lina, login):
    url = reverse("assessments:event-document", args=[decided.pk, "berita-acara"])
    pdf = login(lina).get(url).content
    keep(pdf, "berita-acara.pdf")
    text = pdftotext(pdf)
    assert DEMO["name"].upper() in text and f"Lisensi BNSP Nomor {DEMO['licence_number']}" in text
    assert "BERITA ACARA UJI KOMPETENSI" in text and "Mengetahui" in text
    assert DEMO["signatory_name"] in text and f"NIP {DEMO['signatory_nip']}" in text
    assert "WIB" in text and "DRAF" not in text


def test_documents_issued_before_the_profile_print_the_configured_name(decided, lina, alice, settings):
    settings.ASSESSMENT_LSP_NAME = "LSP Contoh Sebelum Profil"
    p = decided.participants.get(application__applicant=alice)
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    cert.snapshot.pop("lsp")
    text = pdftotext(certs.certificate_pdf(cert))
    assert "LSP CONTOH SEBELUM PROFIL" in text and "Pas foto" in text  # no photo: the empty 3x4 box
