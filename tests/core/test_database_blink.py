"""Issue 45 item 5: PostgreSQL restarted under traffic. The connection a request holds is cut in flight (its
server process terminated from another connection, as ``pg_ctl restart -m fast`` does to every one): a read is
retried once on a fresh connection, and what cannot be retried is a 503 page in the person's language with
Retry-After, never a 500. (The shared server is not restarted: only this test's own connection is cut.)"""

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from tests.applicants.factories import SchemeFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="cuts a PostgreSQL server process (pg_terminate_backend)")]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def cut_the_connection() -> int:
    """Terminate the server process behind the connection Django holds, from another connection."""
    pid = _backend_pid()
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
        other.commit()
    finally:
        other.close()
    return pid


def test_a_read_whose_connection_is_cut_is_answered_after_one_retry(client, caplog):
    scheme = SchemeFactory(name="Skema Pengelolaan Arsip", is_published=True)
    pid = cut_the_connection()
    with caplog.at_level("WARNING", logger="certportal.dbdown"):
        response = client.get(reverse("schemes:scheme-detail", args=[scheme.pk]))
    assert response.status_code == 200 and "Skema Pengelolaan Arsip" in response.content.decode()
    assert any("retried once" in r.getMessage() for r in caplog.records)
    assert _backend_pid() != pid  # a fresh server process


def test_a_page_whose_connection_is_cut_before_the_view_is_a_503_in_the_persons_language(client, caplog):
    client.force_login(UserFactory(full_name="Siti Pembaca"))
    client.raise_request_exception = False  # what the person's browser gets, as in production
    cut_the_connection()  # the login check's session read is the first query: in a middleware, not retried
    with caplog.at_level("ERROR", logger="certportal.dbdown"):
        response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    page = response.content.decode()
    assert "tidak dapat menghubungi basis datanya" in page and "10 detik" in page  # Indonesian, the default
    assert any(r.levelname == "ERROR" and "Database unavailable during GET /" in r.getMessage()
               for r in caplog.records)
    assert client.get("/").status_code in (200, 302)  # the next request works on a fresh connection


def test_a_form_sent_while_the_connection_is_cut_is_not_replayed_and_says_so(client):
    client.raise_request_exception = False
    cut_the_connection()
    response = client.post(reverse("accounts:login"), {"username": "x@example.go.id", "password": "salah"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "check afterwards whether it was saved" in response.content.decode() or \
        "periksa dahulu apakah sudah tersimpan" in response.content.decode()
