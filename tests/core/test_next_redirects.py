"""Every view that follows a ``next`` goes only to a page of this site (certportal/redirects.py, Django's
``url_has_allowed_host_and_scheme``): log-in, log-out, the language switch and the applicant's profile, each sent
the addresses a phishing link would use; and no other module reads ``next`` from a request."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from applicants.models import ApplicantProfile
from tests.applicants.factories import ProfileFactory
from tests.applicants.test_nik import _profile_post
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
HOSTILE = ["//evil.example/phish", "https://evil.example/", "http:evil.example", "/\\evil.example/phish",
           "\\\\evil.example", "javascript:alert(1)", "https://testserver.evil.example/", "///evil.example"]
SAFE = "/skema/?q=analis"


def _goes_home(response) -> bool:
    where = response["Location"]
    return response.status_code == 302 and where.startswith("/") and not where.startswith(("//", "/\\")) \
        and "evil" not in where and "javascript" not in where


def _login(client, user, nxt):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD, "next": nxt})


def _logout(client, user, nxt):
    client.force_login(user)
    return client.post(reverse("accounts:logout"), {"next": nxt})


def _language(client, user, nxt):
    return client.post(reverse("accounts:set-language"), {"language": "en", "next": nxt})


def _profile(client, user, nxt):
    client.force_login(user)
    return client.post(reverse("applicants:profile") + "?" + f"next={nxt}".replace("&", "%26"),
                       _profile_post(ApplicantProfile.objects.get(user=user)))


@pytest.fixture
def alice_profile(alice):
    return ProfileFactory(user=alice, full_name="Alice Applicant, S.Sos.", nip="198503142010012001", gender="2")


VIEWS = {"log-in": _login, "log-out": _logout, "language switch": _language, "applicant profile": _profile}


@pytest.mark.parametrize("view", VIEWS)
def test_a_next_to_another_site_lands_on_this_one_and_a_page_here_is_followed(view, alice, alice_profile):
    send = VIEWS[view]
    for nxt in HOSTILE:
        client = Client()
        response = send(client, alice, nxt)
        assert _goes_home(response), f"{view} {nxt!r} -> {response.status_code} {response.get('Location')}"
    response = send(Client(), alice, SAFE)
    assert response.status_code == 302 and response["Location"] == SAFE, view


def test_only_the_helper_reads_next_from_a_request():
    reads = re.compile(r"""(GET|POST|REQUEST)(\.get\(|\[)\s*["']next["']|redirect_field_name""")
    found = []
    for folder in ("certportal", "schemes", "applicants", "assessments", "complaints", "agencies", "quality"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name != "redirects.py" and reads.search(path.read_text(encoding="utf-8")):
                found.append(str(path.relative_to(ROOT)))
    assert found == []
