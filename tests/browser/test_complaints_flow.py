"""Not done until: an anonymous report becomes a suggestion; an identified one is a complaint, followed through
analysis, the APIP route with the head's approval and the answer, and seen on the tracking page."""

import datetime

import pytest
from django.utils import timezone

from certportal.accounts.models import Role
from complaints.models import Complaint
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sla_reference(transactional_db):
    """Transactional tests flush the tables, so the policies seeded by migration are reloaded (idempotent)."""
    from certportal.sla import reference

    reference.load()


def file_report(page, **fields):
    page.goto("/pengaduan/publik/")
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.get_by_test_id("complaint-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "/pengaduan/lacak/" in page.url
    return page.url


def test_anonymous_suggestion_and_a_complaint_through_apip_to_the_answer(page):
    karin = UserFactory(email="karin@example.go.id", full_name="Karin Pengaduan", roles=[Role.COMPLAINT_OFFICER])
    sofia = UserFactory(email="sofia@example.go.id", full_name="Sofia Kepala", roles=[Role.SUPERVISOR])

    # 1. Anonymous: recorded as a suggestion, and the page says why.
    file_report(page, object_text="Ruang tunggu", message="Kursi ruang tunggu kurang.")
    assert page.get_by_test_id("kind").inner_text() == "Saran"
    assert "identitas pengadu tidak dicantumkan" in page.content().lower()

    # 2. Identified: a complaint.
    served = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    tracking_url = file_report(page, name="Citra Lestari", email="citra@example.go.id", phone="081234567890",
                               object_text="Biaya uji kompetensi", service_date=served,
                               message="Saya dimintai biaya tambahan oleh petugas.")
    assert page.get_by_test_id("kind").inner_text() == "Pengaduan"
    complaint = Complaint.objects.get(email="citra@example.go.id")

    # 3. The officer classifies and analyses it.
    ui_login(page, karin.email, PASSWORD)
    page.goto(f"/pengaduan/{complaint.pk}/")
    page.select_option("[name=service]", "test")
    page.select_option("[name=component]", "cost")
    with page.expect_navigation():
        page.get_by_role("button", name="Klasifikasikan").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Mulai penelaahan").click()
    form = page.get_by_test_id("analysis-form")
    form.locator("[name=core_problem]").fill("Dugaan pungutan liar saat uji kompetensi.")
    form.locator("[name=standard_concerned]").fill("Standar Pelayanan butir 4: biaya ditanggung APBD.")
    form.locator("[name=planned_handling]").fill("Klarifikasi petugas dan investigasi.")
    with page.expect_navigation():
        form.locator("button").click()
    # Without the head's approval the APIP route is refused, with the reason on the page.
    page.locator("[name=route][value=apip]").check()
    page.locator("[name=detail]").fill("Inspektorat")
    with page.expect_navigation():
        page.get_by_role("button", name="Pilih jalur ini").click()
    assert "persetujuan" in page.locator(".alert-danger").inner_text()
    ui_logout(page)

    # 4. The head records the approval.
    ui_login(page, sofia.email, PASSWORD)
    page.goto(f"/pengaduan/{complaint.pk}/")
    page.locator("[name=note]").first.fill("Disetujui untuk diperiksa APIP.")
    page.once("dialog", lambda d: d.accept())  # it asks first: the approval is recorded once
    with page.expect_navigation():
        page.get_by_role("button", name="Catat persetujuan saya").click()
    assert "Sofia Kepala" in page.get_by_test_id("apip-approval").inner_text()
    ui_logout(page)

    # 5. The officer routes it to APIP, records the findings and answers.
    ui_login(page, karin.email, PASSWORD)
    page.goto(f"/pengaduan/{complaint.pk}/")
    page.locator("[name=route][value=apip]").check()
    page.locator("[name=detail]").fill("Inspektorat")
    with page.expect_navigation():
        page.get_by_role("button", name="Pilih jalur ini").click()
    assert "APIP" in page.get_by_test_id("route").inner_text()
    form = page.get_by_test_id("analysis-form")
    form.locator("[name=findings]").fill("Terbukti; petugas dijatuhi sanksi.")
    with page.expect_navigation():
        form.locator("button").click()
    answer = page.get_by_test_id("answer-form")
    answer.locator("[name=answer]").fill("Pengaduan Anda terbukti dan petugas telah dijatuhi sanksi.")
    answer.locator("[name=superior_report]").fill("Diselesaikan melalui APIP (Inspektorat).")
    page.once("dialog", lambda d: d.accept())  # it asks first: the answer cannot be recalled
    with page.expect_navigation():
        answer.locator("button").click()
    assert page.get_by_test_id("status").first.inner_text() == "Dijawab"
    ui_logout(page)

    # 6. The complainant sees the progress and the answer on the tracking page.
    page.goto(tracking_url)
    assert "petugas telah dijatuhi sanksi" in page.get_by_test_id("answer").inner_text()
    updates = page.get_by_test_id("updates").inner_text()
    assert "APIP" in updates and "diterima" in updates.lower()


def test_the_public_form_works_on_a_phone(phone_page):
    file_report(phone_page, message="Mohon papan informasi jadwal.")
    assert phone_page.get_by_test_id("kind").is_visible()
