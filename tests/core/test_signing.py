"""Electronic signatures (certportal.signing): PAdES with a visible block, validated by pyHanko against a CA made
for the test; the PKCS#12 and BSrE backends, the latter over HTTP against a stand-in server this test starts."""

import io
import re

import pytest
from pypdf import PdfReader

from certportal.pdf import render_pdf
from certportal.signing.backends import BsreSigner, SigningError
from certportal.signing.democa import ensure_demo_signer
from certportal.signing.models import SignedDocument
from certportal.signing.services import document_sign
from certportal.signing.validation import Verdict
from tests.esign import BsreStandIn, one_byte_changed, throwaway_signer, validate_against

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are matched on their English source text."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def esign(tmp_path, settings):
    return throwaway_signer(tmp_path, settings)


@pytest.fixture
def plain_pdf():
    return render_pdf("assessments/pdf/minimal.html", {})


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_signed_document_validates_against_the_ca_and_shows_who_signed_when_and_why(esign, plain_pdf):
    done = document_sign(plain_pdf, kind="test", object_id=1, label="Dokumen uji", reason="Sertifikat 00001/SKK/2026")
    assert done.signed and done.record.sha256
    check = validate_against(done.pdf, esign.ca_pem)
    assert check.verdict == Verdict.AUTHENTIC
    assert check.reason == "Sertifikat 00001/SKK/2026"
    # the visible block, drawn on the page: the signer, the time in WIB and the reason
    import pikepdf

    with pikepdf.open(io.BytesIO(done.pdf)) as doc:
        widget = [a for a in doc.pages[-1].Annots if a.get("/FT") == "/Sig"][0]
        appearance = re.sub(r"\\(\d{3})", lambda m: chr(int(m.group(1), 8)), widget.AP.N.read_bytes().decode("latin-1"))
    assert "Dra. Kepala LSP" in appearance and "WIB" in appearance and "Sertifikat 00001/SKK/2026" in appearance


def test_changing_one_byte_breaks_the_signature(esign, plain_pdf):
    signed = document_sign(plain_pdf, kind="test", object_id=1, label="x", reason="uji").pdf
    assert validate_against(one_byte_changed(signed), esign.ca_pem).verdict == Verdict.MODIFIED


def test_something_added_after_signing_is_a_modified_document(esign, plain_pdf):
    import pikepdf

    signed = document_sign(plain_pdf, kind="test", object_id=1, label="x", reason="uji").pdf
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(signed)) as doc:  # an extra page, saved as a new file (re-written)
        doc.add_blank_page()
        doc.save(buffer)
    assert validate_against(buffer.getvalue(), esign.ca_pem).verdict == Verdict.MODIFIED


def test_a_signature_from_another_ca_is_not_this_lsps(esign, plain_pdf, tmp_path):
    signed = document_sign(plain_pdf, kind="test", object_id=1, label="x", reason="uji").pdf
    stranger = ensure_demo_signer(tmp_path / "other")
    assert validate_against(signed, stranger.ca_pem).verdict == Verdict.UNTRUSTED


def test_an_unsigned_pdf_is_said_to_be_unsigned(esign, plain_pdf):
    assert validate_against(plain_pdf, esign.ca_pem).verdict == Verdict.UNSIGNED


def test_a_wrong_key_password_gives_the_document_unsigned_and_records_why(esign, plain_pdf, settings):
    settings.ESIGN_PKCS12_PASSWORD = "salah"
    done = document_sign(plain_pdf, kind="test", object_id=7, label="Dokumen uji", reason="uji")
    assert done.pdf == plain_pdf and not done.signed
    row = SignedDocument.objects.get(object_id="7")
    assert row.outcome == "failed" and "ESIGN_PKCS12_PASSWORD" in row.error


def test_a_missing_key_file_is_named(esign, plain_pdf, settings, tmp_path):
    settings.ESIGN_PKCS12_PATH = str(tmp_path / "hilang.p12")
    done = document_sign(plain_pdf, kind="test", object_id=8, label="x", reason="uji")
    assert not done.signed and "hilang.p12" in done.record.error


def test_signing_switched_off_is_recorded_as_such(settings, plain_pdf):
    settings.ESIGN_BACKEND = "none"
    done = document_sign(plain_pdf, kind="test", object_id=9, label="x", reason="uji")
    assert done.pdf == plain_pdf and done.record.outcome == "unsigned"


# --- BSrE, over HTTP, against a stand-in server that signs with the test's CA ---

@pytest.fixture
def bsre(esign, settings):
    stand_in = BsreStandIn(p12=esign.p12)
    url = stand_in.start()
    settings.ESIGN_BACKEND = "bsre"
    settings.ESIGN_BSRE_URL = url
    settings.ESIGN_BSRE_USER, settings.ESIGN_BSRE_PASSWORD = stand_in.user, stand_in.password
    settings.ESIGN_BSRE_NIK, settings.ESIGN_BSRE_PASSPHRASE = stand_in.nik, stand_in.passphrase
    settings.ESIGN_BSRE_TIMEOUT = 2
    yield stand_in
    stand_in.stop()


def test_bsre_signs_remotely_and_the_signature_validates(bsre, esign, plain_pdf):
    done = document_sign(plain_pdf, kind="test", object_id=1, label="x", reason="Sertifikat 00002/SKK/2026")
    assert done.signed and done.record.backend == "bsre"
    assert validate_against(done.pdf, esign.ca_pem).verdict == Verdict.AUTHENTIC
    sent = bsre.requests[0]
    assert sent["path"] == "/api/sign/pdf"
    assert sent["fields"]["nik"] == bsre.nik and sent["fields"]["tampilan"] == "visible"
    assert sent["fields"]["reason"] == "Sertifikat 00002/SKK/2026" and "WIB" in sent["fields"]["text"]


def test_bsre_wrong_passphrase_is_explained_and_the_document_kept(bsre, settings, plain_pdf):
    settings.ESIGN_BSRE_PASSPHRASE = "salah"
    done = document_sign(plain_pdf, kind="test", object_id=2, label="x", reason="uji")
    assert done.pdf == plain_pdf and done.record.outcome == "failed"
    assert "refused the signer's passphrase" in done.record.error and "Passphrase anda salah" in done.record.error


def test_bsre_unknown_nik_is_explained(bsre, settings, plain_pdf):
    settings.ESIGN_BSRE_NIK = "3171000000000000"
    with pytest.raises(SigningError, match="does not know the signer's NIK"):
        _bsre_signer(settings).sign(plain_pdf, reason="uji")


def test_bsre_refusing_the_client_account_is_explained(bsre, settings, plain_pdf):
    settings.ESIGN_BSRE_PASSWORD = "bukan"
    with pytest.raises(SigningError, match="client account"):
        _bsre_signer(settings).sign(plain_pdf, reason="uji")


def test_bsre_not_answering_in_time_is_a_timeout_with_the_seconds(bsre, settings, plain_pdf):
    bsre.delay = 3
    settings.ESIGN_BSRE_TIMEOUT = 0.5
    done = document_sign(plain_pdf, kind="test", object_id=3, label="x", reason="uji")
    assert done.pdf == plain_pdf
    assert "did not answer within 0.5 seconds" in done.record.error


def test_bsre_unreachable_is_explained(bsre, settings, plain_pdf):
    bsre.stop()
    with pytest.raises(SigningError, match="cannot be reached"):
        _bsre_signer(settings).sign(plain_pdf, reason="uji")
    bsre.start = lambda: None  # already stopped; the fixture's stop must not fail
    bsre.stop = lambda: None


def _bsre_signer(settings):
    return BsreSigner(url=settings.ESIGN_BSRE_URL, user=settings.ESIGN_BSRE_USER,
                      password=settings.ESIGN_BSRE_PASSWORD, nik=settings.ESIGN_BSRE_NIK,
                      passphrase=settings.ESIGN_BSRE_PASSPHRASE, timeout=settings.ESIGN_BSRE_TIMEOUT)


def test_load_demo_makes_the_demo_ca_and_signer_once_and_the_demo_documents_validate(settings, tmp_path, plain_pdf):
    from certportal.signing import demo
    from certportal.signing.democa import DEMO_PASSWORD

    settings.BASE_DIR = tmp_path
    settings.ESIGN_BACKEND = "pkcs12"
    settings.ESIGN_PKCS12_PATH = str(tmp_path / "var" / "esign" / "signer.p12")
    settings.ESIGN_PKCS12_PASSWORD = DEMO_PASSWORD
    out = io.StringIO()
    demo.load(out)
    key = (tmp_path / "var" / "esign" / "signer.p12").read_bytes()
    demo.load(out)  # again: nothing changes
    assert (tmp_path / "var" / "esign" / "signer.p12").read_bytes() == key and "demo CA" in out.getvalue()
    signed = document_sign(plain_pdf, kind="test", object_id=1, label="x", reason="demo").pdf
    assert validate_against(signed, tmp_path / "var" / "esign" / "ca.pem").verdict == Verdict.AUTHENTIC


def test_load_demo_never_touches_a_real_signer_configured_elsewhere(settings, tmp_path):
    from certportal.signing import demo

    settings.BASE_DIR = tmp_path
    settings.ESIGN_BACKEND = "pkcs12"
    settings.ESIGN_PKCS12_PATH = str(tmp_path / "secrets" / "lsp.p12")
    demo.load(io.StringIO())
    assert not (tmp_path / "var").exists() and not (tmp_path / "secrets").exists()


def test_each_signing_office_signs_with_its_own_key_and_the_lsp_head_keeps_the_default(esign, tmp_path, plain_pdf):
    from tests.esign import office_key

    office_key(tmp_path, "sekretaris-daerah", "Drs. Sekda Uji", "Sekretaris Daerah")
    by_office = document_sign(plain_pdf, kind="test", object_id=1, label="x", reason="uji", office="sekretaris-daerah")
    by_lsp = document_sign(plain_pdf, kind="test", object_id=2, label="x", reason="uji")
    office_check, lsp_check = (validate_against(d.pdf, esign.ca_pem) for d in (by_office, by_lsp))
    assert office_check.verdict == lsp_check.verdict == Verdict.AUTHENTIC
    assert (office_check.signer_name, office_check.signer_title) == ("Drs. Sekda Uji", "Sekretaris Daerah")
    assert lsp_check.signer_name == "Kepala LSP (demo)"


def test_load_demo_issues_a_key_per_signing_office_from_the_demo_ca_and_never_a_real_offices(settings, tmp_path,
                                                                                            plain_pdf):
    from certportal.signing import demo
    from certportal.signing.democa import DEMO_PASSWORD

    settings.BASE_DIR = tmp_path
    settings.ESIGN_BACKEND = "pkcs12"
    settings.ESIGN_PKCS12_PATH = str(tmp_path / "var" / "esign" / "signer.p12")
    settings.ESIGN_SIGNER_DIR = str(tmp_path / "var" / "esign" / "signers")
    settings.ESIGN_PKCS12_PASSWORD = settings.ESIGN_SIGNER_PASSWORD = DEMO_PASSWORD
    demo.load(io.StringIO())
    key = demo.office_key("kepala-dinas-uji", common_name="dr. Kepala Uji", title="Kepala Dinas Uji",
                          organisation="Pemerintah Provinsi Uji")
    assert key == tmp_path / "var" / "esign" / "signers" / "kepala-dinas-uji.p12"
    assert demo.office_key("kepala-dinas-uji", common_name="other", title="x", organisation="y").read_bytes() == \
        key.read_bytes()  # again: kept
    signed = document_sign(plain_pdf, kind="test", object_id=1, label="x", reason="demo", office="kepala-dinas-uji")
    check = validate_against(signed.pdf, tmp_path / "var" / "esign" / "ca.pem")
    assert check.verdict == Verdict.AUTHENTIC and check.signer_name == "dr. Kepala Uji"
    settings.ESIGN_SIGNER_DIR = str(tmp_path / "secrets")
    assert demo.office_key("sekretaris-daerah", common_name="x", title="x", organisation="x") is None
    assert not (tmp_path / "secrets").exists()
