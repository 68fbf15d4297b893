"""Behind a reverse proxy each person is still one person: the client address comes from the proxies the portal
trusts (TRUSTED_PROXY_COUNT), never from what the client wrote, and the lockout, the per-address limits and the
audit trail all use it. (The same is proven through a real nginx in tests/deploy/test_production_smoke.py.)"""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from certportal.accounts.models import Role, User
from certportal.audit.models import AuditEntry
from certportal.net import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def request_from(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_without_trusted_proxies_the_connection_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_with_one_proxy_the_address_nginx_appended_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, "203.0.113.7")) == "203.0.113.7"
    # whatever the client wrote itself stays on the left and is ignored
    assert client_ip(request_from(PROXY, "198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(request_from(PROXY, "not-an-address,203.0.113.7")) == "203.0.113.7"
    assert client_ip(request_from(PROXY, "198.51.100.1, [2001:db8::5]:4711")) == "2001:db8::5"


def test_with_two_proxies_the_second_address_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(PROXY, "198.51.100.1, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"


def test_a_request_that_went_around_the_proxy_is_taken_by_its_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert client_ip(request_from("203.0.113.7")) == "203.0.113.7"


def login_from(client, address: str, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_lockout_counts_people_behind_the_proxy_apart(client, settings, victor):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_from(client, "203.0.113.7", victor.email, "wrong-password")
    assert login_from(client, "203.0.113.7", victor.email, PASSWORD).status_code == 429
    # a forged header does not make the locked-out client someone else
    assert login_from(client, "198.51.100.1, 203.0.113.7", victor.email, PASSWORD).status_code == 429
    # victor at his own desk, behind the same proxy, is not locked out
    response = login_from(client, "203.0.113.8", victor.email, PASSWORD)
    assert response.status_code == 302


def test_certificate_lookups_are_limited_per_client_not_per_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ASSESSMENT_VERIFY_PER_MINUTE = 2
    url = reverse("assessments:verify-code", kwargs={"code": "TIDAKADA"})
    codes = [client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code for _ in range(3)]
    assert codes[-1] == 429
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7").status_code == 429
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 404  # "no such certificate", not 429


def test_audit_rows_carry_the_client_address(login, settings, lina):
    settings.TRUSTED_PROXY_COUNT = 1
    response = login(lina).post(reverse("accounts:staff-create"), {
        "full_name": "Nadia Verifikator", "email": "nadia@example.go.id", "phone": "",
        "preferred_language": "id", "roles": [Role.VERIFIER],
    }, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert response.status_code == 302
    nadia = User.objects.get(email="nadia@example.go.id")
    entry = AuditEntry.objects.for_object(nadia).get(action="staff account created")
    assert entry.ip_address == "203.0.113.7"


def test_audit_rows_outside_a_request_have_no_address(lina):
    from certportal.audit.services import audit_record

    assert audit_record(actor=None, obj=lina, action="checked").ip_address is None


def test_healthz_answers_probes_by_internal_address_but_other_pages_still_check_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.go.id"]
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/", HTTP_HOST="portal.example.go.id").status_code == 200
