"""The NIK on the applicant profile: its structure (region, birth date with 40 added for women, serial), agreeing
with the birth date and gender entered, each failure explained; masked outside the holder's own pages; in the
personal-data download."""

import datetime

import pytest
from django.urls import reverse

from applicants.models import ApplicantProfile
from applicants.nik import PROVINCES, make_nik, mask_nik, nik_problems

BORN = datetime.date(1985, 3, 14)
MAN = "3171041403850001"  # DKI Jakarta (31), Jakarta Selatan (71), district 04, 14-03-85, serial 0001
WOMAN = "3171045403850002"  # the day 14 + 40 = 54


def test_a_man_whose_nik_matches_his_birth_date_is_valid():
    assert nik_problems(MAN, birth_date=BORN, gender="1") == []


def test_a_woman_has_forty_added_to_the_day_and_is_valid():
    assert nik_problems(WOMAN, birth_date=BORN, gender="2") == []
    assert make_nik(BORN, "2", serial=2) == WOMAN


def test_a_nik_has_sixteen_digits():
    assert "16 digits" in nik_problems("317104140385000")[0]
    assert "not all of them digits" in nik_problems("31710414038500A1")[0]


def test_an_unknown_province_is_explained():
    problems = nik_problems("9971041403850001", birth_date=BORN, gender="1")
    assert problems == ["The NIK starts with the province code 99, which is no province of Indonesia (Aceh is 11, "
                        "DKI Jakarta 31, Papua 91)."]
    assert "10" not in PROVINCES and "11" in PROVINCES and "94" in PROVINCES


def test_a_regency_or_district_of_00_is_explained():
    assert any("regency or city" in p for p in nik_problems("3100041403850001"))
    assert any("district (kecamatan)" in p for p in nik_problems("3171001403850001"))


def test_an_impossible_birth_date_is_explained():
    assert any("7–12" in p and "not a real date" in p for p in nik_problems("3171043213850001"))
    assert any("7–12" in p for p in nik_problems("3171047203850001"))  # a woman's day 72 = 32


def test_a_birth_date_that_disagrees_with_the_profile_is_explained():
    problems = nik_problems(MAN, birth_date=datetime.date(1985, 3, 15), gender="1")
    assert problems == ["The NIK encodes the birth date 14/03/85, but you entered 15 March 1985."]


def test_a_gender_that_disagrees_with_the_profile_is_explained_both_ways():
    assert nik_problems(WOMAN, birth_date=BORN, gender="1") == [
        "The day in the NIK (54) has 40 added, which marks a woman, but you chose “male”."]
    assert nik_problems(MAN, birth_date=BORN, gender="2") == [
        "The day in the NIK (14) has no 40 added, which marks a man, but you chose “female” (a woman's day is "
        "41–71)."]


def test_the_serial_number_is_not_0000():
    assert nik_problems("3171041403850000") == ["The last four digits of the NIK (the serial number) cannot be 0000."]


def test_a_nik_is_masked_in_lists():
    assert mask_nik("3171041403850001") == "3171********0001"
    assert mask_nik(None) == ""


@pytest.mark.django_db
def test_the_profile_form_explains_a_wrong_nik_in_indonesian(alice, alice_profile, login):
    client = login(alice, "id")
    data = _profile_post(alice_profile, nik="3171041403850001")  # a man's NIK; Alice is a woman
    response = client.post(reverse("applicants:profile"), data)
    assert response.status_code == 200
    assert ("tidak ditambah 40, tanda laki-laki, tetapi Anda memilih “perempuan”"
            in response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”"))
    assert ApplicantProfile.objects.get(pk=alice_profile.pk).nik is None


@pytest.mark.django_db
def test_the_applicant_saves_a_valid_nik_and_finds_it_in_their_personal_data(alice, alice_profile, login):
    client = login(alice)
    nik = make_nik(alice_profile.birth_date, "2")
    response = client.post(reverse("applicants:profile"), _profile_post(alice_profile, nik=nik[:4] + " " + nik[4:]))
    assert response.status_code == 302, response.context["form"].errors
    assert ApplicantProfile.objects.get(pk=alice_profile.pk).nik == nik
    from applicants.personal_data import collect

    profile_section = next(s for s in collect(alice) if s.key == "profile")
    assert profile_section.records[0]["nik"] == nik


@pytest.mark.django_db
def test_two_profiles_cannot_share_a_nik(alice, alice_profile, bob_profile, login):
    nik = make_nik(alice_profile.birth_date, "2")
    ApplicantProfile.objects.filter(pk=bob_profile.pk).update(nik=nik)  # say Bob typed Alice's NIK first
    response = login(alice).post(reverse("applicants:profile"), _profile_post(alice_profile, nik=nik))
    assert response.status_code == 200 and "NIK already exists" in response.content.decode()
    assert ApplicantProfile.objects.get(pk=alice_profile.pk).nik is None


def _profile_post(profile, **changes) -> dict:
    data = {f: getattr(profile, f) for f in (
        "nip", "full_name", "birth_place", "gender", "employment_status", "org_unit", "position", "rank",
        "education", "years_of_service", "employer_government", "years_in_government", "phone", "email")}
    data["birth_date"] = profile.birth_date.isoformat()
    data["years_of_service"] = data["years_in_government"] = 16  # the fixtures' NIPs say appointed 01/2010
    return {**{k: "" if v is None else v for k, v in data.items()}, **changes}
