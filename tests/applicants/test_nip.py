import datetime

from django.utils import translation

from applicants.nip import nip_problems


def test_a_well_formed_nip_that_matches_the_birth_date_and_gender_is_valid():
    assert nip_problems("198503142010011003", birth_date=datetime.date(1985, 3, 14), gender="1") == []


def test_a_nip_must_have_eighteen_digits():
    assert "18" in nip_problems("19850314201001100")[0]
    assert "18" in nip_problems("19850314201001100X")[0]


def test_an_impossible_birth_date_is_explained():
    problems = nip_problems("198502302010011003")
    assert any("1–8" in p and "19850230" in p for p in problems)


def test_an_impossible_appointment_month_is_explained():
    assert any("9–14" in p for p in nip_problems("198503142010131003"))


def test_the_gender_digit_is_one_or_two_and_must_match():
    assert any("15" in p for p in nip_problems("198503142010013003"))
    assert any("gender" in p for p in nip_problems("198503142010011003", gender="2"))


def test_the_birth_date_entered_must_match_the_nip():
    with translation.override("id"):  # the dates as a person reads them (issue 15): "14 Maret 1985"
        problems = nip_problems("198503142010011003", birth_date=datetime.date(1985, 3, 15))
    assert any("14 Maret 1985" in p and "15 Maret 1985" in p for p in problems)


def test_an_appointment_before_birth_is_refused():
    assert any("after the birth date" in p for p in nip_problems("198503141980011003"))
