"""On a 390 px phone, in both languages and by keyboard only: the public verification form answers the printed
number alone with what else it needs and where the code is, finds the certificate with the number and the
holder's name, and takes the code typed in lower case with dashes; the input guard's page for a NUL in the
address is in the reader's language."""

import pytest

from assessments.certificates.models import Certificate
from tests.assessments.factories import SiteFactory, scheme_with_units
from tests.assessments.test_lists import _certificates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAYS = {
    "id": {"alone": "nomor saja tidak menampilkan sertifikat", "refused": "karakter kendali"},
    "en": {"alone": "a number alone does not show a certificate", "refused": "control character"},
}


def _enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_verification_form_on_a_phone_by_keyboard(live_server, phone_page, language, tmp_path):
    _certificates(1, scheme_with_units(1), SiteFactory())
    cert = Certificate.objects.get()
    page = phone_page
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/asesmen/verifikasi/")
    page.locator("#id_kode").focus()
    page.keyboard.type(cert.number)
    _enter(page)
    assert SAYS[language]["alone"] in page.locator("main form").inner_text()
    assert page.locator("#verify-holder").count() == 0
    _no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / f"verify-number-alone-{language}.png"), full_page=True)

    page.locator("#id_nama").focus()
    page.keyboard.type(cert.holder_name.upper())
    _enter(page)
    assert page.locator("#verify-holder").inner_text() == cert.holder_name
    _no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / f"verify-number-name-{language}.png"), full_page=True)

    code = cert.verification_code.lower()
    page.goto("/asesmen/verifikasi/")
    page.locator("#id_kode").focus()
    page.keyboard.type(f"{code[:4]}-{code[4:8]} {code[8:]}")
    _enter(page)
    assert page.locator("#verify-holder").inner_text() == cert.holder_name

    page.goto("/pengaduan/lacak/%00/")
    assert SAYS[language]["refused"] in page.locator("#input-refused").inner_text()
    assert page.locator("html").get_attribute("lang") == language
    _no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / f"input-refused-{language}.png"), full_page=True)
