"""A result corrected after the certificate (issue 13, "corrections keep everything consistent"), in the browser.

The LSP admin corrects a unit of a certified participant to BK on the participant page: the certificate is
suspended at once with the correction named as its reason, the public verification page says suspended (until
further notice), the admin's work queue lists it, and the certificate page refuses to lift the suspension while
the new decision is pending, saying why, in Indonesian and in English. After the BK decision the page says to
withdraw it and offers the withdrawal.
"""

import pytest
from django.urls import reverse

from assessments.certificates import services as certs
from assessments.certificates.models import Certificate
from assessments.events.models import Participant
from tests.assessments.conftest import alice_app, assessor, scheme, site  # noqa: F401
from tests.assessments.factories import decide_event, planned_event
from tests.browser.conftest import ui_login
from tests.browser.pleno import decide_in_pleno
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REINSTATE = '[data-refused="assessments.certificate.reinstated"]'
REINSTATE_FORM = 'form[data-action="assessments.certificate.reinstated"]'
WITHDRAW_FORM = 'form[data-action="assessments.certificate.withdrawn"]'


@pytest.fixture
def certified(lina, tono, asa, scheme, site, assessor, alice_app):  # noqa: F811
    """Alice decided competent (K) on every unit, obligations accepted, her certificate issued."""
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app])
    event = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    participant = Participant.objects.get(event=event)
    return participant, certs.certificate_issue(participant, actor=lina)


def _switch_to_english(page) -> None:
    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()


def test_a_result_corrected_after_the_certificate_suspends_it_until_the_new_decision(page, certified, lina):
    participant, cert = certified
    unit = participant.results.order_by("unit__code").first().unit
    ui_login(page, lina.email, PASSWORD)

    page.goto(f"/asesmen/peserta/{participant.pk}/")
    page.locator(f".unit-row[data-unit='{unit.code}'] a.correct-result").click()
    page.check("input[name=result][value=BK]")
    page.fill("textarea[name=evidence]", "Portofolio diperiksa ulang")
    page.fill("textarea[name=explanation]", "Bukti unit ini ternyata milik rekan kerja")
    page.fill("textarea[name=reason]", "Bukti ternyata bukan karya asesi")
    with page.expect_navigation():
        page.locator("main form button").last.click()
    alert = page.locator("#certificate-to-correct").inner_text()
    assert cert.number in alert and "dibekukan sampai keputusan baru" in alert

    # the work queue on the home page, and its list
    page.goto("/beranda/")
    tile = page.locator("#work-queue [data-work=certificates-corrected]")
    assert tile.locator("[data-count]").inner_text() == "1"
    assert "Sertifikat dibekukan setelah koreksi" in tile.inner_text()
    with page.expect_navigation():
        tile.click()
    assert page.locator("#corrected-filter").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name=cert.number).click()

    # the certificate page: suspended, the correction as the reason, lifting refused with why (Indonesian)
    assert page.locator("#cert-state").inner_text() == "Dibekukan"
    reason = page.locator("#cert-status-reason").inner_text()
    assert "koreksi hasil uji" in reason and "Bukti ternyata bukan karya asesi" in reason
    assert "sampai pembekuan dicabut" in reason
    assert page.locator(REINSTATE_FORM).count() == 0
    assert "keputusan sertifikasi yang baru belum diambil" in page.locator(REINSTATE).inner_text()
    assert "sampai ada keputusan kompeten (K) yang baru" in page.locator("#cert-corrected").inner_text()
    cert_url = page.url

    # the public verification page, for anyone
    page.goto(reverse("assessments:verify-code", kwargs={"code": cert.verification_code}))
    assert page.locator("#verify-status").get_attribute("data-status") == "suspended"
    assert page.locator("#verify-suspended-until").inner_text() == "pemberitahuan lebih lanjut"

    # the same in English
    page.goto(cert_url)
    _switch_to_english(page)
    assert page.locator("#cert-state").inner_text() == "Suspended"
    assert "until it is lifted" in page.locator("#cert-status-reason").inner_text()
    assert page.locator(REINSTATE_FORM).count() == 0
    assert "the new certification decision is pending" in page.locator(REINSTATE).inner_text()

    # the BK decision: the page says to withdraw it, and offers the withdrawal
    decide_in_pleno(page, participant, "BK", admin=lina)  # an event on a plan is decided in its pleno
    page.goto(cert_url)
    assert "decided not yet competent (BK)" in page.locator(REINSTATE).inner_text()
    assert page.locator(REINSTATE_FORM).count() == 0
    form = page.locator(WITHDRAW_FORM)
    form.locator("textarea[name=reason]").fill("Keputusan BK setelah koreksi hasil uji")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        form.locator("button").click()
    assert page.locator("#cert-state").inner_text() == "Withdrawn"
    assert Certificate.objects.get(pk=cert.pk).status == Certificate.Status.WITHDRAWN
