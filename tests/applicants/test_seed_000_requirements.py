"""Issue 16, item 1: seed 000's requirements checked as written.

"1. Pegawai Negeri Sipil Pemprov DKI Jakarta" and "4. Minimal 4 tahun pengalaman bekerja di lingkungan Provinsi DKI
Jakarta": the profile records the employing government (reference list) and the years within it; the rules name the
government and count those years; each failure is explained. A NIP that makes the person younger than 18 at
appointment, or whose appointment year disagrees with the years of service entered, is questioned.
"""

import datetime

import pytest
from django.utils import timezone

from applicants.forms import ProfileForm
from applicants.nip import nip_problems, service_years_problems
from schemes import reference
from schemes.models import Scheme
from schemes.services import check_eligibility

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def prima():
    reference.load(None)
    return Scheme.objects.get(code="SS-02/LSP-BPSDM DKI/2017")


def _check(scheme, **overrides):
    data = {"employment_status": "pns", "education": "S1", "rank": "III/b", "years_of_service": 12,
            "employer_government": "31", "years_in_government": 4, **overrides}
    return check_eligibility(scheme, **data)


def test_a_pns_of_pemprov_dki_with_4_years_there_is_eligible(prima):
    assert [(r.kind, r.government) for r in prima.requirements.all()] == [
        ("employment", "31"), ("min_education", ""), ("min_rank", ""), ("min_years", "31")]
    assert _check(prima) == []


def test_a_pns_of_another_government_is_refused_and_told_why(prima):
    problems = _check(prima, employer_government="32", years_in_government=12)
    assert problems == [
        "This scheme is only open to civil servants of Pemerintah Provinsi DKI Jakarta; your profile names "
        "Pemerintah Provinsi Jawa Barat.",
        "This scheme asks for at least 4 years of work within Pemerintah Provinsi DKI Jakarta; your profile counts "
        "0 years there."]


def test_twelve_years_of_service_but_3_within_dki_is_not_enough(prima):
    assert _check(prima, years_in_government=3) == [
        "This scheme asks for at least 4 years of work within Pemerintah Provinsi DKI Jakarta; your profile counts "
        "3 years there."]


def test_the_profile_form_offers_the_reference_list_and_checks_the_years(prima):
    form = ProfileForm()
    choices = dict(form.fields["employer_government"].choices)
    assert choices["31"] == "Pemerintah Provinsi DKI Jakarta" and "pusat" in choices and len(choices) >= 40
    data = {"nip": "198503142010011001", "full_name": "Budi", "birth_place": "Jakarta", "birth_date": "1985-03-14",
            "gender": "1", "employment_status": "pns", "org_unit": "BKD", "position": "Analis", "rank": "III/c",
            "education": "S1", "years_of_service": str(timezone.localdate().year - 2010), "phone": "0812",
            "email": "budi@example.go.id", "employer_government": "31", "years_in_government": "40"}
    form = ProfileForm(data)
    assert not form.is_valid()
    assert "cannot exceed your years of service" in form.errors["years_in_government"][0]


def test_a_nip_appointing_a_16_year_old_is_questioned():
    # Born 14/03/1995, appointed 01/2011: 15 years old.
    problems = nip_problems("199503142011011001", today=datetime.date(2026, 11, 1))
    assert problems == ["The NIP says you were appointed in January 2011, when you were 15 years old; a civil servant is "
                        "appointed at 18 at the earliest. Is the NIP right?"]
    assert nip_problems("199503142013041001", today=datetime.date(2026, 11, 1)) == []  # 18 in 04/2013


def test_years_of_service_that_disagree_with_the_appointment_year_are_questioned():
    today = datetime.date(2026, 11, 1)
    nip = "198503142010011001"  # appointed 01/2010: 16 full years by November 2026
    assert service_years_problems(nip, 16, today=today) == []
    assert service_years_problems(nip, 15, today=today) == []  # a year's slack
    assert service_years_problems(nip, 4, today=today) == [
        "The NIP says you were appointed in January 2010, which gives 16 full years of service by now, but you entered 4. "
        "Please check the years of service (or the NIP)."]


def test_the_registration_form_is_generated_not_asked_as_an_upload(prima):
    """Seed 001 item 1, "9. Formulir pendaftaran": the FR.APL.01 the portal generates."""
    from schemes.models import RequiredDocument

    names = list(RequiredDocument.objects.filter(scheme=prima).values_list("name", flat=True))
    assert "Formulir pendaftaran" not in names
    assert "Surat Rekomendasi dari Sekretaris Daerah" in names  # number 11 is still asked


def test_the_documents_step_says_the_fr_apl_01_is_generated(login, alice, prima):
    from django.urls import reverse

    from applicants import services
    from tests.applicants.factories import ProfileFactory

    ProfileFactory(user=alice)
    app = services.application_start(user=alice, scheme=prima)
    assert not app.documents.filter(requirement__name="Formulir pendaftaran").exists()
    page = login(alice).get(reverse("applicants:step-documents", args=[app.pk])).content.decode()
    assert 'id="apl01-note"' in page and reverse("applicants:apl01", args=[app.pk]) in page
