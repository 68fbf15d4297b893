"""The public verification form takes what a person has in hand: the code beside the QR code (any case, spaces and
dashes), or the printed number with the holder's name or NIP; a number alone shows nothing, misses are limited per
address, and nothing typed answers 500."""

import pytest
from django.urls import reverse

from assessments.certificates.models import VerificationLookup
from tests import module_world

from .factories import EVENT_WORLD, alice_certified

pytestmark = pytest.mark.django_db
VERIFY = "/asesmen/verifikasi/"


globals().update(module_world.shared(alice_certified, *EVENT_WORLD, "cert", language="en"))  # once a module


def page(response) -> str:
    return response.content.decode()


def test_the_printed_number_alone_answers_with_where_the_code_is_and_shows_nothing(client, cert):
    assert "/" in cert.number
    for send in (client.get, client.post):
        response = send(VERIFY, {"kode": cert.number})
        assert response.status_code == 200
        text = page(response)
        assert "nomor sertifikat" in text and "nama atau NIP pemegang" in text and "samping kode QR" in text
        assert cert.holder_name not in text
    assert not VerificationLookup.objects.exists()


def test_the_number_with_the_right_name_or_nip_finds_the_certificate(client, cert):
    assert reverse("assessments:verify") == VERIFY
    for name in (cert.holder_name, "alice applicant", "  ALICE   APPLICANT ", cert.holder_nip,
                 f"{cert.holder_nip[:8]} {cert.holder_nip[8:14]} {cert.holder_nip[14]} {cert.holder_nip[15:]}"):
        response = client.post(VERIFY, {"kode": f" {cert.number.lower()} ", "nama": name})
        assert response.status_code == 200, name
        text = page(response)
        assert 'data-status="valid"' in text and cert.holder_name in text and cert.number in text
        assert cert.verification_code not in text
        assert name.isdigit() or cert.holder_nip not in text  # the NIP is shown only back to who typed it
    assert VerificationLookup.objects.filter(certificate=cert, via="number").count() == 5


def test_the_number_with_a_wrong_name_shows_nothing_and_repeated_misses_are_limited(client, cert, settings):
    settings.ASSESSMENT_VERIFY_NUMBER_MISSES_PER_HOUR = 3
    answers = []
    for name in ("Bob Applicant", "Alice", "199001012020121001"):
        response = client.post(VERIFY, {"kode": cert.number, "nama": name})
        answers.append(response.status_code)
        assert cert.holder_name not in page(response) and 'id="verify-holder"' not in page(response)
        assert "Tidak ada sertifikat dengan nomor ini dengan nama atau NIP ini" in page(response)
    assert answers == [404, 404, 404]
    # the misses are spent: even the right name waits now, and the page says why
    response = client.post(VERIFY, {"kode": cert.number, "nama": cert.holder_name})
    assert response.status_code == 429 and 'id="verify-holder"' not in page(response)
    assert "Terlalu banyak nomor sertifikat yang tidak cocok" in page(response)
    # another address is not held back
    other = client.post(VERIFY, {"kode": cert.number, "nama": cert.holder_name}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200 and cert.holder_name in page(other)


def test_the_code_with_spaces_dashes_and_lower_case_leads_to_the_certificate(client, cert):
    code = cert.verification_code
    for typed in (code.lower(), f"{code[:4]} {code[4:8]} {code[8:12]} {code[12:]}", f"{code[:8]}-{code[8:]}",
                  f" {code[:4]}\u2013{code[4:]} "):
        response = client.post(VERIFY, {"kode": typed}, follow=True)
        assert response.status_code == 200, typed
        assert cert.holder_name in page(response) and 'data-status="valid"' in page(response)


def test_what_is_neither_a_code_nor_a_number_is_a_form_error(client, cert):
    for typed in ("KODE?", "ÄBCD", "<script>", "%2F"):
        response = client.post(VERIFY, {"kode": typed})
        assert response.status_code == 200, typed
        assert "Kode verifikasi hanya berisi huruf dan angka" in page(response)
