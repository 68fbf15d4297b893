"""The employers' API: tokens issued (shown once, stored hashed) and revoked by the LSP admin, a batch of up to
100 codes or numbers, nothing personal beyond what the public page shows, rate-limited and audited."""

import datetime
import json

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from assessments.certificates import services as certs
from assessments.certificates.models import ApiToken
from assessments.certificates.services.holder import api_token_issue, token_digest
from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from tests import module_world

from .factories import EVENT_WORLD, decided_k

pytestmark = pytest.mark.django_db
LOOKUP = "/api/v1/certificates/lookup"
BY_NUMBER = "/api/v1/certificates/lookup-by-number"


def _issued() -> dict:
    """Both participants decided K and certified (``issued``, in the participants' order)."""
    w = decided_k()
    w["issued"] = [certs.certificate_issue(p, actor=w["lina"]) for p in w["event"].participants.order_by("pk")]
    return w


globals().update(module_world.shared(_issued, *EVENT_WORLD, "issued", language="en"))  # once a module


@pytest.fixture
def token(lina):
    return api_token_issue(name="BKD Kota Contoh", actor=lina)[1]


def call(client, raw, codes):
    return client.post(LOOKUP, json.dumps({"codes": codes}), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_batch_of_codes_is_answered_in_order_and_a_number_alone_finds_nothing(client, issued, token):
    a, b = issued
    spaced = " ".join(b.verification_code[i:i + 4] for i in range(0, len(b.verification_code), 4))
    codes = [a.verification_code.lower(), spaced, b.number, "NOSUCHCODE"]
    response = call(client, token, codes)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["query"] for r in results] == codes
    assert [r["found"] for r in results] == [True, True, False, False]  # the number is not a code
    assert results[0]["number"] == a.number and results[0]["status"] == "valid"
    assert results[1]["holder_name"] == b.holder_name
    assert results[0]["expires_on"] == a.expires_on.isoformat()
    assert [u["code"] for u in results[0]["units"]] == [u["code"] for u in a.snapshot["units"]]
    entry = AuditEntry.objects.get(action="assessments.certificates.apitoken.lookup")
    assert entry.note == "4 queried, 2 found"


def test_a_batch_reads_its_certificates_at_once_whatever_their_number(client, issued, token, lina):
    """100 codes cost the queries of one (no query per code: the corrections and renewals each answer names are
    read with the certificates), and a corrected certificate still names its replacement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b = issued
    new = certs.certificate_replace(b, actor=lina, reason="Nama salah ketik.", holder_name=b.holder_name,
                                    holder_nip=b.holder_nip, holder_unit=b.holder_unit, holder_position="Staf")
    counts = []
    for codes in ([a.verification_code], [a.verification_code, b.verification_code, new.verification_code] * 33
                  + [a.verification_code]):
        with CaptureQueriesContext(connection) as ctx:
            response = call(client, token, codes)
        assert response.status_code == 200 and all(r["found"] for r in response.json()["results"])
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    results = response.json()["results"]
    assert len(results) == 100 and results[1]["replaced_by"] == new.number and results[2]["replaces"] == b.number
    assert results[0]["replaced_by"] is None and results[1]["status"] == "withdrawn"


def by_number(client, raw, queries):
    return client.post(BY_NUMBER, json.dumps({"certificates": queries}), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_number_is_answered_only_with_the_holders_name_or_nip(client, issued, token):
    a, b = issued
    bare = a.holder_name.split(",")[0].upper()  # without the titles, in capitals
    response = by_number(client, token, [{"number": a.number, "holder_name": bare},
                                         {"number": b.number, "holder_name": b.holder_name},
                                         {"number": b.number, "holder_name": "Someone Else"},
                                         {"number": b.number, "nip": b.holder_nip}])
    assert response.status_code == 200
    assert [r["found"] for r in response.json()["results"]] == [True, True, False, bool(b.holder_nip)]
    assert response.json()["results"][0]["holder_name"] == a.holder_name
    alone = by_number(client, token, [{"number": a.number}])
    assert alone.status_code == 422 and "number alone is not enough" in json.dumps(alone.json())
def test_the_answer_holds_nothing_personal_beyond_the_public_page(client, issued, token):
    a = issued[0]
    result = call(client, token, [a.verification_code]).json()["results"][0]
    assert set(result) == {"query", "found", "number", "holder_name", "scheme_code", "scheme_name", "issued_on",
                           "expires_on", "status", "suspended_until", "units", "replaced_by", "replaces",
                           "renewed_by", "renews", "units_removed", "replaces_reduced", "source", "record"}
    text = json.dumps(result)
    assert a.holder_nip not in text or not a.holder_nip
    assert a.holder_unit not in text or not a.holder_unit
    public = client.get(reverse("assessments:verify-code", args=[a.verification_code])).content.decode()
    assert a.holder_name in public  # the public page shows the name, so the API may


def test_more_than_100_codes_or_none_are_refused_by_the_schema(client, issued, token):
    response = call(client, token, [f"CODE{i}" for i in range(101)])
    assert response.status_code == 422 and "at most 100" in json.dumps(response.json())
    assert call(client, token, []).status_code == 422
    assert call(client, token, ["X" * 201]).status_code == 422
    bad = client.post(LOOKUP, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bad.status_code == 400
    assert call(client, token, [f"CODE{i}" for i in range(20)]).status_code == 200


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
    missing = client.get("/api/v1/certificates/NOSUCHCODE", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert missing.status_code == 404 and "No certificate" in missing.json()["detail"]
    schema = client.get("/api/v1/openapi.json").json()
    for path, method in (("/api/v1/certificates/lookup", "post"), ("/api/v1/certificates/lookup-by-number", "post"),
                         ("/api/v1/certificates/{code}", "get")):
        assert {"200", "400", "401", "404", "422", "429"} <= set(schema["paths"][path][method]["responses"]), path
    codes = schema["components"]["schemas"]["LookupIn"]["properties"]["codes"]
    assert codes["minItems"] == 1 and codes["maxItems"] == 100


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


def test_misses_past_the_daily_quota_lock_the_token_and_tell_the_lsp_admin(client, issued, token, lina, login,
                                                                          settings, django_capture_on_commit_callbacks):
    settings.ASSESSMENT_API_MISSES_PER_DAY = 10
    a = issued[0]
    walk = [f"{n:05d}/SKK/LSP-BPSDM/2026" for n in range(1, 7)]  # sequential numbers, no name
    assert call(client, token, walk).status_code == 200  # 6 misses
    assert call(client, token, [a.verification_code]).status_code == 200  # a hit costs nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert call(client, token, walk).status_code == 200  # 12 misses: locked from now on
    locked = call(client, token, [a.verification_code])
    assert locked.status_code == 429 and "locked" in locked.json()["detail"]
    stored = ApiToken.objects.get()
    assert stored.locked_at is not None
    assert AuditEntry.objects.filter(action="assessments.certificates.apitoken.locked", object_id=str(stored.pk))\
        .count() == 1
    note = Notification.objects.get(user=lina)
    assert "BKD Kota Contoh" in note.subject and "terkunci" in note.subject
    assert any(lina.email in m.to and "BKD Kota Contoh" in m.subject for m in mail.outbox)
    page = login(lina).get(reverse("assessments:api-tokens")).content.decode()
    assert "api-token-locked" in page and "Buka kunci dan perpanjang" in page
    login(lina).post(reverse("assessments:api-token-renew", args=[stored.pk]))
    assert call(client, token, [a.verification_code]).status_code == 200
    assert AuditEntry.objects.filter(action="assessments.certificates.apitoken.renewed", actor=lina,
                                     from_state="locked").exists()


def test_a_token_expires_after_a_year_and_the_lsp_admin_renews_it(client, issued, token, lina, login, settings):
    a = issued[0]
    stored = ApiToken.objects.get()
    assert round((stored.expires_at - stored.created_at).total_seconds() / 86400) == 365
    with time_machine.travel(stored.expires_at + datetime.timedelta(minutes=1)):
        expired = call(client, token, [a.verification_code])
        assert expired.status_code == 401 and "expired" in expired.json()["detail"]
        page = login(lina).get(reverse("assessments:api-tokens")).content.decode()
        assert "api-token-expired" in page
        done = login(lina).post(reverse("assessments:api-token-renew", args=[stored.pk]), follow=True)
        assert "diperpanjang sampai" in done.content.decode()
        assert call(client, token, [a.verification_code]).status_code == 200
    stored.refresh_from_db()
    assert (stored.expires_at - stored.created_at).days >= 730
    assert AuditEntry.objects.filter(action="assessments.certificates.apitoken.renewed", actor=lina,
                                     from_state="expired").exists()


def test_only_the_lsp_admin_renews_and_a_revoked_token_is_not_renewed(client, login, lina, victor, token):
    stored = ApiToken.objects.get()
    renew = reverse("assessments:api-token-renew", args=[stored.pk])
    assert login(victor).post(renew).status_code == 403
    login(lina).post(reverse("assessments:api-token-revoke", args=[stored.pk]))
    refused = login(lina).post(renew, follow=True).content.decode()
    assert "Token yang dicabut tidak diperpanjang" in refused
    assert call(client, token, ["X"]).status_code == 401
