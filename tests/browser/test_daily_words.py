"""Issue 15 item 5 in Chromium, in Indonesian: the profile's position reads "Jabatan" (not "Urutan"), the
certificate's withdraw button reads "Cabut sertifikat" (not "Tarik permohonan") and asks first, and "Open" as a
button reads "Buka" (not "Terbuka")."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.certificates import services as certs
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    assess,
    decide,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
)
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_profile_asks_for_the_jabatan(live_server, page):
    user = UserFactory(full_name="Rina Marlina", email="rina@example.go.id", roles=[Role.APPLICANT])
    ui_login(page, user.email, PASSWORD)
    page.goto("/permohonan/saya/profil/")
    expect(page.locator("label[for=id_position]")).to_contain_text("Jabatan")
    expect(page.locator("main")).not_to_contain_text("Urutan")


def test_the_certificate_is_withdrawn_with_its_own_words_and_a_confirmation_and_open_reads_buka(live_server, page):
    lina = UserFactory(full_name="Lina Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    tono = UserFactory(full_name="Tono TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Asesor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    scheme = scheme_with_units(1)
    app = make_application(scheme, name="Rina Marlina")
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]), applications=[app])
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    participant = event.participants.get()
    assess(participant, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    run_steps(event, 7, admin=lina, tuk_head=tono)
    decide(participant, actor=lina, decision="K")  # in the event's pleno (the event is on a plan)
    services.participant_accept_obligations(participant, user=app.applicant)
    cert = certs.certificate_issue(participant, actor=lina, on=timezone.localdate())

    ui_login(page, lina.email, PASSWORD)
    page.goto(f"/asesmen/acara/{event.pk}/")
    expect(page.locator(f"a[href='/asesmen/peserta/{participant.pk}/']")).to_have_text("Buka")
    page.goto(f"/asesmen/sertifikat/{cert.pk}/")
    button = page.locator("#withdraw-certificate button")
    expect(button).to_have_text("Cabut sertifikat")
    page.fill("#withdraw-certificate textarea[name=reason], #withdraw-certificate input[name=reason]",
              "Data pemegang keliru")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    button.click()
    assert "halaman verifikasi publik" in asked[0]
    cert.refresh_from_db()
    assert cert.status == cert.Status.ISSUED  # dismissed: nothing happened
    page.once("dialog", lambda d: d.accept())
    button.click()
    expect(page.locator("main")).to_contain_text("Dicabut")
    cert.refresh_from_db()
    assert cert.status == cert.Status.WITHDRAWN
    ui_logout(page)
