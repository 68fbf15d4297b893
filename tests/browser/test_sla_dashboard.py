"""The supervisor reads the SLA dashboard at a glance; the LSP admin keeps the calendar on a phone."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from certportal.accounts.models import Role, User
from certportal.sla import reference
from certportal.sla import services as sla
from certportal.sla.models import CalendarDay
from certportal.sla.registry import register_tracked, unregister_tracked
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sla_data():
    reference.load()
    owner = UserFactory(full_name="Vera Verifikator", roles=[Role.VERIFIER])
    register_tracked(User, responsible=lambda obj: [owner], label=lambda obj: f"Berkas {obj.full_name}",
                     url=lambda obj: "/beranda/")
    today = timezone.localdate()
    for i, (started, stopped) in enumerate([(60, 40), (70, 10), (30, 5)]):
        item = UserFactory(full_name=f"Selesai {i}")
        sla.start_clock(item, "certification", at=timezone.now() - timedelta(days=started))
        sla.stop_clock(item, "certification", at=timezone.now() - timedelta(days=stopped))
    late = UserFactory(full_name="Terlambat")
    sla.start_clock(late, "complaint-followup", at=today - timedelta(days=20))
    yield
    unregister_tracked(User)


def test_supervisor_lands_on_the_dashboard_with_charts(page, sla_data):
    errors, missing = [], []
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: missing.append(r.url)
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    boss = UserFactory(email="pimpinan@example.go.id", roles=[Role.SUPERVISOR])
    ui_login(page, boss.email, PASSWORD, land=True)
    assert page.url.endswith("/tenggat/")
    assert page.locator("h1", has_text="Tenggat layanan").is_visible()
    assert page.evaluate("() => !!Chart.getChart(document.getElementById('compliance-chart'))")
    assert page.evaluate("() => !!Chart.getChart(document.getElementById('breach-chart'))")
    assert page.locator("#at-risk", has_text="Berkas Terlambat").is_visible()
    assert page.locator("#breach-list", has_text="Vera Verifikator").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as csv_file:
        assert "Berkas Terlambat" in csv_file.read()
    assert errors == [] and missing == []  # no CSP violation, no script error, every asset served


def test_lsp_admin_adds_and_removes_joint_leave_on_a_phone(phone_page):
    reference.load()
    admin = UserFactory(email="admin.lsp@example.go.id", roles=[Role.LSP_ADMIN])
    ui_login(phone_page, admin.email, PASSWORD, land=True)
    year = timezone.localdate().year + 1
    phone_page.goto(f"/tenggat/kalender/?year={year}")
    phone_page.fill("#id_day-date", f"{year}-08-16")
    phone_page.select_option("#id_day-kind", "joint_leave")
    phone_page.fill("#id_day-name", "Cuti bersama tambahan")
    phone_page.get_by_role("button", name="Tambahkan ke kalender").click()
    phone_page.wait_for_load_state()
    row = phone_page.locator("#calendar-days tr", has_text="Cuti bersama tambahan")
    assert row.is_visible()
    assert CalendarDay.objects.filter(date=date(year, 8, 16), source="admin").exists()
    row.get_by_role("button").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator(".alert", has_text=f"16 Agustus {year}").is_visible()  # the date as people read it
    assert not CalendarDay.objects.filter(date=date(year, 8, 16)).exists()
