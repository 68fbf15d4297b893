"""Issue 48: the roster is the source of truth for the person too. A registration whose NIP the roster lists under
the person's name is pre-filled from it and the person confirms it; a NIP typed by someone else pre-fills nothing
and says nothing of its holder; the verifier sees where a dossier's profile disagrees with the roster."""

import datetime

import pytest
from django.utils import timezone

from agencies.models import RosterEntry, RosterStatus
from applicants.models import Agency, ApplicantProfile
from tests.applicants.factories import ProfileFactory, make_nip, scheme_with_parts
from tests.applicants.helpers import submitted_application

pytestmark = pytest.mark.django_db

PROFILE = "/permohonan/saya/profil/"
NIP = make_nip(birth=datetime.date(1985, 3, 14), gender="2", serial=481)


@pytest.fixture
def on_roster(dinkes):
    return RosterEntry.objects.create(nip=NIP, name="Alice Applicant", back_title="S.Sos.", agency=dinkes,
                                      position="Analis Kebijakan Ahli Muda", rank="III/d", education="S2")


def _form(nip: str, **extra) -> dict:
    """The profile form; the years of service from the NIP's appointment (January 2010) to the day the test runs."""
    return {"nip": nip, "full_name": "Alice Applicant, S.Sos.", "birth_place": "Jakarta", "birth_date": "1985-03-14",
            "gender": "2", "employment_status": "pns", "org_unit": "Dinas Kesehatan",
            "position": "Analis Kebijakan Ahli Muda", "rank": "III/d", "education": "S2",
            "years_of_service": str(timezone.localdate().year - 2010),
            "email": "alice@example.go.id", **extra}


def test_a_registration_found_on_the_roster_is_pre_filled_and_confirmed(on_roster, alice, login, on_23_november):
    client = login(alice)
    page = client.get(PROFILE, {"nip": NIP}).content.decode()
    assert 'id="roster-found"' in page and "Analis Kebijakan Ahli Muda" in page
    assert 'value="Alice Applicant, S.Sos."' in page and 'name="roster_confirmed"' in page
    refused = client.post(PROFILE, _form(NIP))
    assert refused.status_code == 200 and not ApplicantProfile.objects.filter(user=alice).exists()
    saved = client.post(PROFILE, _form(NIP, roster_confirmed="on"))
    assert saved.status_code == 302, saved.context["form"].errors
    assert ApplicantProfile.objects.get(user=alice).org_unit == "Dinas Kesehatan"


def test_someone_elses_nip_pre_fills_nothing(on_roster, bob, login):
    page = login(bob).get(PROFILE, {"nip": NIP}).content.decode()
    assert 'id="roster-none"' in page and "Analis Kebijakan" not in page and "III/d" not in page.split("<form")[2]
    assert 'name="roster_confirmed"' not in page


def test_the_verifier_sees_where_the_profile_disagrees_with_the_roster(on_roster, alice, victor, login):
    profile = ProfileFactory(user=alice, nip=NIP, full_name="Alice Applicant, S.Sos.", gender="2",
                             org_unit="Dinas Pendidikan", position="Analis Kebijakan Ahli Muda", rank="IV/a",
                             education="S2")
    app = submitted_application(profile, scheme_with_parts())
    page = login(victor).get(f"/permohonan/verifikasi/{app.pk}/").content.decode()
    mismatch = page.split('id="roster-mismatch"', 1)[1].split("</div>", 1)[0]
    assert "Dinas Pendidikan" in mismatch and "Dinas Kesehatan" in mismatch
    assert "IV/a" in mismatch and "III/d" in mismatch
    assert "Analis Kebijakan" not in mismatch and "Name" not in mismatch  # what agrees is not listed
    disdik = Agency.objects.get_or_create(name="Dinas Pendidikan")[0]
    RosterEntry.objects.filter(pk=on_roster.pk).update(agency=disdik, rank="IV/a")
    page = login(victor).get(f"/permohonan/verifikasi/{app.pk}/").content.decode()
    assert 'id="roster-agrees"' in page and 'id="roster-mismatch"' not in page


def test_a_nip_the_roster_lacks_is_said_so(alice, victor, login):
    profile = ProfileFactory(user=alice, nip=make_nip(serial=482))
    app = submitted_application(profile, scheme_with_parts())
    page = login(victor).get(f"/permohonan/verifikasi/{app.pk}/").content.decode()
    assert 'id="roster-unknown"' in page


def test_the_verifier_sees_that_the_roster_says_someone_retired(on_roster, alice, victor, login):
    profile = ProfileFactory(user=alice, nip=NIP, full_name="Alice Applicant", gender="2", org_unit="Dinas Kesehatan",
                             position="Analis Kebijakan Ahli Muda", rank="III/d", education="S2")
    app = submitted_application(profile, scheme_with_parts())
    RosterEntry.objects.filter(pk=on_roster.pk).update(status=RosterStatus.RETIRED)
    mismatch = login(victor).get(f"/permohonan/verifikasi/{app.pk}/").content.decode().split(
        'id="roster-mismatch"', 1)[1].split("</div>", 1)[0]
    assert "Status on the roster" in mismatch and "Retired" in mismatch
