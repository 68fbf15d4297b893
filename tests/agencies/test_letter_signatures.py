"""Issue 43 item 1: each agency letter carries the electronic signature of whoever signs it, not the LSP head's:
the head of the agency's key for the proposal, their recommendation and their statement of authenticity, the
Sekretaris Daerah's for theirs (each office its own key and certificate, certportal.signing.offices); the public
check of a PDF names the signer from the signature; an office without its key file gets its letter without a PAdES
signature rather than another office's; the demo (``load_demo`` with the PKCS#12 signer) issues a key per signing
office, and its letters are named after the people who sign them."""

import io

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


def test_the_demo_issues_a_key_per_signing_office_and_the_check_names_each_letter_s_signer(demo_data, settings,
                                                                                         tmp_path, client):
    """``load_demo`` with the PKCS#12 signer, as ``make run`` has it: one key per signing office in the demo's
    folder (each head of an agency, the Sekretaris Daerah), and a demo letter signed with it is named by the public
    check of a PDF after the real person who signed it. Runs load_demo again over the demo already loaded (it is
    idempotent: only the keys are new), with the demo's folder in this test's own."""
    from django.core.management import call_command

    from agencies.models import Cohort
    from certportal.accounts.models import User
    from certportal.signing.democa import DEMO_PASSWORD

    folder = tmp_path / "var" / "esign"
    settings.BASE_DIR, settings.ESIGN_BACKEND = tmp_path, "pkcs12"
    settings.ESIGN_PKCS12_PATH, settings.ESIGN_SIGNER_DIR = str(folder / "signer.p12"), str(folder / "signers")
    settings.ESIGN_PKCS12_PASSWORD = settings.ESIGN_SIGNER_PASSWORD = DEMO_PASSWORD
    settings.ESIGN_TRUST_ROOTS = [str(folder / "ca.pem")]
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    assert sorted(p.name for p in (folder / "signers").glob("*.p12")) == [
        "kepala-dinas-kesehatan.p12", "kepala-dinas-pendidikan.p12", "sekretaris-daerah.p12"]
    head, sekda = (User.objects.get(email=e) for e in ("kepala.dinkes@demo.go.id", "sekda@demo.go.id"))
    dinkes, disdik = (Cohort.objects.get(agency__name=n) for n in ("Dinas Kesehatan", "Dinas Pendidikan"))
    # the Sekretaris Daerah signs the recommendation Dinas Pendidikan's cohort waits for; the head of Dinas Kesehatan
    # withdraws the cohort's proposal and signs it again
    signed = {"secretary_recommendation": letters.letter_sign(
        disdik, "secretary_recommendation", actor=sekda, typed_name=sekda.full_name, number="000.8.3/1/Setda/2026",
        place="Jakarta")}
    letters.letter_withdraw(dinkes.letters.get(kind="proposal", status="signed"), actor=head, reason="Salah ketik.")
    signed["proposal"] = letters.letter_sign(dinkes, "proposal", actor=head, typed_name=head.full_name,
                                             number="800/1/Dinkes/2026", place="Jakarta")
    client.cookies["django_language"] = "en"
    government = "Pemerintah Provinsi DKI Jakarta (demo)"
    for kind, signer in (("proposal", f"dr. Hartono Wibisono, M.Kes. — Kepala Dinas Kesehatan ({government})"),
                         ("secretary_recommendation", "Drs. Syamsul Bahri, M.Si. — Sekretaris Daerah Provinsi DKI "
                                                      f"Jakarta ({government})")):
        page = client.post(reverse("assessments:verify-document"), {"berkas": SimpleUploadedFile(
            "surat.pdf", pdf_of(signed[kind]), "application/pdf")}).content.decode()
        assert 'data-verdict="authentic"' in page and "Letter of an agency" in page, kind
        assert f'<dd class="col-sm-8" id="document-signer">{signer}</dd>' in page, kind
