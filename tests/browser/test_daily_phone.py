"""Issue 15 item 9: on a 390 px phone the queue, the catalogue (a scheme's reason for taking no application
included), a scheme's documents to upload and the supervisor's dashboard keep their key columns in view (rows become
cards) and nothing scrolls sideways; the brand and menu button share one line."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applicants import services
from certportal.accounts.models import Role
from certportal.lsp.models import LspProfile
from schemes.models import Scheme
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import accept_all, submitted_application
from tests.browser.conftest import cards_fit, on_screen, ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _one_line_navbar(page) -> None:
    brand, toggler = page.locator(".navbar-brand").bounding_box(), page.locator(".navbar-toggler").bounding_box()
    assert abs(brand["y"] - toggler["y"]) < 20 and toggler["x"] + toggler["width"] <= 390


def test_the_verifier_queue_reads_as_cards_on_a_phone(live_server, phone_page):
    victor = UserFactory(full_name="Victor Verifikator", email="victor@example.go.id", roles=[Role.VERIFIER])
    scheme = scheme_with_parts(units=1, elements=1, documents=1)
    for name in ("Rina Marlina", "Budi Santoso Wicaksono Hadiningrat, S.Kom., M.Kom."):
        app = submitted_application(ProfileFactory(user=UserFactory(full_name=name, roles=[Role.APPLICANT]),
                                                   full_name=name), scheme)
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    ui_login(phone_page, victor.email, PASSWORD)
    phone_page.goto("/permohonan/antrian/")
    expect(phone_page.locator("#queue tbody tr")).to_have_count(2)
    _no_sideways_scroll(phone_page)
    _one_line_navbar(phone_page)
    for row in range(2):
        on_screen(phone_page.locator("#queue tbody tr").nth(row).locator("td[data-label]").nth(2))  # status
        on_screen(phone_page.locator("#queue tbody tr").nth(row).locator("td[data-deadline]"))
    expect(phone_page.locator("#queue tbody tr").nth(1).locator("td[data-deadline]")).to_contain_text("target")


def test_the_catalogue_and_the_sla_dashboard_fit_a_phone(live_server, phone_page):
    inside = scheme_with_parts(units=2, elements=1, documents=1)
    outside = scheme_with_parts(units=1, elements=1, documents=1)
    Scheme.objects.filter(pk__in=[inside.pk, outside.pk]).update(is_published=True)
    today = timezone.localdate()
    LspProfile.objects.create(pk=1, name="LSP Uji", city="Jakarta", licence_number="BNSP-LSP-1207-ID",
                              licence_date=today - datetime.timedelta(days=400),
                              licence_valid_until=today + datetime.timedelta(days=400), licence_scope=[inside.code])
    phone_page.goto("/skema/")
    _no_sideways_scroll(phone_page)
    _one_line_navbar(phone_page)
    on_screen(phone_page.locator("#schemes tbody tr").first.locator("td[data-label]").last)
    # the reason a scheme takes no application wraps on the card: read whole, nothing to scroll sideways
    on_screen(phone_page.locator("[data-not-open]"))
    cards_fit(phone_page.locator("#schemes"))
    phone_page.goto(f"/skema/{inside.pk}/")  # what to upload: one card per document, its kind and count in view
    on_screen(phone_page.locator("#documents tbody tr").first.locator("td[data-label]").last)
    cards_fit(phone_page.locator("#documents"))
    from certportal.sla.models import SlaPolicy
    from certportal.sla.reference import seed_policies

    seed_policies(SlaPolicy)
    sofia = UserFactory(full_name="Sofia Supervisor", email="sofia@example.go.id", roles=[Role.SUPERVISOR])
    ui_login(phone_page, sofia.email, PASSWORD)
    phone_page.goto("/tenggat/")
    _no_sideways_scroll(phone_page)
    on_screen(phone_page.locator("#per-service tbody tr").first.locator("td[data-p90]"))


def test_the_complaint_officer_s_queues_read_as_cards_on_a_phone(live_server, phone_page):
    """The officer's home (overdue, due soon, open) and the list of complaints, 560 to 722 px wide before: one card a
    complaint, its status and answer limit on the screen."""
    from tests.complaints.factories import file_complaint

    complaint = file_complaint(object_text="Jadwal uji kompetensi yang berubah tanpa pemberitahuan kepada peserta")
    karin = UserFactory(full_name="Karin Officer", email="karin@example.go.id", roles=[Role.COMPLAINT_OFFICER])
    ui_login(phone_page, karin.email, PASSWORD)
    for url in ("/pengaduan/petugas/", "/pengaduan/daftar/"):
        phone_page.goto(url)
        _no_sideways_scroll(phone_page)
        tables = phone_page.locator("main table")
        expect(tables.first).to_be_attached()
        for n in range(tables.count()):
            cards_fit(tables.nth(n))
        row = phone_page.locator('[data-testid="complaint-row"]', has_text=complaint.tracking_number).first
        on_screen(row.get_by_test_id("status"))
        on_screen(row.locator('td[data-label="Batas jawaban"]'))
