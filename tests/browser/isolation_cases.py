"""Two tests run in this order by tests/browser/test_live_server_isolation.py, in their own pytest process (this file
is not collected by the suite: it does not match ``test_*.py``). The first makes the live server answer 500 from
inside a transaction it broke and left open, as a request cut off mid-transaction does; the second must find a clean
database and connection. Also the URL configuration the first one uses (a test-only URL, never in the portal's)."""

import pytest
import requests
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import include, path

from certportal.accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def break_the_transaction(request):
    """Open a transaction and leave it open (never ``__exit__``), break it, then query inside it: a 500."""
    transaction.atomic().__enter__()
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT * FROM no_such_table_here")
    except DatabaseError:
        transaction.set_rollback(True)
    return User.objects.count()  # raises: "An error occurred in the current transaction"


urlpatterns = [path("uji-rusak/", break_the_transaction), path("", include("certportal.urls"))]
handler500 = "certportal.views.error_500"


def logged_in(user) -> requests.Session:
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return session


def test_a_request_breaks_its_transaction_and_gets_the_500_page(live_server, settings):
    settings.ROOT_URLCONF = __name__
    session = logged_in(UserFactory(full_name="Rina Rusak", roles=[Role.LSP_ADMIN]))
    answer = session.get(live_server.url + "/uji-rusak/", timeout=60)
    assert answer.status_code == 500
    assert "Terjadi kesalahan" in answer.text  # the portal's own 500 page, not the server's bare fallback


def test_the_next_test_finds_a_clean_database_and_connection(live_server):
    assert not User.objects.exists()  # the first test's user was cleared away
    lina = UserFactory(full_name="Lina Lanjut", roles=[Role.LSP_ADMIN])
    answer = logged_in(lina).get(live_server.url + "/beranda/", timeout=60)
    assert answer.status_code == 200 and "Lina Lanjut" in answer.text

