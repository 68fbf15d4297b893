"""Acceptance (issue 19 item 5), in Indonesian: the LSP admin records the pleno of a reviewed event from the event
page (the event's assessor offered disabled, with the reason), decides two participants in it, closes it and
downloads the decision letter (Surat Keputusan), read back from its PDF."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.events.models import Participant, Pleno
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
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewed(db):
    scheme = scheme_with_units(2)
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    dewi = UserFactory(full_name="Dewi Komite", email="dewi@example.go.id", roles=[Role.QUALITY])
    apps = [make_application(scheme, UserFactory(full_name=name, email=f"{name.split()[0].lower()}@example.go.id",
                                                 roles=[Role.APPLICANT]), name=name)
            for name in ("Alice Applicant", "Bob Applicant")]
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(head=tono),
                          assessor=make_assessor(asa, schemes=[scheme]), applications=apps)
    bk = scheme.scheme_units.first().unit.code
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    for p in event.participants.select_related("application"):
        assess(p, assessor_user=asa, results={bk: "BK"} if p.name.startswith("Bob") else {})
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    event = run_steps(event, 7, admin=lina, tuk_head=tono)
    return {"event": event, "lina": lina, "asa": asa, "dewi": dewi}


def test_the_lsp_admin_decides_two_participants_in_a_pleno_and_downloads_the_letter(page, reviewed, tmp_path):
    event, asa, dewi = reviewed["event"], reviewed["asa"], reviewed["dewi"]
    ui_login(page, reviewed["lina"].email, PASSWORD)
    page.goto(f"/asesmen/acara/{event.pk}/")
    page.click("#event-pleno")
    page.wait_for_load_state()
    assert page.locator(f"#member-{asa.pk}").is_disabled()
    assert "menilai peserta acara ini" in page.locator(f"label[for=member-{asa.pk}]").inner_text()
    page.fill("input[name=decree_number]", "KEP.021/LSP/PLENO/2026")
    page.fill("input[name=held_on]", timezone.localdate().isoformat())
    page.check(f"#member-{dewi.pk}")
    page.screenshot(path=str(tmp_path / "pleno-create-id.png"), full_page=True)
    page.click("#pleno-create")
    page.wait_for_load_state()
    assert "Pleno dicatat" in page.locator(".alert-success").inner_text()
    assert "Dewi Komite" in page.locator("#pleno-facts").inner_text()
    for name, button in (("Alice Applicant", ".decide-k"), ("Bob Applicant", ".decide-bk")):
        page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
        page.locator(".awaiting", has_text=name).locator(button).click()
        page.wait_for_load_state()
        assert name in page.locator(".alert-success").inner_text()
    assert page.locator("#pleno-decisions tbody tr").count() == 2
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    page.click("#pleno-close")
    page.wait_for_load_state()
    assert page.locator("#pleno-status").inner_text().startswith("Ditutup")
    page.screenshot(path=str(tmp_path / "pleno-id.png"), full_page=True)
    href = page.locator("#pleno-letter").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(response.body())).pages)
    assert "SURAT KEPUTUSAN" in text and "KEP.021/LSP/PLENO/2026" in text and "Dewi Komite" in text
    assert "Alice Applicant" in text and "Kompeten (K)" in text
    assert "Bob Applicant" in text and "Belum Kompeten (BK)" in text
    pleno = Pleno.objects.get()
    assert set(Participant.objects.values_list("pleno", "decision")) == {(pleno.pk, "K"), (pleno.pk, "BK")}
