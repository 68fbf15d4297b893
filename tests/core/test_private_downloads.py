"""Issue 42 item 6: every private download says ``Cache-Control: no-store``. One rule in the middleware
(:class:`certportal.middleware.PrivateDownloadMiddleware`) covers every kind of download a view returns, so no view
can forget it; the portal's own downloads are checked through it, the holder's credential in ``tests/assessments/test_credentials.py``."""

import pytest

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


def test_the_personal_data_zip_and_an_export_are_no_store(alice, sofia, login):
    response = login(alice).post("/akun/data-pribadi/")
    assert response["Content-Type"] == "application/zip" and "no-store" in response["Cache-Control"]
    export = login(sofia).get("/perangkat-daerah/pegawai/ekspor/sertifikat.csv")
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]
