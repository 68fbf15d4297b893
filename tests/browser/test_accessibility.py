"""Issue 20: WCAG 2.1 AA. axe-core (WCAG 2.0/2.1 A and AA rules) over every role's pages, in both languages, at a
desktop and a phone width, with the phone menu open and forms showing their errors; a keyboard-only walk through the
applicant's upload step and the verifier's decisions; and Chromium's accessibility tree, read as a screen reader
would, naming each upload input and each verification control after its document."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from applicants import services as app_services
from applicants.samples import sample_pdf
from certportal.accounts.models import Role, User
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import submitted_application
from tests.browser import a11y
from tests.browser.conftest import TIMEOUT_MS, ui_login
from tests.conftest import require_service
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Demo-Portal-2026"  # noqa: S105 (the demo accounts' documented password)
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
DUPLICATE_IDS = """() => { const seen = {}, twice = new Set();
    document.querySelectorAll('[id]').forEach(e => { if (seen[e.id]) twice.add(e.id); seen[e.id] = 1; });
    return [...twice]; }"""


def _axe_context(browser, live_server, language: str):
    if not a11y.AXE_JS.exists():
        require_service("axe-core", "cd tests/a11y && npm ci")
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(path=str(a11y.AXE_JS))
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context


def _check_role(browser, live_server, role: str, language: str) -> list[str]:
    """Every page of ``role`` at both widths in ``language``: the violations, and any page whose ids repeat."""
    pages = a11y.public_pages() if role == "public" else a11y.role_pages(role)
    return _check_pages(browser, live_server, role, language, pages)


def _check_pages(browser, live_server, role: str, language: str, pages: list) -> list[str]:
    """Each page opened once at the desktop width, checked there, then at the phone's width (the menu opened on the
    first page) and, for a form, submitted empty back at the desktop width (``a11y.check_page``)."""
    context = _axe_context(browser, live_server, language)
    page = context.new_page()
    if role != "public":
        User.objects.filter(email=a11y.DEMO_USERS[role]).update(preferred_language=language)
        ui_login(page, a11y.DEMO_USERS[role], DEMO_PASSWORD)
    problems: list[str] = []
    for i, target in enumerate(pages):
        page.set_viewport_size(DESKTOP)
        lines = a11y.check_page(page, target, phone=PHONE, open_menu=i == 0, submit=target.submit_empty)
        problems += [f"[{role} {language}] {line}" for line in lines]
        if page.locator("html").get_attribute("lang") != language:  # the page really is in that language
            problems.append(f"[{role} {language}] {target.url} is not shown in {language}")
        twice = page.evaluate(DUPLICATE_IDS)
        if twice:
            problems.append(f"[{role} {language}] duplicate ids on {target.url}: {', '.join(twice)}")
    context.close()
    return problems


@pytest.mark.parametrize("role", ["public", *a11y.DEMO_USERS])
def test_no_serious_or_critical_axe_violation_on_any_page_of_any_role(browser, live_server, demo_committed, role):
    """One role a test (so that the walk's share is spread over the test processes), both languages."""
    pages = a11y.public_pages() if role == "public" else a11y.role_pages(role)
    assert pages
    problems: list[str] = []
    for language in ("id", "en"):
        problems += _check_pages(browser, live_server, role, language, pages)
    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)


@pytest.mark.django_db(transaction=False)
def test_the_walk_reaches_every_role_s_detail_pages_and_the_management_system(demo_data):
    """The walk above checks every role's menu and the detail pages behind it (more than 80 pages), the management
    system's pages of each role that owns them among them, each form submitted empty where it asks."""
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


def _open_file_chooser(page):
    """Space on the focused file input opens the chooser; a headless Chromium busy with a parallel test run now and
    then drops that key press, so the keyboard user presses again (Space, then Enter)."""
    for key in ("Space", "Enter", "Space"):
        try:
            with page.expect_file_chooser(timeout=5000) as chooser:
                page.keyboard.press(key)
            return chooser.value
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("the file chooser did not open from the keyboard")


def test_applicant_uploads_every_document_with_the_keyboard_only(browser, live_server, page):
    app = _applicant_with_draft(3)
    documents = list(app.documents.select_related("requirement").order_by("requirement__position"))
    ui_login(page, "ayu@example.go.id", PASSWORD)
    page.goto(f"/permohonan/{app.pk}/isi/dokumen/")
    for doc in documents:
        selector = f"#id_doc{doc.pk}_file"
        _tab_to(page, selector)
        expect(page.locator(selector)).to_be_focused()
        # The file chooser opens on Space (or Enter), as a keyboard user opens it; the test answers it with a file.
        chooser = _open_file_chooser(page)
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
