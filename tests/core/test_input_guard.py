"""One guard (certportal/inputguard.py) answers 400 with a page in the reader's language, never a 500, to NUL and
other control characters, bytes that are not UTF-8 and overlong input in the path, the query string and the body:
sent to every URL pattern of the portal, the API included. PostgreSQL refuses NUL where SQLite does not, so the
named look-ups below answered 500 on PostgreSQL only (CI runs these on PostgreSQL). Indonesian text, emoji,
line breaks and uploaded binary files still pass."""

import json
import re
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern

from assessments.certificates.services.holder import api_token_issue
from certportal.inputguard import MAX_PATH, MAX_QUERY
from complaints.models import Complaint
from tests.hostile_files import real_pdf

pytestmark = pytest.mark.django_db

SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}
IN_PATH = {"NUL": "%00", "ESC": "%1B", "DEL": "%7F", "C1": "%C2%85", "not UTF-8": "%FF",
           "overlong NUL": "%C0%80", "overlong": "a" * (MAX_PATH + 1)}
IN_QUERY = {"NUL": "q=a%00b", "vertical tab": "q=a%0Bb", "not UTF-8": "q=%FF", "name with NUL": "a%00=1",
            "overlong": "q=" + "a" * MAX_QUERY}
REFUSED_ID = "Alamat atau formulir berisi karakter kendali (misalnya NUL)."
REFUSED_EN = "The address or the form contains a control character (such as NUL)."


def _route(pattern) -> str:
    """A path matching one pattern piece; a slot where any text goes (str, path) is marked ``{FREE}``."""
    if isinstance(pattern, RegexPattern):  # the admin's two: an app label, a catch-all
        return re.sub(r"\(\?P<\w+>[^)]*\)", "auth", str(pattern)).strip("^$")
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: "{FREE}" if (m.group(1) or "str") in ("str", "path")
                  else SAMPLE[m.group(1)], str(pattern))


def every_url() -> list[tuple[str, str]]:
    """(a sample address, the same with a ``{FREE}`` slot for hostile text) for every URL pattern: the slot is a
    text parameter when there is one, else an extra path segment."""
    urls = []

    def walk(resolver, prefix):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, prefix + _route(p.pattern))
            else:
                urls.append("/" + prefix + _route(p.pattern))

    walk(get_resolver(), "")
    return [(u.replace("{FREE}", "x"), u.replace("{FREE}", "{SLOT}", 1).replace("{FREE}", "x").replace("{SLOT}", "{FREE}")
             if "{FREE}" in u else u + "{FREE}") for u in urls]


URLS = every_url()


def test_every_url_pattern_is_walked_and_its_sample_address_resolves():
    assert len(URLS) > 300
    for clean, _slot in URLS:
        resolve(clean)  # Resolver404 if a converter was filled wrongly
    assert any(clean.startswith("/api/v1/") for clean, _slot in URLS)


def refused(response) -> bool:
    if response.status_code != 400:
        return False
    if response["Content-Type"].startswith("application/json"):
        return bool(response.json()["detail"])
    return 'id="input-refused"' in response.content.decode()


def test_every_url_refuses_hostile_paths_and_query_strings(client):
    wrong = []
    for clean, url in URLS:
        for name, bad in IN_PATH.items():
            response = client.get(url.replace("{FREE}", bad))
            if not refused(response):
                wrong.append(f"{url} path {name}: {response.status_code}")
        for name, query in IN_QUERY.items():
            response = client.get(f"{clean}?{query}")
            if (clean, response.status_code) in (("/healthz", 200), ("/metrics", 404)):
                continue  # the probe and the scrape (off without METRICS_TOKEN) are answered before the guard and
                # read nothing from the request but the scraper's token
            if not refused(response):
                wrong.append(f"{url} query {name}: {response.status_code}")
    assert wrong == []


def test_every_url_refuses_hostile_form_and_json_bodies(client):
    bodies = {
        "urlencoded NUL": ("q=a%00b", "application/x-www-form-urlencoded"),
        "urlencoded not UTF-8": (b"q=\xff\xfe", "application/x-www-form-urlencoded"),
        "urlencoded overlong NUL": ("q=%C0%80", "application/x-www-form-urlencoded"),
        "JSON NUL": (json.dumps({"codes": ["a\u0000b"]}), "application/json"),
        "JSON lone surrogate": ('{"codes": ["a\\ud800b"]}', "application/json"),
    }
    wrong = []
    for clean, url in URLS:
        for name, (body, kind) in bodies.items():
            response = client.post(clean, body, content_type=kind)
            if not refused(response):
                wrong.append(f"{url} {name}: {response.status_code}")
        response = client.post(clean, {"q": "a\x00b", "berkas": SimpleUploadedFile("a.pdf", real_pdf())})
        if not refused(response):
            wrong.append(f"{url} multipart NUL: {response.status_code}")
    assert wrong == []


def test_the_look_ups_that_answered_500_on_postgresql_answer_400(client, lina):
    for url in ("/asesmen/cek/%00.json", "/asesmen/verifikasi/%00/", "/pengaduan/lacak/%00/",
                "/pengaduan/survei/%00/"):
        response = client.get(url)
        assert response.status_code == 400 and REFUSED_ID in response.content.decode(), url
    token = api_token_issue(name="BKD Kota Contoh", actor=lina)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.get("/api/v1/certificates/%00", **auth)
    assert response.status_code == 400 and response.json()["detail"] == REFUSED_ID
    response = client.post("/api/v1/certificates/lookup", json.dumps({"codes": ["a\u0000b"]}),
                           content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["detail"] == REFUSED_ID
    # and what is fine still reaches the API
    response = client.post("/api/v1/certificates/lookup", json.dumps({"codes": ["Ñandú–Kupang 😊"]}),
                           content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["results"][0]["found"] is False


def test_a_session_cookie_with_a_nul_is_dropped_not_a_500(client, alice):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijklmnop"
    response = client.get("/")
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    client.cookies.clear()
    client.force_login(alice)  # a good session cookie still logs in
    assert client.get("/").wsgi_request.user == alice


def test_the_refusal_is_in_the_readers_language(client, login, lina):
    assert REFUSED_ID in client.get("/pengaduan/lacak/%00/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/pengaduan/lacak/%00/").content.decode()
    assert REFUSED_EN in page and 'lang="en"' in page
    lina.preferred_language = "en"
    lina.save()
    page = login(lina).get("/?q=%FF").content.decode()
    assert "The address or the form contains bytes that are not text (not UTF-8)." in page


def test_a_body_over_the_upload_limit_gets_the_page_not_a_bare_error(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client.post("/pengaduan/publik/", "message=" + "a" * 2_000,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "Formulir terlalu besar." in response.content.decode()


def test_indonesian_text_emoji_line_breaks_and_a_pdf_pass_untouched(client):
    message = "Berkas saya dikembalikan.\r\n\tNama: Ni Luh Putu Ayu Ñoman – “Kupang” ✓ 😊"
    response = client.post("/pengaduan/publik/", {
        "name": "Ni Luh Putu Ayu Ñoman", "email": "ayu@example.go.id", "phone": "", "object_text": "Verifikasi",
        "reference": "", "service_date": "", "message": message, "website": "",
        "attachments": [SimpleUploadedFile("bukti.pdf", real_pdf(), content_type="application/pdf")]})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert "\tNama: Ni Luh Putu Ayu Ñoman – “Kupang” ✓ 😊" in complaint.message
    assert complaint.attachments.count() == 1
    assert client.get("/skema/", {"q": "Analis Kebijakan – Ahli Muda ñ"}).status_code == 200
