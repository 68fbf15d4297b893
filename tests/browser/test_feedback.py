"""Acceptance (issue 19 item 3), in Indonesian on a 390 px phone: after the test, once her results are recorded,
the participant gives her feedback on the assessment (FR.AK.03) and reads it back; her assessor then reads it on
the participant page."""

import pytest
from playwright.sync_api import expect

from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    assess,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
    the_test_day_arrives,
)
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assessed(db):
    scheme = scheme_with_units(2)
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    alice = UserFactory(full_name="Alice Applicant", email="alice@example.go.id", roles=[Role.APPLICANT])
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]),
                          applications=[make_application(scheme, alice, name="Alice Applicant, S.Sos.")])
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    p = event.participants.get()
    assess(p, assessor_user=asa)
    return {"p": p, "alice": alice, "asa": asa}


def test_the_participant_gives_feedback_on_a_phone_and_the_assessor_reads_it(phone_page, page, assessed):
    p = assessed["p"]
    ui_login(phone_page, assessed["alice"].email, PASSWORD)
    phone_page.goto(f"/asesmen/saya/{p.pk}/")
    expect(phone_page.locator("#feedback-due")).to_contain_text("Umpan balik dan catatan asesmen (FR.AK.03)")
    phone_page.click("#give-feedback")
    phone_page.wait_for_load_state()
    statements = phone_page.locator(".feedback-statement")
    expect(statements).to_have_count(10)
    expect(statements.nth(4)).to_contain_text("Saya sepenuhnya diberikan kesempatan untuk mendemonstrasikan")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    for n in range(1, 11):
        phone_page.click(f"label[for=id_answer_{n}_{1 if n == 3 else 0}]")  # Tidak for statement 3, Ya otherwise
    phone_page.fill("#id_comment_3", "Jadwal sudah ditetapkan sebelum saya dihubungi")
    phone_page.fill("#id_overall_comment", "Asesmen berjalan lancar")
    phone_page.fill("#id_signed_name", "Alice Applicant")
    phone_page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    phone_page.click("#send-feedback")
    phone_page.wait_for_load_state()
    expect(phone_page.locator(".alert-success")).to_contain_text("Terima kasih: umpan balik Anda atas asesmen")
    record = phone_page.locator("#feedback-record")
    expect(record.locator(".feedback-answer[data-answer=tidak]")).to_have_count(1)
    expect(record).to_contain_text("Jadwal sudah ditetapkan sebelum saya dihubungi")
    expect(record).to_contain_text("Ditandatangani dengan mengetik nama Alice Applicant")
    expect(phone_page.locator("#give-feedback")).to_have_count(0)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    ui_logout(phone_page)

    ui_login(page, assessed["asa"].email, PASSWORD)
    page.goto(f"/asesmen/peserta/{p.pk}/")
    expect(page.locator("#feedback-record")).to_contain_text("Asesmen berjalan lancar")
    expect(page.locator("#feedback-pdf")).to_be_visible()
