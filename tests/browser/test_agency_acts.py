"""The agency roles' acts on the demo data, in Chromium, on a phone (390 px) and on a desk (1280 px): the agency officer
withdraws a proposal, the head of the agency (Kepala PD) withdraws a letter of the cohort and signs it again, the
Sekretaris Daerah signs a cohort's recommendation (and withdraws and signs one again). The crawl
(tests/browser/test_crawl.py) opens every page of these roles but submits no form: this test submits theirs. Each
form is filled as a person would, a confirmation dialog is accepted when the form asks one (``data-confirm``), and
the page after it is checked as the crawl checks a page: what the act changed is shown, one ``h1``, Indonesian
interface text only, no wider than the screen at either width, no console error or CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agencies.models import CohortLetter, LetterStatus, Proposal, ProposalStatus
from tests.browser import a11y, conftest, crawl
from tests.browser.conftest import ui_login, ui_logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Portal-2026"  # noqa: S105 (the demo accounts' documented password)
OFFICER, HEAD, SEKDA = (a11y.DEMO_USERS[r] for r in ("agency_officer", "agency_head", "regional_secretary"))
# what each width does (the demo's cohorts: Dinas Kesehatan's with its four letters signed, Dinas Pendidikan's
# waiting for the Sekretaris Daerah's recommendation): (the proposal withdrawn, the head's letter withdrawn and
# signed again, the cohort whose recommendation the Sekretaris Daerah signs)
ACTS = {390: ("drg. Melati Anggraini", "authenticity", "Dinas Pendidikan"),
        1280: ("Andri Kurniawan, S.KM.", "proposal", "Dinas Kesehatan")}
NAMES = {HEAD: "dr. Hartono Wibisono, M.Kes.", SEKDA: "Drs. Syamsul Bahri, M.Si."}


def _checked(page, words: crawl.Words) -> None:
    """The page after an act, as the crawl checks every page (at both widths), then back to the act's width."""
    width = page.viewport_size["width"]
    found = crawl.page_findings(page, "id", words, conftest._seen["problems"])
    page.set_viewport_size(crawl.viewport(width))
    assert not found, f"{page.url} at {width} px: {found}"


def _saved(page, text: str) -> None:
    expect(page.locator("main .alert-success")).to_contain_text(text)


def _cohort(page, agency: str) -> None:
    """From the role's home, the cohort of ``agency`` (the Sekretaris Daerah's list has a column of the agencies;
    an agency's own staff see their agency's cohorts only)."""
    page.goto("/perangkat-daerah/")
    rows = page.get_by_test_id("cohorts").locator("tbody tr")
    if page.get_by_test_id("cohorts").locator("th", has_text="Perangkat daerah").count():
        rows = rows.filter(has_text=agency)
    rows.first.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text(agency)


def _open(details) -> None:
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def _sign(page, kind: str, name: str, number: str) -> None:
    row = page.locator(f"[data-letter={kind}]")
    _open(row.locator("details"))
    row.locator(f"input[name={kind}-number]").fill(number)
    row.locator(f"input[name={kind}-typed_name]").fill(name)
    row.locator(f"form[data-sign={kind}] button").click()
    _saved(page, "sudah ditandatangani untuk seluruh angkatan")
    expect(page.locator(f"[data-letter={kind}] [data-signed]")).to_contain_text(f"Ditandatangani oleh {name}")


def _withdraw_letter(page, kind: str, reason: str) -> None:
    row = page.locator(f"[data-letter={kind}]")
    _open(row.locator("details"))
    row.locator("textarea[name=reason]").fill(reason)
    row.locator("form[data-action] button").click()
    _saved(page, "Surat ditarik")
    expect(page.locator(f"[data-letter={kind}] [data-withdrawn]")).to_contain_text(reason)


def _officer_withdraws(page, name: str, words) -> None:
    ui_login(page, OFFICER, PASSWORD)
    _cohort(page, "Dinas Kesehatan")
    row = page.get_by_test_id("proposals").locator("tr", has_text=name)
    _open(row.locator("details"))
    row.locator("textarea[name=reason]").fill("Pindah tugas ke instansi lain.")
    row.locator("form[data-action] button").click()
    _saved(page, "Usulan ditarik")
    expect(page.get_by_test_id("proposals").locator("tr", has_text=name)).to_contain_text("Ditarik")
    _checked(page, words)
    ui_logout(page)


def _head_withdraws_and_signs_again(page, kind: str, width: int, words) -> None:
    ui_login(page, HEAD, PASSWORD)
    _cohort(page, "Dinas Kesehatan")
    _withdraw_letter(page, kind, "Nomor surat salah ketik.")
    _checked(page, words)
    _sign(page, kind, NAMES[HEAD], f"800/{width}/Dinkes/2026")
    _checked(page, words)
    ui_logout(page)


def _sekda_signs(page, agency: str, width: int, words) -> None:
    ui_login(page, SEKDA, PASSWORD)
    _cohort(page, agency)
    kind = "secretary_recommendation"
    if CohortLetter.objects.filter(cohort__agency__name=agency, kind=kind, status=LetterStatus.SIGNED).exists():
        _withdraw_letter(page, kind, "Diganti dengan rekomendasi yang baru.")
        _checked(page, words)
    _sign(page, kind, NAMES[SEKDA], f"000.8.3/{width}/Setda/2026")
    _checked(page, words)
    ui_logout(page)


def test_the_agency_roles_sign_and_withdraw_on_a_phone_and_on_a_desk(browser, live_server, demo_committed):
    words = crawl.Words.from_catalogs()
    for width, (proposal, letter, agency) in ACTS.items():
        context = browser.new_context(base_url=live_server.url, locale="id-ID", reduced_motion="reduce",
                                      viewport=crawl.viewport(width), is_mobile=width < 500, has_touch=width < 500)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # an act that asks first (data-confirm) is confirmed
        _officer_withdraws(page, proposal, words)
        _head_withdraws_and_signs_again(page, letter, width, words)
        _sekda_signs(page, agency, width, words)
        context.close()
        assert Proposal.objects.get(name=proposal).status == ProposalStatus.WITHDRAWN
        assert CohortLetter.objects.filter(cohort__agency__name="Dinas Kesehatan", kind=letter,
                                           status=LetterStatus.SIGNED, number=f"800/{width}/Dinkes/2026").exists()
        assert CohortLetter.objects.filter(cohort__agency__name=agency, kind="secretary_recommendation",
                                           status=LetterStatus.SIGNED, number=f"000.8.3/{width}/Setda/2026").exists()
