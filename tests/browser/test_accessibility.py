"""Issue 20: WCAG 2.1 AA. The pages the walk checks with axe-core (WCAG 2.0/2.1 A and AA rules) for every role, in
both languages, at a desktop and a phone width, with the phone menu open and forms showing their errors: the walk
itself is the crawl's (tests/browser/test_crawl.py, one walk per role that opens each page once for both), the lists
are tests/browser/a11y.py's. Here: that the lists reach every role's detail pages; a keyboard-only walk through the
applicant's upload step and the verifier's decisions; and Chromium's accessibility tree, read as a screen reader
would, naming each upload input and each verification control after its document."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from applicants import services as app_services
from applicants.samples import sample_pdf
from certportal.accounts.models import Role
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import submitted_application
from tests.browser import a11y
from tests.browser.conftest import TIMEOUT_MS, ui_login
from tests.conftest import require_service
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Demo-Portal-2026"  # noqa: S105 (the demo accounts' documented password)
DESKTOP, PHONE = a11y.DESKTOP, a11y.PHONE


def _axe_context(browser, live_server, language: str):
    if not a11y.AXE_JS.exists():
        require_service("axe-core", "cd tests/a11y && npm ci")
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context


@pytest.mark.django_db(transaction=False)
def test_the_walk_reaches_every_role_s_detail_pages_and_the_management_system(demo_data):
    """The walk (tests/browser/test_crawl.py) checks with axe every role's menu and the detail pages behind it (more
    than 80 pages), the management system's pages of each role that owns them among them, each form submitted empty
    where it asks."""
    walked = {role: a11y.public_pages() if role == "public" else a11y.role_pages(role)
              for role in ["public", *a11y.DEMO_USERS]}
    assert sum(len(pages) for pages in walked.values()) > 80
    for role in a11y.SYSTEM_ROLES:
        own = a11y.management_system_pages(role)
        assert own
        assert set(own) <= set(walked[role]), role


# --- keyboard and screen reader ---------------------------------------------------------------------------------


def _applicant_with_draft(documents: int = 3):
    scheme = scheme_with_parts(units=1, elements=1, documents=documents)
    profile = ProfileFactory(user=UserFactory(email="ayu@example.go.id", roles=[Role.APPLICANT]))
    app = app_services.application_start(user=profile.user, scheme=scheme)
    app_services.application_save_data(app, user=profile.user, purpose="certification", purpose_other="",
                                       experienced=True)
    return app


def _settled(page) -> None:
    """The page has loaded and portal.js has placed focus on arrival (it does so just after the load event), so
    the keys pressed next are not taken away from the control they reach."""
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(done => setTimeout(done, 50))")


def _tab_to(page, selector: str, *, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has focus."""
    _settled(page)
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{selector} never got focus from the keyboard")


def _open_file_chooser(page, selector: str):
    """Space on the focused file input opens the chooser, as a keyboard user opens it. A busy 2-core machine now and
    then loses the press or the chooser (30 Nov 2026, Chromium 156 in CI: three presses in a row): the user checks
    that the input still has focus (tabbing back to it if not) and presses again. The test listens for choosers from
    before its first page (``page.on("filechooser")``), so Playwright's interception of them stays on between two
    presses instead of being turned on and off around each wait; a failure says where focus was."""
    for key in ("Space", "Enter", "Space"):
        if not page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            _tab_to(page, selector)
        try:
            with page.expect_file_chooser(timeout=5000) as chooser:
                page.keyboard.press(key)
            return chooser.value
        except PlaywrightTimeoutError:
            continue
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"the file chooser did not open from the keyboard (focus on {focused})")


def test_applicant_uploads_every_document_with_the_keyboard_only(browser, live_server, page):
    app = _applicant_with_draft(3)
    documents = list(app.documents.select_related("requirement").order_by("requirement__position"))
    page.on("filechooser", lambda _chooser: None)  # choosers intercepted before any key is pressed
    ui_login(page, "ayu@example.go.id", PASSWORD)
    page.goto(f"/permohonan/{app.pk}/isi/dokumen/")
    for doc in documents:
        selector = f"#id_doc{doc.pk}_file"
        _tab_to(page, selector)
        expect(page.locator(selector)).to_be_focused()
        # The file chooser opens on Space (or Enter), as a keyboard user opens it; the test answers it with a file.
        chooser = _open_file_chooser(page, selector)
        chooser.set_files({"name": f"{doc.pk}.pdf", "mimeType": "application/pdf",
                                 "buffer": sample_pdf(doc.requirement.name)})
        page.keyboard.press("Tab")  # to the form's Upload button
        assert page.evaluate("() => document.activeElement.closest('form').action").endswith(f"/dokumen/{doc.pk}/")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("main")).to_contain_text(f"“{doc.requirement.name}” tersimpan")
    assert all(d.files.count() == 1 for d in documents)
    # Shift+Tab walks back from the continue button to the last upload form.
    _tab_to(page, "main a.btn-primary[href$='/isi/asesmen-mandiri/']")
    _tab_to(page, f"#doc-{documents[-1].pk} button", backwards=True)


def test_verifier_decides_each_document_with_the_keyboard_and_lands_on_the_next(browser, live_server, page):
    profile = ProfileFactory(user=UserFactory(email="ayu@example.go.id", roles=[Role.APPLICANT]))
    app = submitted_application(profile, scheme_with_parts(units=1, elements=1, documents=4))
    UserFactory(email="vera@example.go.id", roles=[Role.VERIFIER])
    documents = list(app.documents.select_related("requirement").order_by("requirement__position"))
    ui_login(page, "vera@example.go.id", PASSWORD)
    page.goto(f"/permohonan/verifikasi/{app.pk}/")
    _tab_to(page, f"#acc-{documents[0].pk}", limit=120)
    for i, doc in enumerate(documents):
        # Focus is already on this document's "Accept" (the first from the Tab key, the others after the reload).
        assert page.evaluate("() => document.activeElement.id") == f"acc-{doc.pk}"
        if i == 1:  # return this one: arrow to "Return", type the reason
            page.keyboard.press("ArrowRight")
            assert page.evaluate("() => document.activeElement.id") == f"ret-{doc.pk}"
            page.keyboard.press("Tab")
            page.keyboard.type("Tidak terbaca")
        else:
            page.keyboard.press("Space")
            page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # the Record button
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if i + 1 < len(documents):
            expect(page.locator(f"#acc-{documents[i + 1].pk}")).to_be_focused()
    reviews = [d.review for d in app.documents.order_by("requirement__position")]
    assert reviews == ["accepted", "returned", "accepted", "accepted"]


def test_screen_reader_hears_each_upload_input_and_each_decision_named_after_its_document(browser, live_server, page):
    app = _applicant_with_draft(3)
    names = [d.requirement.name for d in app.documents.select_related("requirement").order_by("requirement__position")]
    ui_login(page, "ayu@example.go.id", PASSWORD)
    page.goto(f"/permohonan/{app.pk}/isi/dokumen/")
    # Chromium's full accessibility tree, as a screen reader gets it: one named file chooser per document.
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    announced = [n.get("name", {}).get("value", "") for n in tree if n.get("role", {}).get("value") == "button"]
    for doc_name in names:
        assert any(name.startswith(f"Berkas untuk “{doc_name}”") for name in announced), announced  # "*": mandatory
        assert f"Unggah “{doc_name}”" in announced, announced
        expect(page.get_by_label(f"Berkas untuk “{doc_name}”")).to_have_attribute("type", "file")
    ids = page.evaluate("() => [...document.querySelectorAll('input[type=file]')].map(i => i.id)")
    assert len(ids) == len(set(ids)) == 3

    profile = ProfileFactory(user=UserFactory(email="budi@example.go.id", roles=[Role.APPLICANT]))
    submitted = submitted_application(profile, scheme_with_parts(units=1, elements=1, documents=3))
    UserFactory(email="vera@example.go.id", roles=[Role.VERIFIER])
    page.context.clear_cookies()
    ui_login(page, "vera@example.go.id", PASSWORD)
    # The verifier goes document by document: each one's decision is named after it.
    page.goto(f"/permohonan/verifikasi/{submitted.pk}/")
    for n, doc in enumerate(submitted.documents.select_related("requirement").order_by("requirement__position")):
        if n:
            page.click("#doc-next")
        snapshot = page.locator("#current-doc").aria_snapshot()
        doc_name = doc.requirement.name
        assert f'group "Keputusan atas “{doc_name}”"' in snapshot, snapshot
        assert f'radio "Terima “{doc_name}”"' in snapshot, snapshot
        assert f'radio "Kembalikan “{doc_name}”"' in snapshot, snapshot
        assert f'textbox "Alasan mengembalikan “{doc_name}”"' in snapshot, snapshot
        assert f'button "Catat “{doc_name}”"' in snapshot, snapshot


def test_the_walks_check_each_state_s_contrast_in_one_language_and_a_faint_text_fails_there(page):
    """The walks leave ``color-contrast`` out of half their axe runs (a11y.CONTRAST_STATES): each state of a page
    (phone, desktop, phone menu, form errors) still has its contrast checked, in one of the two languages, and a
    text too faint to read is reported where the rule runs."""
    if not a11y.AXE_JS.exists():
        require_service("axe-core", "cd tests/a11y && npm ci")
    states = ("phone", "desktop", "menu open", "submitted empty")
    checked = [state for language in ("id", "en") for state in states if a11y.contrast_checked(language, state)]
    assert sorted(checked) == sorted(states)
    assert all(a11y.contrast_checked(None, state) for state in states)  # the other tests' checks: every rule
    page.goto("/privasi/")
    page.evaluate("""() => { const p = document.createElement('p'); p.id = 'faint'; p.textContent = 'Teks samar';
        p.style.color = '#e4e4e4'; p.style.background = '#ffffff'; document.querySelector('main').append(p); }""")
    assert [line for line in a11y.axe_lines(page, "/privasi/") if line.startswith("color-contrast")
            and "#faint" in line], "the faint text is not reported"
    assert not [line for line in a11y.axe_lines(page, "/privasi/", contrast=False) if "color-contrast" in line]
