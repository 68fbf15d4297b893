"""Issue 30 item 1 in the browser, on the demo: the auditor-facing impartiality page (committee, approved threat
analysis, declarations; the committee one card per member on a phone), axe-clean at 1280 and 390 px in both languages
(checked in the walk of every role's pages, tests/browser/test_accessibility.py; here the signing page of an assessor
without a declaration, which that walk does not reach); an assessor without a current declaration is offered no pleno
seat, with the reason and a link to sign; they sign by typing their name and the LSP admin's queue shows one
declaration fewer due."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.events.models import Event, EventStatus
from certportal.accounts.models import User
from tests.browser import a11y
from tests.browser.conftest import cards_fit, ui_login
from tests.browser.test_accessibility import DEMO_PASSWORD, DESKTOP, PHONE, _axe_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNSIGNED = "asesor.baru@demo.go.id"


def _axe(browser, live_server, email: str, urls: list, language: str) -> list[str]:
    User.objects.filter(email=email).update(preferred_language=language)
    context = _axe_context(browser, live_server, language)
    page = context.new_page()
    ui_login(page, email, DEMO_PASSWORD, land=True)
    problems = []
    for target in urls:
        page.set_viewport_size(DESKTOP)
        problems += [f"[{email} {language}] {line}" for line in a11y.check_page(
            page, target, phone=PHONE, submit=target.submit_empty)]
        if page.locator("html").get_attribute("lang") != language:
            problems.append(f"{target.url} is not in {language}")
    context.close()
    return problems


def test_impartiality_pages_are_axe_clean_and_an_unsigned_assessor_gets_no_pleno_seat(browser, live_server,
                                                                                     demo_committed):
    sign = a11y.Page(reverse("quality:declaration-sign"), submit_empty=True)
    problems = []
    for role in ("lsp_admin", "quality", "supervisor"):  # their /mutu/ pages: in the walk of every role's pages
        assert reverse("quality:impartiality") in {p.url for p in a11y.role_pages(role)}, role
    for language in ("id", "en"):  # the page an assessor without a declaration sees: not in that walk
        problems += _axe(browser, live_server, UNSIGNED, [sign], language)
    assert not problems, "\n".join(problems)

    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    User.objects.filter(email__endswith="@demo.go.id").update(preferred_language="id")
    ui_login(page, a11y.DEMO_USERS["lsp_admin"], DEMO_PASSWORD)
    page.goto(reverse("quality:impartiality"))
    expect(page.get_by_test_id("committee")).to_contain_text("Prof. Dr. Hasan Basri, M.Si.")
    # on the phone one card per member, each cell named by its column: nothing to scroll sideways
    cards_fit(page.get_by_test_id("committee").locator(".table-responsive table"))
    expect(page.get_by_test_id("analyses")).to_contain_text("Disetujui")
    expect(page.locator(f'[data-person="{UNSIGNED}"]')).to_contain_text("tidak ada yang berlaku")
    page.goto(reverse("role-home", args=["lsp_admin"]))
    due = page.locator('[data-work="declarations-due"] [data-count]')
    expect(due).to_have_text("2")
    event = Event.objects.filter(status__in=[EventStatus.REVIEWED, EventStatus.ARCHIVED]).order_by("pk").first()
    page.goto(reverse("assessments:event-pleno", args=[event.pk]))
    yusuf = User.objects.get(email=UNSIGNED)
    expect(page.locator(f"#member-{yusuf.pk}")).to_be_disabled()
    reason = page.locator(f"label[for=member-{yusuf.pk}]")
    expect(reason).to_contain_text("belum memiliki pernyataan kepentingan dan kerahasiaan")
    expect(reason.get_by_role("link", name="Tandatangani pernyataan")).to_have_attribute(
        "href", reverse("quality:declaration-sign"))

    context.clear_cookies()
    ui_login(page, UNSIGNED, DEMO_PASSWORD)
    page.goto(reverse("quality:declaration-sign"))
    expect(page.get_by_test_id("declaration-state")).to_contain_text("belum memiliki pernyataan yang berlaku")
    page.get_by_label("Ketik nama lengkap Anda untuk menandatangani").fill("yusuf hidayat")
    page.get_by_role("button", name="Tandatangani pernyataan").click()
    expect(page.get_by_test_id("declaration-state")).to_contain_text("berlaku sampai")

    context.clear_cookies()
    ui_login(page, a11y.DEMO_USERS["lsp_admin"], DEMO_PASSWORD)
    page.goto(reverse("role-home", args=["lsp_admin"]))
    expect(page.locator('[data-work="declarations-due"] [data-count]')).to_have_text("1")
    page.goto(reverse("assessments:event-pleno", args=[event.pk]))
    expect(page.locator(f"#member-{yusuf.pk}")).to_be_enabled()
    context.close()
