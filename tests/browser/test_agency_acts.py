"""The agency roles' acts on the demo data, in Chromium, on a phone (390 px, in Indonesian) and on a desk (1280 px, in
English): the agency officer withdraws a proposal, the head of the agency (Kepala PD) withdraws a letter of the
cohort and signs it again, the Sekretaris Daerah signs and withdraws a cohort's recommendation at each width (one
signed already is withdrawn and signed again; the one a cohort waits for is signed, then withdrawn). The crawl
(tests/browser/test_crawl.py) opens every page of these roles but submits no form: this test submits theirs. Each
form is filled as a person would, a confirmation dialog is accepted when the form asks one (``data-confirm``), and
the officer's button to withdraw is in view without scrolling sideways (the cohort's proposals one card a person on
the phone); the page after it is checked as the crawl checks a page: what the act changed is shown, one ``h1``,
interface text of the page's language only, no wider than the screen at either width, no console error or CSP
violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agencies.models import CohortLetter, LetterStatus, Proposal, ProposalStatus
from certportal.accounts.models import User
from tests.browser import a11y, conftest, crawl
from tests.browser.conftest import ui_login, ui_logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Portal-2026"  # noqa: S105 (the demo accounts' documented password)
OFFICER, HEAD, SEKDA = (a11y.DEMO_USERS[r] for r in ("agency_officer", "agency_head", "regional_secretary"))
# what each width does (the demo's cohorts: Dinas Kesehatan's with its four letters signed, Dinas Pendidikan's
# waiting for the Sekretaris Daerah's recommendation): (the language the three accounts read, the proposal
# withdrawn, the head's letter withdrawn and signed again, the cohort whose recommendation the Sekretaris Daerah
# signs and withdraws)
ACTS = {390: ("id", "drg. Melati Anggraini", "authenticity", "Dinas Pendidikan"),
        1280: ("en", "Andri Kurniawan, S.KM.", "proposal", "Dinas Kesehatan")}
# what the pages say after each act, in each language
SAY = {"id": {"signed": "sudah ditandatangani untuk seluruh angkatan", "signed_by": "Ditandatangani oleh",
              "letter_withdrawn": "Surat ditarik", "proposal_withdrawn": "Usulan ditarik", "withdrawn": "Ditarik",
              "agency_column": "Perangkat daerah"},
       "en": {"signed": "is signed for the whole cohort", "signed_by": "Signed by",
              "letter_withdrawn": "The letter is withdrawn", "proposal_withdrawn": "The proposal is withdrawn",
              "withdrawn": "Withdrawn", "agency_column": "Agency"}}
SEKDA_LETTER = "secretary_recommendation"
LOCALES = {"id": "id-ID", "en": "en-US"}  # the browser's (the portal ignores it: the account's language rules)
NAMES = {HEAD: "dr. Hartono Wibisono, M.Kes.", SEKDA: "Drs. Syamsul Bahri, M.Si."}


def _checked(page, language: str, words: crawl.Words) -> None:
    """The page after an act, as the crawl checks every page (at both widths), then back to the act's width."""
    width = page.viewport_size["width"]
    found = crawl.page_findings(page, language, words, conftest._seen["problems"])
    page.set_viewport_size(crawl.viewport(width))
    assert not found, f"{page.url} at {width} px: {found}"


def _saved(page, text: str) -> None:
    expect(page.locator("main .alert-success")).to_contain_text(text)


def _cohort(page, agency: str, say: dict) -> None:
    """From the role's home, the cohort of ``agency`` (the Sekretaris Daerah's list has a column of the agencies;
    an agency's own staff see their agency's cohorts only)."""
    page.goto("/perangkat-daerah/")
    rows = page.get_by_test_id("cohorts").locator("tbody tr")
    if page.get_by_test_id("cohorts").locator("th", has_text=say["agency_column"]).count():
        rows = rows.filter(has_text=agency)
    rows.first.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text(agency)


def _open(details) -> None:
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def _sign(page, kind: str, name: str, number: str, say: dict) -> None:
    row = page.locator(f"[data-letter={kind}]")
    _open(row.locator("details"))
    row.locator(f"input[name={kind}-number]").fill(number)
    row.locator(f"input[name={kind}-typed_name]").fill(name)
    row.locator(f"form[data-sign={kind}] button").click()
    _saved(page, say["signed"])
    expect(page.locator(f"[data-letter={kind}] [data-signed]")).to_contain_text(f"{say['signed_by']} {name}")


def _withdraw_letter(page, kind: str, reason: str, say: dict) -> None:
    row = page.locator(f"[data-letter={kind}]")
    _open(row.locator("details"))
    row.locator("textarea[name=reason]").fill(reason)
    row.locator("form[data-action] button").click()
    _saved(page, say["letter_withdrawn"])
    expect(page.locator(f"[data-letter={kind}] [data-withdrawn]")).to_contain_text(reason)


def _officer_withdraws(page, name: str, language: str, words) -> None:
    say = SAY[language]
    ui_login(page, OFFICER, PASSWORD, land=True)
    _cohort(page, "Dinas Kesehatan", say)
    row = page.get_by_test_id("proposals").locator("tr", has_text=name)
    act = row.locator("details summary").bounding_box()  # in view, no sideways scroll: on a phone a card a person
    assert act is not None and act["x"] + act["width"] <= page.viewport_size["width"], act
    _open(row.locator("details"))
    row.locator("textarea[name=reason]").fill("Pindah tugas ke instansi lain.")
    row.locator("form[data-action] button").click()
    _saved(page, say["proposal_withdrawn"])
    expect(page.get_by_test_id("proposals").locator("tr", has_text=name)).to_contain_text(say["withdrawn"])
    _checked(page, language, words)
    ui_logout(page)


def _head_withdraws_and_signs_again(page, kind: str, width: int, language: str, words) -> None:
    say = SAY[language]
    ui_login(page, HEAD, PASSWORD, land=True)
    _cohort(page, "Dinas Kesehatan", say)
    _withdraw_letter(page, kind, "Nomor surat salah ketik.", say)
    _checked(page, language, words)
    _sign(page, kind, NAMES[HEAD], f"800/{width}/Dinkes/2026", say)
    _checked(page, language, words)
    ui_logout(page)


def _sekda_signs_and_withdraws(page, agency: str, width: int, language: str, words, *, signed: bool) -> None:
    """A recommendation ``signed`` already is withdrawn and signed again; one the cohort waits for is signed, then
    withdrawn (the Sekretaris Daerah's both acts at each width)."""
    say = SAY[language]
    ui_login(page, SEKDA, PASSWORD, land=True)
    _cohort(page, agency, say)
    if signed:
        _withdraw_letter(page, SEKDA_LETTER, "Diganti dengan rekomendasi yang baru.", say)
        _checked(page, language, words)
    _sign(page, SEKDA_LETTER, NAMES[SEKDA], f"000.8.3/{width}/Setda/2026", say)
    _checked(page, language, words)
    if not signed:
        _withdraw_letter(page, SEKDA_LETTER, "Nomor surat salah ketik.", say)
        _checked(page, language, words)
    ui_logout(page)


def _recommendations(agency: str):
    return CohortLetter.objects.filter(cohort__agency__name=agency, kind=SEKDA_LETTER)


def test_the_agency_roles_sign_and_withdraw_on_a_phone_and_on_a_desk(browser, live_server, demo_committed):
    words = crawl.Words.from_catalogs()
    for width, (language, proposal, letter, agency) in ACTS.items():
        # the three accounts read the width's language (as chosen on the account, the language switch's record)
        User.objects.filter(email__in=[OFFICER, HEAD, SEKDA]).update(preferred_language=language)
        signed = _recommendations(agency).filter(status=LetterStatus.SIGNED).exists()
        withdrawn = _recommendations(agency).filter(status=LetterStatus.WITHDRAWN).count()
        context = browser.new_context(base_url=live_server.url, locale=LOCALES[language], reduced_motion="reduce",
                                      viewport=crawl.viewport(width), is_mobile=width < 500, has_touch=width < 500)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # an act that asks first (data-confirm) is confirmed
        _officer_withdraws(page, proposal, language, words)
        _head_withdraws_and_signs_again(page, letter, width, language, words)
        _sekda_signs_and_withdraws(page, agency, width, language, words, signed=signed)
        context.close()
        assert Proposal.objects.get(name=proposal).status == ProposalStatus.WITHDRAWN
        assert CohortLetter.objects.filter(cohort__agency__name="Dinas Kesehatan", kind=letter,
                                           status=LetterStatus.SIGNED, number=f"800/{width}/Dinkes/2026").exists()
        assert _recommendations(agency).get(number=f"000.8.3/{width}/Setda/2026").status == (
            LetterStatus.SIGNED if signed else LetterStatus.WITHDRAWN)
        assert _recommendations(agency).filter(status=LetterStatus.WITHDRAWN).count() == withdrawn + 1
