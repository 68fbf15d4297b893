import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_stays_200_but_says_degraded_when_the_broker_is_down(client, settings):
    # the outbox keeps what would be published: the host still serves, so the load balancer must keep it
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "down", "cache": "local", "storage": "ok",
                               "worker": "missing", "worker_heartbeat_age_seconds": None, "degraded": ["broker"],
                               "status": "degraded"}


def test_friendly_404_in_both_languages(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Kami tidak menemukan halaman ini" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "We could not find this page" in client.get("/tidak-ada/").content.decode()


def test_friendly_403_for_a_wrong_role(login, alice):
    response = login(alice).get("/audit/")
    assert response.status_code == 403
    assert "tidak memiliki izin" in response.content.decode()


@override_settings(DEBUG=False)
def test_friendly_500_page_renders(client):
    from django.template.loader import render_to_string

    assert "Terjadi kesalahan" in render_to_string("500.html")


def test_dates_are_in_indonesian_format_and_jakarta_time(settings):
    import datetime

    from django.utils import formats, translation

    assert settings.TIME_ZONE == "Asia/Jakarta"
    with translation.override("id"):
        assert formats.date_format(datetime.date(2026, 8, 17)) == "17 Agustus 2026"
