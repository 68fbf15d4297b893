"""Issue 43 item 1: each agency letter carries the electronic signature of whoever signs it, not the LSP head's:
the head of the agency's key for the proposal, their recommendation and their statement of authenticity, the
Sekretaris Daerah's for theirs (each office its own key and certificate, certportal.signing.offices); the public
check of a PDF names the signer from the signature; an office without its key file gets its letter without a PAdES
signature rather than another office's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.letters import services as letters
from certportal.signing import offices
from certportal.signing.models import SignedDocument
from certportal.signing.validation import Verdict
from tests.esign import office_key, throwaway_signer, validate_against

from .conftest import person, propose
from .test_letters import HEAD_LETTERS, sign_all
from .test_letters import letter_scheme as _letter_scheme

letter_scheme = _letter_scheme  # the fixture, shared with test_letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def esign(tmp_path, settings):
    signer = throwaway_signer(tmp_path, settings)
    office_key(tmp_path, offices.agency_head("Dinas Kesehatan"), "Hana Head", "Kepala Dinas Kesehatan")
    office_key(tmp_path, offices.REGIONAL_SECRETARY, "Sekar Sekda", "Sekretaris Daerah")
    return signer


def pdf_of(letter) -> bytes:
    letter.refresh_from_db()
    with letter.pdf.open("rb") as fh:
        return fh.read()


def test_each_letter_carries_the_signature_of_whoever_signs_it(esign, funded_round, letter_scheme, oki, hana,
                                                               sekar):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    sign_all(cohort, hana, sekar)
    expected = {**dict.fromkeys(HEAD_LETTERS, ("Hana Head", "Kepala Dinas Kesehatan")),
                "secretary_recommendation": ("Sekar Sekda", "Sekretaris Daerah")}
    for letter in cohort.letters.all():
        check = validate_against(pdf_of(letter), esign.ca_pem)
        assert check.verdict == Verdict.AUTHENTIC, letter.kind
        assert (check.signer_name, check.signer_title) == expected[letter.kind], letter.kind
        assert "Kepala LSP" not in check.signer and letter.esigned


def test_the_public_check_names_who_signed_the_letter(esign, funded_round, letter_scheme, oki, hana, sekar, client):
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    sign_all(cohort, hana, sekar)
    client.cookies["django_language"] = "en"
    for kind, signer in (("proposal", "Hana Head — Kepala Dinas Kesehatan (Pemerintah Provinsi Uji)"),
                         ("secretary_recommendation", "Sekar Sekda — Sekretaris Daerah (Pemerintah Provinsi Uji)")):
        pdf = pdf_of(cohort.letters.get(kind=kind))
        page = client.post(reverse("assessments:verify-document"),
                           {"berkas": SimpleUploadedFile("surat.pdf", pdf, "application/pdf")}).content.decode()
        assert 'data-verdict="authentic"' in page and "Letter of an agency" in page
        assert f'<dd class="col-sm-8" id="document-signer">{signer}</dd>' in page
        assert "signed electronically in the portal of" in page


def test_an_office_without_its_key_gets_no_other_offices_signature(esign, settings, funded_round, letter_scheme, oki,
                                                                  hana):
    settings.ESIGN_SIGNER_DIR = str(esign.ca_pem.parent / "elsewhere")
    cohort = propose(oki, funded_round, letter_scheme, [person(1)])
    letter = letters.letter_sign(cohort, "proposal", actor=hana, typed_name="Hana Head", number="800/1",
                                 place="Jakarta")
    assert validate_against(pdf_of(letter), esign.ca_pem).verdict == Verdict.UNSIGNED and not letter.esigned
    record = SignedDocument.objects.get(kind="agency-letter", object_id=str(letter.pk))
    assert record.outcome == "failed" and "kepala-dinas-kesehatan" in record.error
    assert "ESIGN_SIGNER_DIR" in record.error
