"""Walk every URL pattern as an anonymous visitor: only views marked ``login_not_required`` answer;
everything else sends the visitor to the login page (or, for the Django admin, to the admin login)."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

SAMPLE = {"int": "1", "str": "x", "slug": "x", "uuid": str(uuid.uuid4()), "path": "x"}


def walk(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def concrete(route: str) -> str:
    import re

    def sub(m):
        conv = m.group(1) or "str"
        return SAMPLE.get(conv, "x")

    path = re.sub(r"<(?:(\w+):)?\w+>", sub, route)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + path


def is_public(view) -> bool:
    return getattr(view, "login_required", True) is False


ALL = [(route, p) for route, p in walk() if "(?P" not in route and "\\" not in route]


def test_the_walk_sees_every_app():
    routes = " ".join(r for r, _ in ALL)
    for prefix in ("akun/", "audit/", "admin/"):
        assert prefix in routes


@pytest.mark.parametrize("route,pattern", ALL, ids=[r for r, _ in ALL])
def test_anonymous_visitor_reaches_only_public_pages(client, route, pattern):
    url = concrete(route)
    response = client.get(url)
    if route.startswith("admin/"):
        assert response.status_code in (302, 404) or is_public(pattern.callback)
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"] or "/akun/masuk/" in response["Location"]
        return
    if is_public(pattern.callback):
        assert response.status_code < 500, f"public page {url} fails"
        return
    assert response.status_code == 302, f"{url} answered {response.status_code} to an anonymous visitor"
    assert response["Location"].startswith(reverse("accounts:login")), url


def test_public_pages_are_a_known_short_list():
    """Adding a public page is a decision: list it here."""
    public = sorted(r for r, p in ALL if is_public(p.callback) and not r.startswith("admin/"))
    allowed_prefixes = (
        "", "healthz", "akun/masuk/", "akun/daftar/", "akun/konfirmasi/", "akun/sandi/lupa/", "akun/sandi/atur/",
        "akun/bahasa/", "skema/", "pengaduan/publik/", "pengaduan/lacak/", "pengaduan/survei/", "asesmen/verifikasi/",
        "asesmen/cek/", "privasi/",
        "perangkat-daerah/undangan/",  # an agency's invitation: its link's secret, never an id; it only says what to do
        # Open Badges credentials (issue 31): the status lists and keys verifiers fetch, the holder's wallet link
        # (a signed token, never an id), the LSP logo the credentials name (a signed token of the stored name)
        "asesmen/kredensial/", "asesmen/kredensial-kunci.json",
        "api/v1/",  # the employers' API: every call authenticated by its token (401 without), the OpenAPI docs public
        "asesmen/penyalahgunaan/lacak/",  # a misuse report's status for its reporter: a signed token, never an id
        "metrics",  # Prometheus' scrape: 404 unless METRICS_TOKEN is set, 401 without that token (tests/core/test_metrics.py)
    )
    for route in public:
        assert route == "" or any(p and route.startswith(p) for p in allowed_prefixes), route
