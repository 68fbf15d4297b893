"""The credential follows the certificate (issue 31 review): the wallet link answers even when the holder scans the
QR before any download; the achievement names the SKKNI decree of the day of issue, not of the day of signing; a
scope reduction and a replacement set the bits a verifier reads, and a change rolled back leaves them as they were."""

import json

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.certificates import services as certs
from assessments.certificates.credentials import eddsa, keys, services, status, vc2
from assessments.certificates.credentials.models import IssuedCredential
from assessments.certificates.services.reduction import reduction_decide
from schemes.models import Decree

from .factories import decide_event
from .scope_fixtures import three_unit_certificate  # noqa: F401
from .test_credentials import _list_bit, _upload, independent_verify
from .test_credentials_vc2 import _lists, node_verify

pytestmark = pytest.mark.django_db


def _v2_of(cert) -> dict:
    return json.loads(services.v2_document(services.credential_for(cert)))


def test_a_wallet_scanning_the_qr_before_any_download_gets_the_credential(cert, alice, login):
    assert not IssuedCredential.objects.filter(certificate=cert).exists()
    page = login(alice).get(reverse("assessments:holder-certificate", args=[cert.pk]))
    link = page.context["credential_link"]
    assert link in page.content.decode() and "credential-qr" in page.content.decode()
    wallet = Client()  # the holder's phone: nobody logged in
    scanned = wallet.get(link)
    assert scanned.status_code == 200 and scanned["Access-Control-Allow-Origin"] == "*"
    doc = json.loads(scanned.content)
    assert doc["@context"][0] == vc2.VC_V2 and doc["credentialSubject"]["licenseNumber"] == cert.number
    assert eddsa.verify(doc) == keys.current_key().did
    assert independent_verify(wallet.get(link + "?format=vc1").content.decode())["errors"] == []
    # the download that comes later is the same signed credential
    downloaded = login(alice).get(reverse("assessments:credential-download", args=[cert.pk]))
    assert json.loads(downloaded.content) == doc
    assert wallet.get(link.replace(".json", "x.json")).status_code == 404


def test_a_withdrawn_certificate_offers_no_link_and_an_old_link_says_why(cert, alice, lina, login):
    holder = login(alice)
    link = holder.get(reverse("assessments:holder-certificate", args=[cert.pk])).context["credential_link"]
    certs.certificate_withdraw(cert, actor=lina, reason="Dicabut.")
    assert holder.get(reverse("assessments:holder-certificate", args=[cert.pk])).context["credential_link"] == ""
    answer = Client().get(link)
    assert answer.status_code == 409 and "ditarik" in answer.json()["error"]  # Indonesian by default
    assert not IssuedCredential.objects.filter(certificate=cert).exists()


@pytest.fixture
def lsp(lina):
    from certportal.lsp.demo import DEMO
    from certportal.lsp.services import profile_update

    profile_update(actor=lina, **DEMO)
    return DEMO


def test_the_credential_names_the_decree_of_issue_the_licence_and_the_verification_page(
        client, lsp, scheme, event, lina, tono, asa, alice):
    scheme.decree = Decree.objects.create(kind=Decree.Kind.SKKNI, number="12", year=2021, title="SKKNI Layanan")
    scheme.save(update_fields=["decree"])
    k_event = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    cert = certs.certificate_issue(k_event.participants.get(application__applicant=alice), actor=lina)
    # the scheme's decree changes after the certificate was issued; the credential is first signed after that
    scheme.decree = Decree.objects.create(kind=Decree.Kind.SKKNI, number="99", year=2025, title="SKKNI Baru")
    scheme.save(update_fields=["decree"])
    verify_page = reverse("assessments:verify-code", kwargs={"code": cert.verification_code})
    for doc in (json.loads(services.credential_for(cert).document), _v2_of(cert)):
        achievement = doc["credentialSubject"]["achievement"]
        assert achievement["fieldOfStudy"] == "SKKNI 12/2021"
        assert "units from SKKNI 12/2021" in achievement["criteria"]["narrative"]
        assert "99/2025" not in json.dumps(doc)
        assert doc["issuer"]["otherIdentifier"][0]["identifier"] == lsp["licence_number"]
        assert doc["evidence"][0]["id"] == settings.SITE_URL + verify_page
    assert cert.number in client.get(verify_page).content.decode()


def test_a_certificate_issued_before_the_decree_was_frozen_names_its_schemes_decree(cert, scheme):
    scheme.decree = Decree.objects.create(kind=Decree.Kind.SKKNI, number="7", year=2019, title="SKKNI Lama")
    scheme.save(update_fields=["decree"])
    assert cert.snapshot["skkni_decree"] is None  # the scheme had none at issue: none is named
    assert "fieldOfStudy" not in _v2_of(cert)["credentialSubject"]["achievement"]
    type(cert).objects.filter(pk=cert.pk).update(snapshot={k: v for k, v in cert.snapshot.items()
                                                           if k != "skkni_decree"})
    IssuedCredential.objects.filter(certificate=cert).delete()
    cert.refresh_from_db()
    assert _v2_of(cert)["credentialSubject"]["achievement"]["fieldOfStudy"] == "SKKNI 7/2019"


def _bits(client, doc_v2: dict, index: int) -> dict:
    """Both lists, as a verifier reads them: the VC 1.1 lists checked by DIDKit, the Bitstring lists by Digital
    Bazaar's verifier (which also checks the credential)."""
    answer = node_verify(doc_v2, _lists(client))
    assert answer["verified"] is True, answer
    return {"v1": {p: _list_bit(client, p, index) for p in ("revocation", "suspension")}, "v2": answer["status"]}


REVOKED = {"v1": {"revocation": True, "suspension": False}, "v2": {"revocation": True, "suspension": False}}
STANDING = {"v1": {"revocation": False, "suspension": False}, "v2": {"revocation": False, "suspension": False}}


@pytest.mark.slow
def test_a_scope_reduction_revokes_the_originals_credential_and_not_the_new_ones(client, cert, lina, quinn):
    original = services.credential_for(cert)
    original_v2 = json.loads(services.v2_document(original))
    assert _bits(client, original_v2, original.status_index) == STANDING
    reduction = reduction_decide(cert, actor=lina, kept_codes=[u["code"] for u in cert.snapshot["units"]][:2],
                                 ground="surveillance", reason="Bukti surveilans unit ketiga tidak ada.",
                                 decree_number="SK-RED/001/2026", decided_on=timezone.localdate(), members=[quinn])
    cert.refresh_from_db()
    assert cert.status == "reduced"
    assert _bits(client, original_v2, original.status_index) == REVOKED
    assert _upload(client, original.document).context["check"].verdict == "revoked"
    kept = services.credential_for(reduction.replacement)
    assert len(json.loads(kept.document)["credentialSubject"]["achievement"]["alignment"]) == 2
    assert _bits(client, json.loads(services.v2_document(kept)), kept.status_index) == STANDING


def test_a_replacement_revokes_the_old_credential(client, cert, lina):
    old = services.credential_for(cert)
    new = certs.certificate_replace(cert, actor=lina, reason="Nama salah eja.", holder_name="Alice Aplikan")
    assert _bits(client, json.loads(services.v2_document(old)), old.status_index) == REVOKED
    renamed = services.credential_for(new)
    assert json.loads(renamed.document)["credentialSubject"]["identifier"][1]["identityHash"] == "Alice Aplikan"
    assert _upload(client, renamed.document).context["check"].verdict == "valid"
    assert _upload(client, old.document).context["check"].verdict == "revoked"


def test_a_status_change_rolled_back_leaves_the_bits_as_they_were(client, cert, lina):
    credential = services.credential_for(cert)
    doc_v2 = json.loads(services.v2_document(credential))
    with pytest.raises(RuntimeError), transaction.atomic():
        certs.certificate_withdraw(cert, actor=lina, reason="Dicabut.")
        assert status.is_set(status.bits_of(status.REVOCATION), credential.status_index)  # in the same transaction
        raise RuntimeError("what came after the withdrawal failed")
    cert.refresh_from_db()
    assert cert.status == "issued"
    assert _bits(client, doc_v2, credential.status_index) == STANDING
    assert _upload(client, credential.document).context["check"].verdict == "valid"
