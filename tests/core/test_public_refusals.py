"""What a public form's refusal reveals (issue 42): a visitor learns nothing about a person or a record they do not
already hold. Each kind of public refusal answers alike whether or not the person or record exists; the agency
forms are held to the same in tests/agencies/test_roster_rule.py, registration in
tests/core/test_accounts.py::test_registration_answers_alike_for_a_new_and_a_taken_address."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from assessments.certificates.models import Certificate
from tests.complaints.factories import file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _text(response) -> str:
    """The page's words without its per-request tokens (CSRF, nonce), what a visitor compares."""
    html = response.content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', r'\1=""', html)


def test_password_reset_answers_alike_for_a_known_and_an_unknown_address(client, alice):
    known = client.post(reverse("accounts:password-reset"), {"email": alice.email}, follow=True)
    unknown = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.go.id"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain and known.redirect_chain
    assert _text(known) == _text(unknown)
    assert [m.to for m in mail.outbox] == [[alice.email]]  # only the owner of the address learns of it


def test_a_failed_log_in_says_the_same_for_an_unknown_address_and_a_wrong_password(client, alice):
    url = reverse("accounts:login")
    wrong = client.post(url, {"username": alice.email, "password": "Salah-Sandi-2026!"})
    unknown = client.post(url, {"username": "nobody@example.go.id", "password": "Salah-Sandi-2026!"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert wrong.context["form"].non_field_errors()


def test_the_complaint_look_up_says_the_same_for_a_wrong_contact_and_a_number_never_given(client):
    complaint = file_complaint()
    url = reverse("complaints:track-lookup")
    wrong_contact = client.post(url, {"tracking_number": complaint.tracking_number, "contact": "x@example.go.id"})
    never_given = client.post(url, {"tracking_number": "ADU-2099-99999", "contact": "x@example.go.id"})
    assert wrong_contact.context["form"].non_field_errors() == never_given.context["form"].non_field_errors()
    assert complaint.secret not in wrong_contact.content.decode()


def test_a_certificate_not_found_says_the_same_for_a_malformed_code_and_one_never_issued(client):
    """The public verification by code, as a page and as JSON: a malformed code and a well-formed one never issued
    get one answer (the page repeats what was searched, nothing else differs)."""
    codes = ("zz", "ABCD2345EFGH6789")
    pages = [client.get(reverse("assessments:verify-code", args=[code])) for code in codes]
    assert [page.status_code for page in pages] == [404, 404]
    assert _text(pages[0]).replace(codes[0], "CODE") == _text(pages[1]).replace(codes[1], "CODE")
    answers = [client.get(reverse("assessments:verify-json", args=[code])) for code in codes]
    assert [(a.status_code, a.json()) for a in answers] == [(404, {"found": False})] * 2


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_printed_number_with_a_wrong_name_says_the_same_as_a_number_never_issued(client, language):
    """The verification form by printed number: an issued number with a name that is not its holder's gets the page
    a number never issued gets (status, message, not a word of the certificate), so the form cannot tell whether a
    number exists nor confirm a guess of whose it is."""
    cert = Certificate.objects.create(
        source="imported", number="0417/LSP-P1/X/2021", year=2021, sequence=417,
        verification_code="HJKM2345NPQR6789", issued_on=datetime.date(2021, 10, 4),
        expires_on=datetime.date(2099, 10, 3), holder_name="Rahmat Hidayat, S.Kom.", holder_nip="198703152010011004",
        holder_unit="Dinas Kesehatan", scheme_code="SKM-IT-01", scheme_name="Pengelola Data Sederhana")
    never_issued = "0418/LSP-P1/X/2021"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("assessments:verify")
    numbers = (cert.number, never_issued)
    answers = [client.post(url, {"kode": number, "nama": "Siti Aminah"}, HTTP_ACCEPT_LANGUAGE=language)
               for number in numbers]
    assert [answer.status_code for answer in answers] == [404, 404]
    pages = [_text(answer).replace(number, "NUMBER") for answer, number in zip(answers, numbers, strict=True)]
    assert pages[0] == pages[1]
    missed = {"id": "Tidak ada sertifikat dengan nomor ini", "en": "No certificate has this number"}[language]
    assert missed in pages[0] and f'lang="{language}"' in pages[0]
    for private in (cert.holder_name, "Rahmat", cert.holder_nip, cert.holder_unit, cert.scheme_code, cert.scheme_name,
                    cert.verification_code, "2099", 'id="verify-holder"'):
        assert private not in pages[0], private
