"""Password spraying: failed logins are limited per address across accounts as well as per account and address.
Sixty wrong passwords over fifteen accounts from one address are stopped, a right password for another account
from that address right after is refused with a clear message, the same person from another address logs in,
and the supervisor's dashboard shows the attempt. In production, the deploy check fails when rate limits would be
counted per process."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from certportal.accounts.models import LoginSpray, Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SPRAYER, OFFICE = "203.0.113.66", "198.51.100.7"


def attempt(client, email, password, ip):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def accounts():
    return [UserFactory(email=f"pegawai{n}@example.go.id", roles=[Role.APPLICANT]) for n in range(16)]


def test_sixty_wrong_passwords_over_fifteen_accounts_stop_every_login_from_that_address(client, accounts):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        answers = []
        for n in range(60):  # four tries per account: under the per-account lock of five
            answers.append(attempt(client, accounts[n % 15].email, f"Tebakan-{n}", SPRAYER).status_code)
            traveller.shift(datetime.timedelta(seconds=2))
        paused = [a for a in answers if a == 200]
        assert len(paused) == 60  # the form is shown again each time: never a login
        legit = accounts[15]  # an account never tried, with its right password
        refused = attempt(client, legit.email, PASSWORD, SPRAYER)
        text = refused.content.decode()
        assert refused.status_code == 200 and "_auth_user_id" not in client.session
        assert "alamat jaringan Anda" in text and "dijeda" in text
        # the same person from their own office network logs in
        assert attempt(client, legit.email, PASSWORD, OFFICE).status_code == 302
        spray = LoginSpray.objects.get(ip_address=SPRAYER)
        assert spray.failures == 20 and len(spray.accounts) == 15 and spray.refused == 41
        # once the window has passed since the last failure, the address may log in again
        traveller.shift(datetime.timedelta(minutes=16))
        client.logout()
        assert attempt(client, legit.email, PASSWORD, SPRAYER).status_code == 302


def test_the_supervisor_dashboard_shows_the_attempt(client, accounts, login):
    for n in range(25):
        attempt(client, accounts[n % 10].email, "salah-sekali", SPRAYER)
    sofia = UserFactory(full_name="Sofia Supervisor", roles=[Role.SUPERVISOR])
    page = login(sofia).get(reverse("sla:dashboard")).content.decode()
    section = page.split('id="login-sprays"')[1]
    assert SPRAYER in section and "pegawai3@example.go.id" in section and "Penyemprotan kata sandi" in section
    assert "<summary>10</summary>" in section


def test_the_dashboard_keeps_the_attempts_and_shows_a_new_one_at_once(client, accounts, login):
    """The list is kept a minute for every reader of the dashboard and forgotten when an episode is recorded or a
    login from a paused address is refused."""
    sofia = UserFactory(full_name="Sofia Supervisor", roles=[Role.SUPERVISOR])

    def section() -> str:
        return login(sofia).get(reverse("sla:dashboard")).content.decode().split('id="login-sprays"')[1]

    assert SPRAYER not in section()
    for n in range(25):
        attempt(client, accounts[n % 10].email, "salah-sekali", SPRAYER)
    assert SPRAYER in section() and "<summary>10</summary>" in section()
    refused = re.compile(r'<td data-label="Percobaan masuk ditolak selama dijeda">(\d+)</td>')
    before = int(refused.search(section()).group(1))
    attempt(client, accounts[15].email, PASSWORD, SPRAYER)  # a right password, refused while paused
    assert int(refused.search(section()).group(1)) == before + 1


def test_an_office_with_a_few_mistakes_is_not_paused(client, accounts):
    for n in range(12):
        attempt(client, accounts[n].email, "lupa", OFFICE)
    assert attempt(client, accounts[12].email, PASSWORD, OFFICE).status_code == 302
    assert not LoginSpray.objects.exists()


def test_the_deploy_check_fails_when_rate_limits_would_count_per_process(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(SystemCheckError, match="certportal.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/2"}}
    from certportal.accounts.checks import rate_limits_are_shared

    assert rate_limits_are_shared(None) == []
