"""Issue 42 item 6: every private download says ``Cache-Control: no-store``. One rule in the middleware
(:class:`certportal.middleware.PrivateDownloadMiddleware`) covers every kind of download a view returns, so no view
can forget it; the portal's own downloads are checked through it, the holder's credential in ``tests/assessments/test_credentials.py``."""

import re

import pytest
from django.urls import URLResolver, get_resolver

from .download_urls import DOWNLOADS

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.core.download_urls")
@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_every_kind_of_download_to_a_signed_in_person_is_sent_no_store(name, alice, login):
    response = login(alice).get(f"/unduh/{name}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.urls("tests.core.download_urls")
def test_a_file_named_for_download_is_no_store_for_anyone(client):
    assert "no-store" in client.get("/unduh/credential.json")["Cache-Control"]


@pytest.mark.urls("tests.core.download_urls")
def test_pages_and_what_declares_itself_public_keep_their_caching(alice, login, client):
    assert "no-store" not in login(alice).get("/halaman/").get("Cache-Control", "")
    assert login(alice).get("/status.json")["Cache-Control"] == "public, max-age=300"
    assert "no-store" not in client.get("/unduh/data.json").get("Cache-Control", "")  # public data, no one's
    # the same answer to a client that authenticated itself (the employers' API's token) is private
    assert "no-store" in client.get("/unduh/data.json", headers={"Authorization": "Bearer x"})["Cache-Control"]


def test_the_personal_data_zip_and_an_export_are_no_store(alice, sofia, login):
    response = login(alice).post("/akun/data-pribadi/")
    assert response["Content-Type"] == "application/zip" and "no-store" in response["Cache-Control"]
    export = login(sofia).get("/perangkat-daerah/pegawai/ekspor/sertifikat.csv")
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]


# --- the walk: every route that serves a file ------------------------------------------------------------------

FILE_ROUTE = re.compile(r"\.(json|pdf|csv|xlsx|zip|<[^>]+>)$|(^|/)(unduh|berkas|berkas-asesmen|pdf|ekspor)(/|$)")
# The files anyone may fetch, and why they are not private (the rest need a signed-in person, whom the rule covers).
PUBLIC_FILES = {
    "assessments:credential-link": "the holder's wallet link: a signed token, sent never_cache",
    "assessments:credential-status-list": "the credentials' status list: public by the standard",
    "assessments:credential-status-list-v2": "the credentials' status list: public by the standard",
    "assessments:credential-logo": "the LSP's logo, public (sent public, max-age)",
    "assessments:credential-keys": "the public keys",
    "assessments:verify-json": "the public verification of one certificate by its code (never_cache)",
    "api-v1:openapi-json": "the employers' API description",
}


def _routes(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _routes(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            yield prefix + str(p.pattern), f"{namespace}{p.name}", p.callback


def test_every_route_that_serves_a_file_is_private_or_declared_public():
    """A private file is one a signed-in person fetches: the middleware's rule sends each such answer no-store,
    whatever its view sets. So the walk checks that no route serving a file is open to anonymous visitors unless
    it is declared public here, with the reason."""
    files = [(route, name, view) for route, name, view in _routes(get_resolver().url_patterns)
             if not route.startswith("admin/") and FILE_ROUTE.search(route)]
    assert len(files) >= 40
    open_to_all = {name for _route, name, view in files if getattr(view, "login_required", True) is False}
    assert open_to_all == set(PUBLIC_FILES)
