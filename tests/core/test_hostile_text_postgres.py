"""No input reaches PostgreSQL with a character it refuses, whatever the channel (issue 42): NUL, lone surrogates and
other control characters sent through every public URL pattern and every API route, in the path, the query string,
an urlencoded or multipart form (field, file name, uploaded JSON), a JSON body sent as JSON, as ``text/plain``,
form-encoded or without a content type, and a raw body, answer 4xx, never 5xx. The URL patterns are walked from the
resolver (public: the views that need no login), not listed by hand. On PostgreSQL only: SQLite takes NUL, so a
leak would not show there (CI runs the suite on PostgreSQL)."""

import json
import logging
from urllib.parse import quote, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.certificates.credentials import keys
from assessments.certificates.credentials.document import CONTEXTS
from assessments.certificates.services.holder import api_token_issue

from .test_input_guard import every_url

pytestmark = pytest.mark.django_db

REFUSED = ["\x00", "\ud800", "\udfff", "\x1b", "\x7f", "\x85"]


def _public_or_api(clean: str) -> bool:
    return clean.startswith("/api/") or getattr(resolve(clean).func, "login_required", True) is False


ENTRY_POINTS = [(clean, slot) for clean, slot in every_url() if _public_or_api(clean)]


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL refuses NUL where SQLite takes it: run with DATABASE_URL=postgres://... (CI does)")


@pytest.fixture
def api_client(client, lina, settings):
    settings.ASSESSMENT_API_PER_MINUTE = 100_000
    token = api_token_issue(name="BKD Kota Contoh", actor=lina)[1]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _json_body(text: str) -> bytes:
    return _bytes(json.dumps({"codes": [text], "certificates": [{"number": text, "holder_name": text}], "q": text},
                             ensure_ascii=False))


def _credential(text: str) -> bytes:
    """Shaped like the LSP's credential (our contexts, our issuer), so that it is judged and its number looked up."""
    return _bytes(json.dumps({"@context": CONTEXTS, "issuer": {"id": keys.current_key().did},
                              "credentialSubject": {"licenseNumber": "00001/SKK/" + text}, "proof": {}}))


def _send(client, clean: str, slot: str, channel: str, text: str):
    raw = _bytes(text)
    if channel == "path":
        return client.get(slot.replace("{FREE}", quote(raw, safe="")))
    if channel == "query":
        return client.get(f"{clean}?q={quote(raw)}&{quote(raw)}=1")
    if channel == "form":
        body = urlencode({"q": raw, "codes": raw, "number": raw, "message": raw})
        return client.post(clean, body, content_type="application/x-www-form-urlencoded")
    if channel == "multipart":
        name = raw.decode("utf-8", "replace") + ".json"
        return client.post(clean, {"q": text.replace("\ud800", "\x00").replace("\udfff", "\x00"),
                                   "berkas": SimpleUploadedFile("credential.json", _credential(text)),
                                   "file": SimpleUploadedFile(name, b"{}")})
    if channel == "raw":
        return client.generic("POST", clean, raw, content_type="application/octet-stream")
    kind = {"json": "application/json", "text/plain": "text/plain", "form-typed json": "application/x-www-form-urlencoded",
            "untyped json": ""}[channel]
    return client.generic("POST", clean, _json_body(text), CONTENT_TYPE=kind)


CHANNELS = ["path", "query", "form", "multipart", "raw", "json", "text/plain", "form-typed json", "untyped json"]


def _leaks(caplog) -> list[str]:
    """The safety net's log lines: input that reached the database (and got the net's 400, not a 500)."""
    return [r.getMessage() for r in caplog.records if r.name == "certportal.inputguard"]


def test_every_public_and_api_entry_point_refuses_nul_in_every_channel(on_postgresql, api_client, caplog):
    caplog.set_level(logging.WARNING, logger="certportal.inputguard")
    assert len(ENTRY_POINTS) > 30 and any(c.startswith("/api/v1/") for c, _s in ENTRY_POINTS)
    wrong = []
    for clean, slot in ENTRY_POINTS:
        for channel in CHANNELS:
            response = _send(api_client, clean, slot, channel, "a\x00b")
            if response.status_code >= 500:
                wrong.append(f"{clean} {channel}: {response.status_code}")
    assert wrong == [] and _leaks(caplog) == []


HOSTILE = st.tuples(st.text(max_size=8), st.sampled_from(REFUSED), st.text(max_size=8)).map("".join)


@hypothesis_settings(max_examples=120, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(entry=st.sampled_from(ENTRY_POINTS), channel=st.sampled_from(CHANNELS), text=HOSTILE)
def test_hostile_text_anywhere_is_never_a_server_error(on_postgresql, api_client, caplog, entry, channel, text):
    caplog.set_level(logging.WARNING, logger="certportal.inputguard")
    response = _send(api_client, *entry, channel, text)
    assert response.status_code < 500, (entry[0], channel, repr(text))
    assert _leaks(caplog) == []


def test_the_reported_cases_answer_400_in_words(on_postgresql, client, lina):
    """The issue's cases: a credential whose number ends in NUL (it was judged tampered, then its look-up failed),
    and the API look-up with the JSON sent as text/plain, form-encoded or untyped (as JSON it was already 400)."""
    page = client.post(reverse("assessments:verify-credential"),
                       {"berkas": SimpleUploadedFile("c.json", _credential("\x00"))})
    assert page.status_code == 400 and "karakter kendali" in page.content.decode()
    token = api_token_issue(name="BKD Kota Contoh", actor=lina)[1]
    for kind in ("text/plain", "application/x-www-form-urlencoded", ""):
        response = client.generic("POST", "/api/v1/certificates/lookup", json.dumps({"codes": ["a\u0000b"]}),
                                  CONTENT_TYPE=kind, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 400, kind
        assert response.json()["detail"] == "Alamat atau formulir berisi karakter kendali (misalnya NUL)."
