"""The VC Data Model 2.0 form of the Open Badges 3.0 credential (issue 31): signed with ``eddsa-rdfc-2022`` by our
Python code, checked by a second, independent implementation (Digital Bazaar's ``@digitalbazaar/vc`` with the
``eddsa-rdfc-2022`` cryptosuite and ``vc-bitstring-status-list``, in Node, offline), and by the public upload
check."""

import copy
import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.certificates import services as certs
from assessments.certificates.credentials import eddsa, keys, services, vc2
from tests import module_world

from .factories import EVENT_WORLD, alice_certified

pytestmark = pytest.mark.django_db
A11Y = Path(__file__).resolve().parents[1] / "a11y"


def node_verify(credential: dict, status_lists: dict | None = None, *, sign: bool = False) -> dict:
    """Digital Bazaar's verifier (tests/a11y/verify-vc2.mjs) in a child process: its own answer, untouched
    (``sign``: the credential Digital Bazaar signs instead, with a new did:key)."""
    node = shutil.which("node")
    assert node, "node is required for the independent VC 2.0 verifier (CI installs it)"
    request = {"credential": credential, "statusLists": status_lists, "sign": sign}
    done = subprocess.run([node, str(A11Y / "verify-vc2.mjs")], cwd=A11Y, capture_output=True, timeout=60,  # noqa: S603
                          input=json.dumps(request).encode(), check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout)


globals().update(module_world.shared(alice_certified, *EVENT_WORLD, "cert", language="en"))  # once a module


def _v2(cert) -> dict:
    return json.loads(services.v2_document(services.credential_for(cert)))


def _lists(client) -> dict:
    out = {}
    for purpose in vc2.PURPOSES:
        response = client.get(reverse("assessments:credential-status-list-v2", kwargs={"purpose": purpose}))
        assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
        out[vc2.list_url(purpose)] = json.loads(response.content)
    return out


def test_the_vc2_form_is_valid_for_digital_bazaar_and_a_changed_name_is_not(client, cert):
    doc = _v2(cert)
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["validUntil"].startswith(cert.expires_on.isoformat())
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022" and doc["proof"]["proofValue"].startswith("z")
    assert [s["statusPurpose"] for s in doc["credentialStatus"]] == ["revocation", "suspension"]
    assert cert.holder_nip not in json.dumps(doc)
    answer = node_verify(doc, _lists(client))
    assert answer["verified"] is True, answer
    assert answer["status"] == {"revocation": False, "suspension": False}
    assert eddsa.verify(doc) == keys.current_key().did
    changed = copy.deepcopy(doc)
    changed["credentialSubject"]["identifier"][1]["identityHash"] = "Someone Else"
    assert node_verify(changed)["verified"] is False
    with pytest.raises(eddsa.ProofError):
        eddsa.verify(changed)
    # the same document every time
    assert _v2(cert) == doc


def test_our_verifier_accepts_what_digital_bazaar_signs(cert):
    """The other way round: Digital Bazaar signs the same document with its own key; our eddsa-rdfc-2022 check
    accepts it and names that key, and refuses it once a name is changed."""
    unsigned = {k: v for k, v in _v2(cert).items() if k != "proof"}
    signed = node_verify(unsigned, sign=True)
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert eddsa.verify(signed) == signed["issuer"]["id"] != keys.current_key().did
    signed["credentialSubject"]["identifier"][1]["identityHash"] = "Someone Else"
    with pytest.raises(eddsa.ProofError):
        eddsa.verify(signed)


def test_suspension_sets_the_bit_digital_bazaar_reads(client, cert, lina):
    doc = _v2(cert)
    certs.certificate_suspend(cert, actor=lina, reason="Diperiksa.",
                              until=timezone.localdate() + datetime.timedelta(days=30))
    answer = node_verify(doc, _lists(client))
    assert answer["verified"] is True, answer
    assert answer["status"] == {"revocation": False, "suspension": True}
    certs.certificate_reinstate(cert, actor=lina, reason="Selesai diperiksa.")
    certs.certificate_withdraw(cert, actor=lina, reason="Dicabut.")
    assert node_verify(doc, _lists(client))["status"] == {"revocation": True, "suspension": False}


def _upload(client, doc):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = json.dumps(doc).encode()
    return client.post(reverse("assessments:verify-credential"),
                       {"berkas": SimpleUploadedFile("credential.json", data)}).context["check"].verdict


def test_the_public_page_checks_the_vc2_form(client, cert, lina):
    doc = _v2(cert)
    page = client.get(reverse("assessments:verify-credential")).content.decode()
    assert "/kredensial/status/v2/suspension.json" in page
    published = json.loads(client.get(reverse("assessments:credential-keys")).content)["keys"]
    assert doc["proof"]["verificationMethod"].split("#")[1] in [k["publicKeyMultibase"] for k in published]
    assert _upload(client, doc) == "valid"
    changed = copy.deepcopy(doc)
    changed["credentialSubject"]["licenseNumber"] = "X-1"
    assert _upload(client, changed) == "tampered"
    other = Path(keys.key_dir())  # a key the LSP never published signs a copy: not ours
    foreign_jwk = keys._new_jwk()
    foreign_did = keys.did_of(foreign_jwk)
    unsigned = {k: v for k, v in doc.items() if k != "proof"}
    unsigned["issuer"] = {**unsigned["issuer"], "id": foreign_did}
    assert other.is_dir()
    assert _upload(client, eddsa.sign(unsigned, jwk=foreign_jwk, did=foreign_did, created=vc2.now_text())) == "not_ours"
    certs.certificate_suspend(cert, actor=lina, reason="Diperiksa.",
                              until=timezone.localdate() + datetime.timedelta(days=30))
    assert _upload(client, doc) == "suspended"
    certs.certificate_reinstate(cert, actor=lina, reason="Selesai diperiksa.")
    certs.certificate_withdraw(cert, actor=lina, reason="Dicabut.")
    assert _upload(client, doc) == "revoked"


def test_holder_and_api_get_both_forms(client, cert, alice, bob, lina, login):
    url = reverse("assessments:credential-download", args=[cert.pk])
    assert login(bob).get(url + "?format=vc1").status_code in (403, 404)
    page = login(alice).get(reverse("assessments:holder-certificate", args=[cert.pk])).content.decode()
    assert f"{url}?format=vc1" in page
    assert json.loads(login(alice).get(url).content)["@context"][0] == vc2.VC_V2
    v1 = login(alice).get(url + "?format=vc1")
    assert json.loads(v1.content)["@context"][0] == "https://www.w3.org/2018/credentials/v1"
    assert "-vc1.json" in v1["Content-Disposition"]
    from assessments.certificates.services.holder import api_token_issue

    token = api_token_issue(name="BKD", actor=lina)[1]
    api = f"/api/v1/certificates/{cert.verification_code}/credential"
    got = client.get(api + "?format=vc2", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert got.status_code == 200 and eddsa.verify(json.loads(got.content)) == keys.current_key().did
    got = client.get(api, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert json.loads(got.content)["@context"][0] == "https://www.w3.org/2018/credentials/v1"


def test_the_issuer_image_is_the_lsp_logo_served_as_png_only(client, event, lina, bob):
    from django.core.files.base import ContentFile

    from certportal.lsp.demo import DEMO, demo_logo_png
    from certportal.lsp.services import profile_update

    profile_update(actor=lina, logo=ContentFile(demo_logo_png(), name="logo.png"), logo_kind="png", **DEMO)
    issued = certs.certificate_issue(event.participants.get(application__applicant=bob), actor=lina)  # after it
    doc = _v2(issued)
    image = doc["issuer"]["image"]
    assert image["type"] == "Image" and image["id"].endswith(".png")
    v1 = services.credential_for(issued).document
    assert json.loads(v1)["issuer"]["image"] == image
    assert keys.didkit({"op": "verify", "credential": v1})["errors"] == []
    assert node_verify(doc)["verified"] is True
    path = image["id"].split("/asesmen/", 1)[1]
    served = client.get("/asesmen/" + path)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff" and served.content == demo_logo_png()
    assert "sandbox" in served["Content-Security-Policy"]
    assert client.get("/asesmen/" + path.replace(".png", ".jpg")).status_code == 404
    assert client.get("/asesmen/" + path.replace(".png", "x.png")).status_code == 404


def test_without_a_logo_the_issuer_has_no_image(cert):
    assert "image" not in _v2(cert)["issuer"]


def test_a_vc2_upload_naming_another_context_is_never_fetched_and_is_refused(client, cert):
    doc = _v2(cert)
    doc["credentialSubject"]["@context"] = "https://example.invalid/context.json"
    with pytest.raises(eddsa.ProofError, match="canonicalised"):
        eddsa.verify(doc)
    assert _upload(client, doc) == "tampered"
    no_proof = {k: v for k, v in _v2(cert).items() if k != "proof"}
    assert _upload(client, no_proof) == "tampered"


def test_the_vc2_form_matches_the_open_badges_context_and_schema(cert):
    """The VC 2.0 form against the npm packages' contexts (VC 2.0, Open Badges 3.0.3) and the Open Badges 3.0 schema
    subset (tests/assessments/ob3.py: why not the official file, docs/credentials.md); a broken copy is caught."""
    from tests.assessments.ob3 import check_against_context, check_against_schema

    doc = _v2(cert)
    assert check_against_context(doc) == []
    assert check_against_schema(doc) == []
    broken = copy.deepcopy(doc)
    del broken["validFrom"]
    broken["credentialSubject"]["identifier"][0]["identityType"] = "nik"
    broken["credentialSubject"]["nickname"] = "Al"
    assert "undefined term nickname" in check_against_context(broken)
    problems = " ".join(check_against_schema(broken))
    assert "'validFrom' is a required property" in problems and "identifier/0/identityType" in problems


def test_the_indonesian_check_speaks_indonesian_and_shows_the_date_as_every_page_does(client, cert):
    """Issue 43: the check of a changed credential quoted the verifier's English ("the signature does not match the
    content") inside the Indonesian sentence, and "valid until" was an ISO date beside long-form dates."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    from certportal.dates import day

    def page_of(doc) -> str:
        return client.post(reverse("assessments:verify-credential"), {"berkas": SimpleUploadedFile(
            "credential.json", json.dumps(doc).encode())}, HTTP_ACCEPT_LANGUAGE="id").content.decode()

    doc = _v2(cert)
    valid = page_of(doc).split('id="credential-check"')[1].split("</dl>")[0]
    assert day(cert.expires_on) in valid and not re.search(r"\d{4}-\d{2}-\d{2}", valid), valid
    changed = copy.deepcopy(doc)
    changed["credentialSubject"]["licenseNumber"] = "X-1"
    reasons = page_of(changed).split('id="credential-reasons"')[1].split("</ul>")[0]
    assert "Tanda tangan tidak cocok dengan isinya: berkas diubah setelah ditandatangani." in reasons, reasons
    assert "signature" not in reasons and "content" not in reasons
