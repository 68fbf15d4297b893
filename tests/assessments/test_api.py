"""The employers' API: tokens issued (shown once, stored hashed) and revoked by the LSP admin, a batch of up to
100 codes or numbers, nothing personal beyond what the public page shows, rate-limited and audited."""

import json

import pytest
from django.urls import reverse

from assessments.certificates import services as certs
from assessments.certificates.models import ApiToken
from assessments.certificates.services.holder import api_token_issue, token_digest
from certportal.audit.models import AuditEntry

from .factories import decide_event

pytestmark = pytest.mark.django_db
LOOKUP = "/api/v1/certificates/lookup"


@pytest.fixture
def issued(event, lina, tono, asa, alice, bob):
    event = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    return [certs.certificate_issue(p, actor=lina) for p in event.participants.order_by("pk")]


@pytest.fixture
def token(lina):
    return api_token_issue(name="BKD Kota Contoh", actor=lina)[1]


def call(client, raw, codes):
    return client.post(LOOKUP, json.dumps({"codes": codes}), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_batch_of_codes_and_numbers_is_answered_in_order(client, issued, token):
    a, b = issued
    codes = [a.verification_code.lower(), b.number, "NOSUCHCODE"]
    response = call(client, token, codes)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["query"] for r in results] == codes
    assert [r["found"] for r in results] == [True, True, False]
    assert results[0]["number"] == a.number and results[0]["status"] == "valid"
    assert results[1]["holder_name"] == b.holder_name
    assert results[0]["expires_on"] == a.expires_on.isoformat()
    assert [u["code"] for u in results[0]["units"]] == [u["code"] for u in a.snapshot["units"]]
    entry = AuditEntry.objects.get(action="assessments.certificates.apitoken.lookup")
    assert entry.note == "3 queried, 2 found"


def test_the_answer_holds_nothing_personal_beyond_the_public_page(client, issued, token):
    a = issued[0]
    result = call(client, token, [a.verification_code]).json()["results"][0]
    assert set(result) == {"query", "found", "number", "holder_name", "scheme_code", "scheme_name", "issued_on",
                           "expires_on", "status", "suspended_until", "units", "replaced_by", "replaces",
                           "renewed_by", "renews"}
    text = json.dumps(result)
    assert a.holder_nip not in text or not a.holder_nip
    assert a.holder_unit not in text or not a.holder_unit
    public = client.get(reverse("assessments:verify-code", args=[a.verification_code])).content.decode()
    assert a.holder_name in public  # the public page shows the name, so the API may


def test_more_than_100_codes_are_refused(client, issued, token):
    response = call(client, token, [f"CODE{i}" for i in range(101)])
    assert response.status_code == 400 and "At most 100" in response.json()["detail"]
    assert call(client, token, [f"CODE{i}" for i in range(100)]).status_code == 200


def test_no_token_a_wrong_token_and_a_revoked_token_get_401(client, issued, token, lina, login):
    assert client.post(LOOKUP, json.dumps({"codes": ["X"]}), content_type="application/json").status_code == 401
    assert call(client, token + "x", ["X"]).status_code == 401
    assert call(client, token, ["X"]).status_code == 200
    stored = ApiToken.objects.get()
    login(lina).post(reverse("assessments:api-token-revoke", args=[stored.pk]))
    assert call(client, token, ["X"]).status_code == 401
    assert AuditEntry.objects.filter(action="assessments.certificates.apitoken.revoked", actor=lina).exists()


def test_calls_are_limited_per_token(client, issued, token, settings):
    settings.ASSESSMENT_API_PER_MINUTE = 2
    assert [call(client, token, ["X"]).status_code for _ in range(3)] == [200, 200, 429]


def test_one_certificate_by_code_and_the_openapi_document(client, issued, token):
    a = issued[0]
    one = client.get(f"/api/v1/certificates/{a.verification_code}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert one.status_code == 200 and one.json()["number"] == a.number
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/certificates/lookup" in schema.json()["paths"]


def test_the_lsp_admin_issues_a_token_shown_once_and_only_its_hash_is_kept(login, lina):
    admin = login(lina)
    page = admin.post(reverse("assessments:api-tokens"), {"name": "BKD Kota Contoh"}).content.decode()
    stored = ApiToken.objects.get()
    raw = page.split('id="new-token-value">')[1].split("<")[0]
    assert raw.startswith(stored.prefix) and stored.digest == token_digest(raw)
    assert raw not in admin.get(reverse("assessments:api-tokens")).content.decode()
    assert AuditEntry.objects.filter(action="assessments.certificates.apitoken.issued", actor=lina).exists()


def test_a_token_form_with_a_huge_or_empty_name_is_refused_with_a_message(login, lina):
    admin = login(lina)
    for name in ("", "x" * 10_000):
        page = admin.post(reverse("assessments:api-tokens"), {"name": name}, follow=True).content.decode()
        assert "alert-danger" in page
    assert not ApiToken.objects.exists()


def test_only_the_lsp_admin_issues_and_revokes(client, login, lina, victor, alice, token):
    stored = ApiToken.objects.get()
    for user in (victor, alice):
        assert login(user).post(reverse("assessments:api-tokens"), {"name": "X"}).status_code == 403
        assert login(user).post(reverse("assessments:api-token-revoke", args=[stored.pk])).status_code == 403
    assert client.post(reverse("assessments:api-token-revoke", args=[stored.pk])).status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is None and ApiToken.objects.count() == 1
