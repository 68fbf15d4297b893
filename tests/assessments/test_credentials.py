"""Open Badges 3.0 credentials (issue 31): each certificate's credential is checked by an implementation that is
not ours (DIDKit, offline), its document against the Open Badges 3.0 context and schema; its status follows every
status change in the same transaction; the public page tells valid / suspended / revoked / tampered / not ours."""

import copy
import datetime
import json
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.certificates import services as certs
from assessments.certificates.credentials import check, keys, services, status
from tests import module_world

from .factories import EVENT_WORLD, alice_certified

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def independent_verify(document: str) -> dict:
    """DIDKit (``openedx-didkit`` from PyPI), in a child process, offline: its own answer, untouched."""
    return keys.didkit({"op": "verify", "credential": document})


globals().update(module_world.shared(alice_certified, *EVENT_WORLD, "cert", language="en"))  # once a module


def _upload(client, doc: dict | str | bytes, name="credential.json"):
    data = doc if isinstance(doc, bytes) else (doc if isinstance(doc, str) else json.dumps(doc)).encode()
    return client.post(reverse("assessments:verify-credential"), {"berkas": SimpleUploadedFile(name, data)})


def test_issued_credential_is_valid_for_didkit_and_names_no_nip(cert, alice):
    credential = services.credential_for(cert)
    doc = json.loads(credential.document)
    assert independent_verify(credential.document) == {"checks": ["proof"], "warnings": [], "errors": []}
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["issuer"]["id"] == keys.current_key().did
    assert doc["credentialSubject"]["licenseNumber"] == cert.number
    assert doc["credentialSubject"]["achievement"]["humanCode"] == cert.scheme_code
    assert doc["expirationDate"].startswith(cert.expires_on.isoformat())
    assert cert.holder_nip and cert.holder_nip not in credential.document
    assert alice.email not in credential.document
    hashed = doc["credentialSubject"]["identifier"][0]
    assert check.email_identity(alice.email, hashed["salt"])["identityHash"] == hashed["identityHash"]
    # asked again: the same signed bytes
    assert services.credential_for(cert).document == credential.document


def test_changed_name_is_a_signature_error_for_didkit(cert):
    doc = json.loads(services.credential_for(cert).document)
    doc["credentialSubject"]["identifier"][1]["identityHash"] = "Someone Else"
    answer = independent_verify(json.dumps(doc))
    assert answer["errors"] and "signature" in answer["errors"][0].lower()


def _list_bit(client, purpose: str, index: int) -> bool:
    """What any verifier does: fetch the status list credential, check its proof with DIDKit, read the bit."""
    response = client.get(reverse("assessments:credential-status-list", kwargs={"purpose": purpose}))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert independent_verify(response.content.decode())["errors"] == []
    subject = json.loads(response.content)["credentialSubject"]
    assert subject["statusPurpose"] == purpose
    return status.is_set(status.decode(subject["encodedList"]), index)


def test_status_lists_follow_suspension_reinstatement_and_withdrawal(client, cert, lina):
    doc = json.loads(services.credential_for(cert).document)
    index = int(doc["credentialStatus"]["statusListIndex"])
    assert doc["credentialStatus"]["statusListCredential"].endswith("/kredensial/status/revocation.json")
    assert not _list_bit(client, "suspension", index) and not _list_bit(client, "revocation", index)
    certs.certificate_suspend(cert, actor=lina, reason="Diperiksa.", until=TODAY() + datetime.timedelta(days=30))
    assert _list_bit(client, "suspension", index) and not _list_bit(client, "revocation", index)
    assert _upload(client, doc).context["check"].verdict == "suspended"
    certs.certificate_reinstate(cert, actor=lina, reason="Selesai diperiksa.")
    assert not _list_bit(client, "suspension", index)
    assert _upload(client, doc).context["check"].verdict == "valid"
    certs.certificate_withdraw(cert, actor=lina, reason="Dicabut.")
    assert _list_bit(client, "revocation", index) and not _list_bit(client, "suspension", index)
    page = _upload(client, doc)
    assert page.context["check"].verdict == "revoked"
    assert "Revoked" in page.content.decode() or "Dicabut" in page.content.decode()


def test_a_suspension_that_ran_out_by_its_date_is_cleared_on_the_next_day(client, cert, lina):
    index = services.credential_for(cert).status_index
    certs.certificate_suspend(cert, actor=lina, reason="Diperiksa.", until=TODAY() + datetime.timedelta(days=3))
    assert _list_bit(client, "suspension", index)
    Certificate = type(cert)
    Certificate.objects.filter(pk=cert.pk).update(suspended_until=TODAY() - datetime.timedelta(days=1))
    status.CredentialStatusList.objects.filter(purpose="suspension").update(
        updated_at=timezone.now() - datetime.timedelta(days=1))
    assert not _list_bit(client, "suspension", index)


def test_the_public_page_tells_valid_tampered_and_not_ours(client, cert):
    text = services.credential_for(cert).document
    doc = json.loads(text)
    valid = _upload(client, text)
    assert valid.status_code == 200 and valid.context["check"].verdict == "valid"
    assert cert.number in valid.content.decode()
    renamed = copy.deepcopy(doc)
    renamed["credentialSubject"]["identifier"][1]["identityHash"] = "Nama Lain"
    tampered = _upload(client, renamed).context["check"]
    with translation.override("id"):  # the page's language: the sentence as the reader reads it
        changed = _("The signature does not match the content: the file was changed after it was signed.")
    assert tampered.verdict == "tampered" and changed in tampered.reasons
    unsigned = copy.deepcopy(doc)
    del unsigned["proof"]
    assert _upload(client, unsigned).context["check"].verdict == "tampered"
    other = copy.deepcopy(doc)
    other["issuer"]["id"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    assert _upload(client, other).context["check"].verdict == "not_ours"
    odd = copy.deepcopy(doc)  # hostile shapes inside a well-formed object: an answer, never a crash
    odd["credentialSubject"] = {"identifier": 5, "achievement": [1]}
    odd["credentialStatus"] = {"statusListIndex": "-x"}
    assert _upload(client, odd).context["check"].verdict == "tampered"
    foreign = copy.deepcopy(doc)
    foreign["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    assert _upload(client, foreign).context["check"].verdict == "not_ours"


@pytest.mark.parametrize("data", [b"not json", b"[1, 2]", b'{"a": NaN}', b"\xff\xfe", b"[" * 5000 + b"]" * 5000,
                                  json.dumps(json.loads('{"a":' * 40 + "1" + "}" * 40)).encode()])
def test_hostile_uploads_are_refused_with_a_message(client, data):
    response = _upload(client, data)
    assert response.status_code == 400
    assert "JSON" in response.content.decode()


def test_an_oversized_upload_is_refused_before_parsing(client, settings):
    settings.CREDENTIAL_UPLOAD_MAX_BYTES = 1024
    response = _upload(client, b'{"a": "' + b"x" * 2000 + b'"}')
    assert response.status_code == 400 and "KB" in response.content.decode()


def test_the_holder_downloads_it_and_others_cannot(client, cert, alice, bob, login):
    url = reverse("assessments:credential-download", args=[cert.pk])
    page = login(alice).get(reverse("assessments:holder-certificate", args=[cert.pk]))
    assert url in page.content.decode() and "credential-qr" in page.content.decode()
    response = login(alice).get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]  # issue 42 item 6: a private download is never cached
    assert "no-store" in login(alice).get(url, {"format": "vc1"})["Cache-Control"]
    assert json.loads(response.content)["credentialSubject"]["licenseNumber"] == cert.number
    link = page.context["credential_link"]
    assert json.loads(client.get(link).content)["id"] == json.loads(response.content)["id"]
    assert client.get(link.replace(".json", "x.json")).status_code == 404
    assert login(bob).get(url).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 302


def test_the_employers_api_returns_the_credential(client, cert, lina):
    from assessments.certificates.services.holder import api_token_issue

    token = api_token_issue(name="BKD", actor=lina)[1]
    response = client.get(f"/api/v1/certificates/{cert.verification_code}/credential",
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert independent_verify(response.content.decode())["errors"] == []
    assert client.get(f"/api/v1/certificates/{cert.verification_code}/credential").status_code == 401


def test_keys_stay_published_after_rotation(client, cert, settings, tmp_path):
    first = services.credential_for(cert)
    # rotated in a copy of the key folder: the tests' folder is shared by the run's processes, and a key added
    # there would sign every credential issued after it, in this run and the next
    settings.CREDENTIAL_KEY_DIR = str(shutil.copytree(keys.key_dir(), tmp_path / "credentials"))
    keys.add_key()
    published = json.loads(client.get(reverse("assessments:credential-keys")).content)["keys"]
    assert [k["id"] for k in published][-2] == first.key_did and published[-1]["current"]
    assert all("d" not in k["publicKeyJwk"] for k in published)
    assert _upload(client, first.document).context["check"].verdict == "valid"


def test_the_document_matches_the_open_badges_context_and_schema(cert):
    """Every term resolves in the bundled contexts (the npm packages' copies: tests/a11y), and the required
    Open Badges 3.0 fields are there (the OB 3.0 AchievementCredential schema's required properties)."""
    from tests.assessments.ob3 import check_against_context, check_against_schema

    doc = json.loads(services.credential_for(cert).document)
    assert check_against_context(doc) == []
    assert check_against_schema(doc) == []
    broken = copy.deepcopy(doc)
    broken["credentialSubject"]["identifier"][0]["identityHash"] = 5
    assert check_against_schema(broken) == ["credentialSubject/identifier/0/identityHash: 5 is not of type 'string'"]


def test_without_a_key_the_pages_say_so_instead_of_failing(client, settings, tmp_path):
    settings.CREDENTIAL_KEY_DIR, settings.CREDENTIAL_KEY_CREATE = str(tmp_path / "none"), False
    keys.all_keys.cache_clear()
    listed = client.get(reverse("assessments:credential-status-list", kwargs={"purpose": "revocation"}))
    assert listed.status_code == 503 and "CREDENTIAL_KEY_DIR" in listed.json()["error"]
    assert client.get(reverse("assessments:credential-keys")).status_code == 503
    keys.all_keys.cache_clear()
