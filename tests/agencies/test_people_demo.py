"""The demo shows the agency's view of its people (issue 29 item 5): Dinas Kesehatan's head sees certificates in
each state the demo events produced and the competence map with a scheme missing; Dinas Pendidikan's head sees
their own participant and none of Dinas Kesehatan's people; loading twice changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import translation

from agencies.models import PositionNeed
from applicants.models import ApplicantProfile
from certportal.accounts.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_demo_agencies_see_their_people_in_each_state(demo_data):
    head = client_for(User.objects.get(email="kepala.dinkes@demo.go.id"))
    with translation.override("id"):
        for group, name in (("valid", "Andi Saputra"), ("suspended", "Maya Anggraini"), ("expired", "Yusuf Hidayat"),
                            ("withdrawn", "Dewi Kartika Sary")):
            page = head.get("/perangkat-daerah/pegawai/sertifikat/", {"group": group}).content.decode()
            table = page.split('data-testid="people-certificates"', 1)[1].split("</table>", 1)[0]
            assert name in table, group
        page = head.get("/perangkat-daerah/pegawai/peta-kompetensi/").content.decode()
        analysts = page.split('data-position="Analis Pelayanan Kesehatan"', 1)[1].split("</section>", 1)[0]
        assert "Belum dimiliki: Maya Anggraini" in analysts and "Andi Saputra" in analysts
    other = client_for(User.objects.get(email="kepala.disdik@demo.go.id")).get("/perangkat-daerah/pegawai/")
    assert "Nina Marlina" in other.content.decode() and "Andi Saputra" not in other.content.decode()
    counts = (PositionNeed.objects.count(), ApplicantProfile.objects.filter(org_unit="Dinas Kesehatan").count())
    call_command("load_demo", verbosity=0)
    assert (PositionNeed.objects.count(),
            ApplicantProfile.objects.filter(org_unit="Dinas Kesehatan").count()) == counts and counts[0] == 3
