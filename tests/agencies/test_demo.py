"""Issue 29 item 6: the demo has two agencies with their officers and heads, the Sekretaris Daerah, an open round with
places per agency and proposed cohorts: Dinas Kesehatan's with its four letters signed, Dinas Pendidikan's waiting for
the Sekretaris Daerah's recommendation; each of those demo accounts logs in with the documented password and lands on
its home page."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Cohort, FundedRound, LetterStatus, RoundStatus
from agencies.selectors import agency_of, quota_table
from certportal.accounts.models import Role, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-Portal-2026"  # noqa: S105 (the demo accounts' documented password)
ACCOUNTS = {  # e-mail -> (role, agency)
    "pengelola.dinkes@demo.go.id": (Role.AGENCY_OFFICER, "Dinas Kesehatan"),
    "kepala.dinkes@demo.go.id": (Role.AGENCY_HEAD, "Dinas Kesehatan"),
    "pengelola.disdik@demo.go.id": (Role.AGENCY_OFFICER, "Dinas Pendidikan"),
    "kepala.disdik@demo.go.id": (Role.AGENCY_HEAD, "Dinas Pendidikan"),
    "sekda@demo.go.id": (Role.REGIONAL_SECRETARY, None),
}


def _signed(cohort) -> set[str]:
    return set(cohort.letters.filter(status=LetterStatus.SIGNED).values_list("kind", flat=True))


def test_the_demo_holds_the_agencies_the_round_and_the_cohorts(demo_data):
    for email, (role, agency) in ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert user.has_role(role) and getattr(agency_of(user), "name", None) == agency, email
    funded_round = FundedRound.objects.get(status=RoundStatus.OPEN)
    assert funded_round.opens_on <= timezone.localdate() <= funded_round.closes_on
    assert {row["agency"].name: row["places"] for row in quota_table(funded_round)} == {
        "Dinas Kesehatan": 30, "Dinas Pendidikan": 20, "Dinas Perhubungan": 10}
    cohorts = {c.agency.name: c for c in Cohort.objects.filter(round=funded_round)}
    assert set(cohorts) == {"Dinas Kesehatan", "Dinas Pendidikan"}
    assert cohorts["Dinas Kesehatan"].proposals.filter(status="invited").count() == 3
    assert cohorts["Dinas Pendidikan"].proposals.filter(status="invited").count() == 2
    assert _signed(cohorts["Dinas Kesehatan"]) == {"proposal", "head_recommendation", "authenticity",
                                                   "secretary_recommendation"}
    assert _signed(cohorts["Dinas Pendidikan"]) == {"proposal", "head_recommendation", "authenticity"}

    # The Sekretaris Daerah is asked for the missing recommendation: the signing form is on the cohort's page.
    sekda = client_for(User.objects.get(email="sekda@demo.go.id"))
    with translation.override("id"):
        home = sekda.get(reverse("agencies:home")).content.decode()
        page = sekda.get(cohorts["Dinas Pendidikan"].get_absolute_url()).content.decode()
    waiting = re.search(r'data-work="letters-to-sign".*?data-count>(\d+)<.*?small">([^<]+)<', home, re.S)
    assert waiting.groups() == ("1", "Angkatan yang menunggu tanda tangan Anda")
    sign = reverse("agencies:letter-sign", args=[cohorts["Dinas Pendidikan"].pk, "secretary_recommendation"])
    assert f'action="{sign}"' in page
    done = reverse("agencies:letter-sign", args=[cohorts["Dinas Kesehatan"].pk, "secretary_recommendation"])
    assert f'action="{done}"' not in sekda.get(cohorts["Dinas Kesehatan"].get_absolute_url()).content.decode()


def test_each_demo_account_of_the_agencies_logs_in_and_sees_its_home_page(demo_data):
    for email, (_role, agency) in ACCOUNTS.items():
        response = Client().post(reverse("accounts:login"), {"username": email, "password": PASSWORD}, follow=True)
        assert response.status_code == 200, email
        assert response.redirect_chain[-1][0] == reverse("agencies:home"), email
        text = response.content.decode()
        assert 'data-testid="cohorts"' in text, email
        if agency is not None:
            assert f'data-testid="agency-name">{agency}<' in text, email
