"""Issue 15 item 8: agencies (perangkat daerah) come from a master list the LSP admin keeps; the recap counts
one agency once."""

import pytest
from django.utils import timezone

from applicants.models import Agency, ApplicantProfile
from certportal.audit.models import AuditEntry

from .factories import ProfileFactory
from .helpers import submitted_application

pytestmark = pytest.mark.django_db

PROFILE = {"nip": "198503142010012001", "full_name": "Alice Applicant", "birth_place": "Jakarta",
           "birth_date": "1985-03-14", "gender": "2", "employment_status": "pns", "position": "Analis",
           "rank": "III/c", "education": "S1", "phone": "0812", "email": "a@example.go.id",
           "employer_government": "31"}


def profile(**changes) -> dict:
    """The profile form's answers, the years of service counted on the day the test runs from the NIP's appointment
    (January 2010): a fixed figure would be refused from 2028 (a year's slack, applicants/nip.py)."""
    years = str(timezone.localdate().year - 2010)
    return {**PROFILE, "years_of_service": years, "years_in_government": years, **changes}


def test_the_lsp_admin_keeps_the_list_and_a_duplicate_is_refused(lina, login):
    client = login(lina)
    assert "“Dinas Kesehatan” is saved." in client.post("/permohonan/perangkat-daerah/", {"name": " Dinas  Kesehatan "},
                                                        follow=True).content.decode()
    page = client.post("/permohonan/perangkat-daerah/", {"name": "dinas kesehatan"}).content.decode()
    assert "“Dinas Kesehatan” is already on the list." in page
    assert 'value="dinas kesehatan"' in page  # shown on the form, with what was typed
    assert list(Agency.objects.values_list("name", flat=True)) == ["Dinas Kesehatan"]
    assert AuditEntry.objects.filter(action="applicants.agency.saved", actor=lina).count() == 1


def test_the_lsp_admin_gives_an_agency_its_address_and_taking_it_off_the_list_keeps_it(lina, login):
    """Issue 43 item 11: the address printed on the letterhead of the agency's letters."""
    client = login(lina)
    client.post("/permohonan/perangkat-daerah/", {"name": "Dinas Kesehatan", "address": "Jalan Kesehatan  Nomor 10"})
    agency = Agency.objects.get()
    assert agency.address == "Jalan Kesehatan Nomor 10"
    page = client.get("/permohonan/perangkat-daerah/").content.decode()
    assert f'id="address-{agency.pk}" name="address" maxlength="300" value="Jalan Kesehatan Nomor 10"' in page
    client.post("/permohonan/perangkat-daerah/", {"pk": agency.pk, "name": agency.name, "is_active": "1",
                                                  "address": "Jalan Kesehatan Nomor 10, Jakarta Pusat 10160"})
    client.post("/permohonan/perangkat-daerah/", {"pk": agency.pk, "name": agency.name, "is_active": "0"})
    agency.refresh_from_db()
    assert agency.address == "Jalan Kesehatan Nomor 10, Jakarta Pusat 10160" and not agency.is_active


@pytest.mark.parametrize("who", ["alice", "victor", "sofia"])
def test_only_the_lsp_admin_maintains_the_list(request, who, login):
    user = request.getfixturevalue(who)
    assert login(user).post("/permohonan/perangkat-daerah/", {"name": "Dinas Sosial"}).status_code == 403
    assert not Agency.objects.exists()


def test_the_profile_takes_an_agency_from_the_list_only(alice, login):
    for name in ("Dinas Kesehatan", "Dinas Pendidikan"):
        Agency.objects.create(name=name)
    client = login(alice)
    page = client.get("/permohonan/saya/profil/").content.decode()
    assert '<option value="Dinas Kesehatan">' in page
    response = client.post("/permohonan/saya/profil/", profile(org_unit="Dinkes DKI"))
    assert response.status_code == 200 and not ApplicantProfile.objects.exists()
    client.post("/permohonan/saya/profil/", profile(org_unit="Dinas Kesehatan"))
    assert ApplicantProfile.objects.get(user=alice).org_unit == "Dinas Kesehatan"


def test_the_recap_groups_by_the_listed_name(victor, login, scheme):
    Agency.objects.create(name="Dinas Kesehatan")
    for _n in range(2):
        submitted_application(ProfileFactory(org_unit="Dinas Kesehatan"), scheme)
    rows = login(victor).get("/permohonan/rekap-unit/?format=csv").getvalue().decode("utf-8-sig").splitlines()
    assert [r for r in rows if r.startswith("Dinas Kesehatan")] == [rows[1]] and rows[1].split(",")[1] == "2"
