"""A save says what it kept: "Simpan kehadiran" with nobody marked says nothing was saved (and the event still
says attendance is missing); saving K with the reason why the evidence suffices says once what was kept and why,
not "saved" followed by a warning per unit. On a phone, in both languages."""

import pytest
from playwright.sync_api import expect

from assessments.events.models import Participant, UnitResult
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from tests.assessments.factories import (
    SiteFactory,
    agree,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
    the_test_day_arrives,
    validated_plan,
)
from tests.browser.conftest import ui_login
from tests.browser.language import page_fits, switch_language
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _test_day(*, present: bool, n: int = 1, plan: bool = False):
    scheme = scheme_with_units(2)
    if plan:
        validated_plan(scheme)
    tono = UserFactory(full_name="Tono Kepala TUK", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    lina = UserFactory(full_name="Lina LSP Admin", roles=[Role.LSP_ADMIN])
    apps = [make_application(scheme, UserFactory(full_name=f"Peserta {i}", roles=[Role.APPLICANT]),
                             experienced=False, name=f"Peserta {i}") for i in range(n)]
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]), applications=apps)
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    if present:
        mark_all_present(event, actor=asa)
    return event, asa


def test_saving_attendance_with_nobody_marked_says_nothing_was_saved(live_server, phone_page):
    event, asa = _test_day(present=False, n=2)
    page = phone_page
    ui_login(page, asa.email, PASSWORD)
    page.goto(f"/asesmen/acara/{event.pk}/kehadiran/")
    before = AuditEntry.objects.count()
    with page.expect_navigation():
        page.locator("#attendance-each button.btn-primary").click()
    expect(page.locator(".alert-danger")).to_contain_text("Tidak ada yang disimpan")
    expect(page.locator(".alert-success")).to_have_count(0)
    assert AuditEntry.objects.count() == before
    assert not Participant.objects.filter(event=event, attended__isnull=False).exists()
    assert page_fits(page)
    first = event.participants.order_by("pk").first()
    page.check(f"#p{first.pk}y")
    with page.expect_navigation():
        page.locator("#attendance-each button.btn-primary").click()
    expect(page.locator(".alert-success")).to_have_text("Kehadiran disimpan: 1 hadir, 0 tidak hadir. "
                                                       "Belum ditandai: 1 peserta.")
    page.goto(f"/asesmen/acara/{event.pk}/kehadiran/")
    switch_language(page)
    with page.expect_navigation():
        page.locator("#attendance-each button.btn-primary").click()
    expect(page.locator(".alert-success")).to_contain_text("Attendance is saved: 1 present, 0 absent.")


def test_k_on_a_reason_is_said_once_with_what_was_kept(live_server, phone_page):
    event, asa = _test_day(present=True, plan=True)
    p = event.participants.get()
    agree(p)
    units = [su.unit for su in p.application.scheme.scheme_units.order_by("position").select_related("unit")]
    page = phone_page
    ui_login(page, asa.email, PASSWORD)
    page.goto(f"/asesmen/peserta/{p.pk}/")
    with page.expect_navigation():
        page.locator("#save-results").click()
    expect(page.locator(".alert-warning").first).to_contain_text("Tidak ada yang disimpan")
    expect(page.locator(".alert-success")).to_have_count(0)
    expect(page.locator(".evidence-gap")).to_have_count(2)  # the plan's evidence is missing for both units
    for unit in units:
        page.locator(f'label[for="result_{unit.pk}_K"]').click()
        page.fill(f"#evidence_gap_reason_{unit.pk}", "Pertanyaan lisan diajukan selama demonstrasi")
    with page.expect_navigation():
        page.locator("#save-results").click()
    assert UnitResult.objects.filter(participant=p, result="K").count() == 2
    saved = page.locator(".alert-success")
    expect(saved).to_have_count(1)
    text = saved.inner_text()
    assert text.startswith(f"Hasil disimpan: {units[0].code} K, {units[1].code} K.")
    assert "bertumpu pada alasan Anda" in text and all(u.code in text.split("K untuk", 1)[1] for u in units)
    expect(page.locator(".alert-warning")).to_have_count(0)
    expect(page.locator(".evidence-gap-kept")).to_have_count(2)
    assert page_fits(page)
    switch_language(page)
    expect(page.locator(".evidence-gap-kept").first).to_contain_text(f"K for unit {units[0].code} kept on your reason")
