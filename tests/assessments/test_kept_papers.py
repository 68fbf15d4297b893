"""Signed papers made once per version: the second download of a certificate, a result letter or a decision
letter is the kept copy (no new rendering, no new signature: one signing record), and a change in what the paper
prints (a BNSP number recorded, a correction, another signer) makes and signs a new one."""

import pytest
from django.urls import reverse

from assessments.certificates import services as certs
from assessments.certificates.services.bnsp import numbers_record
from assessments.certificates.services.rendering import certificate_prints
from certportal.files import private_storage
from certportal.signing.democa import DEMO_PASSWORD
from certportal.signing.models import SignedDocument, StoredPaper
from certportal.signing.papers import kept_paper
from certportal.signing.validation import Verdict
from tests.esign import throwaway_signer, validate_against

from .test_certificate_replace import misspelt_certificate, replace
from .test_documents import issued, text_of  # noqa: F401 - the fixture of an issued certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(event, lina, tono, asa, alice):
    """A certificate to correct (test_certificate_replace's)."""
    return misspelt_certificate(event, lina, tono, asa, alice)


@pytest.fixture
def esign(tmp_path, settings):
    return throwaway_signer(tmp_path, settings)


def signings(kind: str, pk) -> int:
    return SignedDocument.objects.filter(kind=kind, object_id=str(pk)).count()


def download(client, name: str, pk) -> bytes:
    response = client.get(reverse(f"assessments:{name}", args=[pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    return response.content


def test_the_second_download_is_the_kept_signed_paper(issued, alice, lina, login, esign):  # noqa: F811
    first = download(login(alice), "certificate-pdf", issued.pk)
    assert validate_against(first, esign.ca_pem).verdict == Verdict.AUTHENTIC
    again = download(login(alice), "certificate-pdf", issued.pk)
    by_staff = download(login(lina), "certificate-pdf", issued.pk)
    assert again == first == by_staff  # the same signed bytes: not rendered nor signed again
    assert signings("certificate", issued.pk) == 1
    paper = StoredPaper.objects.get(kind="certificate", object_id=str(issued.pk))
    with paper.file.open("rb") as handle:
        assert handle.read() == first
    assert paper.signed.sha256 and paper.signed.outcome == "signed"


def test_a_recorded_bnsp_number_makes_a_new_paper_that_prints_it(issued, alice, lina, login, esign):  # noqa: F811
    before = download(login(alice), "certificate-pdf", issued.pk)
    old = StoredPaper.objects.get(kind="certificate", object_id=str(issued.pk))
    assert "REG-001/BNSP/2026" not in text_of(before)
    numbers_record(issued, actor=lina, registration="REG-001/BNSP/2026", blanko="BLK 0001")
    after = download(login(alice), "certificate-pdf", issued.pk)
    assert after != before and "REG-001/BNSP/2026" in text_of(after)
    assert validate_against(after, esign.ca_pem).verdict == Verdict.AUTHENTIC
    assert signings("certificate", issued.pk) == 2
    kept = StoredPaper.objects.get(kind="certificate", object_id=str(issued.pk))  # the older version is gone
    assert kept.pk != old.pk and not private_storage.exists(old.file.name)
    assert download(login(alice), "certificate-pdf", issued.pk) == after


def test_a_corrected_certificate_is_a_new_paper_with_the_new_name(cert, lina, login, esign):  # noqa: F811
    old = download(login(lina), "certificate-pdf", cert.pk)
    new = replace(cert, lina)
    paper = download(login(lina), "certificate-pdf", new.pk)
    assert "Alice Applicant, S.Sos." in text_of(paper) and f"Replaces certificate no. {cert.number}" in text_of(paper)
    # the replaced one still prints what it printed (its row changed, withdrawn: it is made again, to be safe)
    assert text_of(download(login(lina), "certificate-pdf", cert.pk)) == text_of(old)
    assert "Alice Aplicant, S.Sos." in text_of(old)
    assert signings("certificate", new.pk) == 1
    assert download(login(lina), "certificate-pdf", new.pk) == paper and signings("certificate", new.pk) == 1


def test_another_signer_signs_the_paper_again(issued, alice, login, esign, settings):  # noqa: F811
    first = download(login(alice), "certificate-pdf", issued.pk)
    settings.ESIGN_SIGNER_NAME = "Dr. Kepala LSP Baru"
    assert download(login(alice), "certificate-pdf", issued.pk) != first
    assert signings("certificate", issued.pk) == 2


def test_a_paper_whose_signing_failed_is_not_kept(issued, alice, login, esign, settings):  # noqa: F811
    settings.ESIGN_PKCS12_PASSWORD = "salah"
    unsigned = download(login(alice), "certificate-pdf", issued.pk)
    assert validate_against(unsigned, esign.ca_pem).verdict == Verdict.UNSIGNED
    assert not StoredPaper.objects.exists()
    settings.ESIGN_PKCS12_PASSWORD = DEMO_PASSWORD
    signed = download(login(alice), "certificate-pdf", issued.pk)  # the next download signs it
    assert validate_against(signed, esign.ca_pem).verdict == Verdict.AUTHENTIC
    assert StoredPaper.objects.count() == 1


def test_a_result_letter_is_signed_once(decided, lina, alice, login, esign):
    bob_p = decided.participants.exclude(application__applicant=alice).first()
    letter = certs.result_letter_issue(bob_p, actor=lina)
    first = download(login(lina), "letter-pdf", letter.pk)
    assert download(login(lina), "letter-pdf", letter.pk) == first
    assert letter.number in text_of(first) and signings("result_letter", letter.pk) == 1
    assert StoredPaper.objects.filter(kind="result_letter").count() == 1


def test_two_first_downloads_at_once_keep_one_paper(issued, esign):  # noqa: F811
    def paper(render):
        return kept_paper(kind="certificate", object_id=issued.pk, prints=certificate_prints(issued),
                          render=render, stylesheets=(certs.CERTIFICATE_CSS,), label="x", reason="x")

    inner = []

    def render_while_another_download_finishes():
        inner.append(paper(lambda: certs.certificate_pdf(issued)))  # the other click stores its copy first
        return certs.certificate_pdf(issued)

    outer = paper(render_while_another_download_finishes)
    assert outer == inner[0]  # both readers get the one kept copy
    assert StoredPaper.objects.count() == 1 and signings("certificate", issued.pk) == 2


def test_readers_without_the_right_get_no_paper(issued, bob, login, client):  # noqa: F811
    url = reverse("assessments:certificate-pdf", args=[issued.pk])
    assert login(bob).get(url).status_code in (403, 404)
    assert client.get(url).status_code == 302
    assert not StoredPaper.objects.exists() and signings("certificate", issued.pk) == 0
