"""Playwright driving Debian's Chromium (/usr/bin/chromium, headless). Playwright never downloads a browser.

Where Debian's ``chromium-headless-shell`` is installed (``.ci/run`` installs it), the tests run in it: the same
Chromium engine (Blink and V8 of the same release) without the browser around it, so without its GPU process,
extensions and PDF viewer. The browser tests took a fifth less time in it (28 November 2026, 2 cores: the 66
slowest browser tests 737 s against 939 s in the whole Chromium; a crawl of one role 19.7 s of CPU against 23.0).
A test that looks at a file in Chromium's own PDF viewer, opened or framed in a page, is marked ``pdf_viewer`` and
runs in the whole Chromium: the shell downloads a PDF instead of showing it. ``CHROMIUM_SHELL_PATH=`` (empty) runs
every test in the whole Chromium.

Without Chromium the browser tests are skipped locally with an install hint; in CI (CI=true) they fail.
"""

import os
import shutil
import threading
import time

import pytest

from tests.conftest import require_service

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SHELL = os.environ.get("CHROMIUM_SHELL_PATH", shutil.which("chromium-headless-shell") or "")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


# A loaded 2-core machine (eight engineers, or CI's two workers) may take seconds to answer: every wait in a browser
# test is on a state (a selector, a request, a URL), bounded by this, never a short fixed pause.
TIMEOUT_MS = int(os.environ.get("BROWSER_TIMEOUT_MS", "30000"))
REQUEST_THREAD_GRACE = 60  # seconds a live-server request still running after its test may take to finish


def _live_server_requests() -> list[threading.Thread]:
    """The live server's request threads still running (socketserver names them after their target)."""
    return [t for t in threading.enumerate() if t.name.endswith("(process_request_thread)") and t.is_alive()]


def release_live_server_connection() -> None:
    """Leave the next test a clean connection whatever this test left behind.

    A request still running when its test gave up (a timeout) is let finish first. Then: on SQLite in memory the live
    server shares the test's one connection, so a transaction a request broke or left open (its ``atomic`` block
    state lives on that shared object) is rolled back here; on PostgreSQL each request has its own connection, closed
    when the request ends, and one still open in a transaction after the grace period is ended by the server."""
    from django.db import connections

    deadline = time.monotonic() + REQUEST_THREAD_GRACE
    for thread in _live_server_requests():
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = bool(_live_server_requests())
    for conn in connections.all(initialized_only=True):
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            if conn.in_atomic_block or conn.needs_rollback or not conn.get_autocommit():
                if conn.connection is not None:
                    conn.connection.rollback()
                conn.in_atomic_block, conn.needs_rollback, conn.closed_in_transaction = False, False, False
                conn.savepoint_ids, conn.atomic_blocks, conn.commit_on_exit = [], [], True
                conn.set_autocommit(True)
        elif conn.vendor == "postgresql" and stuck:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                            " AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'")


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, started only once the test database exists. Its own fixture may start first
    when a test names ``live_server`` among its arguments (pytest sets up session fixtures before the database
    fixture those arguments bring in): on SQLite in memory the server then opened a second connection to the shared
    in-memory database instead of sharing the test's, and the two locked each other's tables ("database table is
    locked") and saw each other's transactions half-done."""
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _clean_live_server_connection(request):
    """Set up after the test database (so torn down before its flush) for every test that uses the live server."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    release_live_server_connection()


# Every page a browser test opens reports what the browser refused or what broke: a Content Security Policy violation
# (the event, as well as Chromium's console line), a JavaScript error, an error on the console, a stylesheet, script,
# image or font the server did not serve. A test fails on any of them unless it expects one:
# ``@pytest.mark.console_errors_expected("pattern", ...)`` (regular expressions; none: any).
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at "
                + (e.sourceFile || document.location.href) + ":" + e.lineNumber);
});"""
ASSET_TYPES = {"stylesheet", "script", "image", "font"}


def watch(context, problems: list[str]) -> None:
    """Record into ``problems`` what goes wrong on every page of ``context`` (pages opened later too)."""
    context.add_init_script(CSP_LISTENER)

    def on_page(p):
        shown = {"type": "text/html"}  # the content type of the document in the tab

        def console(msg):
            # a document or fetch answering 4xx is the test's to judge (a refusal page, a 422 the page explains); a
            # file the portal serves (an uploaded image or PDF, under its own strict CSP and ``sandbox``) is shown
            # by Chromium's own viewer, whose inline styles and scripts that policy blocks, and framed in a page it
            # runs no script (sandbox): the protection at work, not a fault of the page
            if (msg.type == "error" and not msg.text.startswith("Failed to load resource")
                    and "text/html" in shown["type"] and "the document's frame is sandboxed" not in msg.text):
                problems.append(f"console error on {p.url}: {msg.text}")

        def response(resp):
            if resp.request.resource_type == "document" and resp.frame == p.main_frame:
                shown["type"] = resp.headers.get("content-type", "")
            if resp.status >= 400 and resp.request.resource_type in ASSET_TYPES:
                problems.append(f"{resp.request.resource_type} {resp.url} answered {resp.status} on {p.url}")

        p.on("console", console)
        def page_error(exc):
            # Chromium's own PDF viewer (a chrome:// extension framed in the page) throws "Assertion failed" from its
            # own scripts when a loaded machine is slow to lay it out: not a script of the portal's
            stack = getattr(exc, "stack", "") or ""
            if "chrome://" in stack or "chrome-extension://" in stack or (
                    str(exc).startswith("Assertion failed") and "http" not in stack):
                return
            problems.append(f"JavaScript error on {p.url}: {exc}")

        p.on("pageerror", page_error)
        p.on("response", response)

    context.on("page", on_page)


_seen: dict[str, list[str]] = {"problems": []}  # what the pages of the running test reported


@pytest.fixture(autouse=True)
def _console_guard(request):
    """Fail a browser test on a console error, a JavaScript error, a CSP violation or a missing asset it did not
    expect, on every page of every context it opens (the ``page`` fixtures or ``browser.new_context``)."""
    import re

    _seen["problems"] = problems = []
    yield
    marker = request.node.get_closest_marker("console_errors_expected")
    if marker is not None:
        problems = [p for p in problems if marker.args and not any(re.search(a, p) for a in marker.args)]
    if problems:
        pytest.fail("The browser reported what it should not have:\n" + "\n".join(dict.fromkeys(problems)),
                    pytrace=False)


def _launch(pw, path: str):
    b = pw.chromium.launch(executable_path=path, headless=True, args=ARGS)
    original = b.new_context

    def new_context(*args, **kwargs):
        context = original(*args, **kwargs)
        context.portal_url = kwargs.get("base_url")  # the live server's, where ui_login sets its session cookie
        context.set_default_timeout(TIMEOUT_MS)
        watch(context, _seen["problems"])
        return context

    b.new_context = new_context
    return b


@pytest.fixture(scope="session")
def _chromium():
    """The run's browsers, in a holder so that a browser that died can be replaced (see ``browser``): the headless
    shell where installed, and the whole Chromium, launched when a ``pdf_viewer`` test first asks for it."""
    if not os.path.exists(CHROMIUM):
        require_service("Chromium", "sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        held = {"pw": pw}
        alive(held)
        yield held
        for key in ("browser", "full"):
            if held.get(key) is not None and held[key].is_connected():
                held[key].close()


def alive(held: dict, full: bool = False):
    """The held browser (the whole Chromium if ``full`` and the shell is the default), launched if it is not yet
    running or in place of one that is no longer connected."""
    key = "full" if full and SHELL else "browser"
    if held.get(key) is None or not held[key].is_connected():
        held[key] = _launch(held["pw"], CHROMIUM if key == "full" else SHELL or CHROMIUM)
    return held[key]


@pytest.fixture
def browser(_chromium, request):
    """The run's Chromium; launched again if it is gone. A browser process that crashed (seen once in CI, during a
    page framing a PDF on a loaded machine) then fails the one test it crashed in, not every browser test after it
    in that worker."""
    b = alive(_chromium, full=request.node.get_closest_marker("pdf_viewer") is not None)
    yield b
    if b.is_connected():  # a context a failed test left open (its pages, a PDF viewer) is closed, not kept running
        for context in list(b.contexts):
            context.close()


# Both screens ask for reduced motion, as many people set it: Bootstrap then scrolls to an anchor (``#print``) and
# unfolds menus at once instead of animating them, so a click never lands on what a smooth scroll moved under the
# pointer (seen in CI: a button on a page opened at an anchor, "intercepted" by the form above it for 15 s).
@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900},
                                  reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized screen, as many applicants use."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    p = context.new_page()
    yield p
    context.close()


def form_login(page, email: str, password: str) -> None:
    """Log in through the login form, as a person does, and land where it sends them (the role's home)."""
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def ui_login(page, email: str, password: str, *, land: bool = False) -> None:
    """Be logged in as the account in the page's browser context, without the login form's two requests (half a
    second on 2 busy cores, and 150 tests log in); with ``land``, on the role's home, where :func:`form_login`
    leaves the tab (a home page renders its work queues: a quarter of a second more). Without it the tab stays
    where it was: the test opens its page next.

    The session is made by Django's own ``login()`` (the test client's ``force_login``: the login signal's stamps,
    the rotated token, ``last_login``), and only for an active account whose password is right: any other goes
    through the form, which says why. The form itself is tested where logging in is the point
    (tests/browser/test_roles.py, test_sessions.py, the accounts tests)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from certportal.accounts.models import User

    base = getattr(page.context, "portal_url", None)
    user = User.objects.filter(email=email.strip().lower()).first()
    if base is None or user is None or not user.is_active or not user.check_password(password):
        form_login(page, email, password)
        return
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": base, "httpOnly": True,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    if land:
        page.goto(reverse("home"))
        page.wait_for_load_state()


def document_frame_loaded(page) -> None:
    """Wait until the verifier's page has loaded the document it frames. Chromium's PDF viewer, starting up in that
    frame, closes a confirmation dialog opened meanwhile: the handler's ``accept()`` then fails ("No dialog is
    showing") and the act is never sent. Seen under load in about one run in ten of the verifier's tests; a test that
    asks first on that page waits for the network to go quiet (the viewer's own files included) before the click."""
    page.wait_for_load_state("networkidle")


def ui_logout(page) -> None:
    page.context.clear_cookies()


def cards_fit(locator) -> None:
    """A ``table-cards`` table (or any element) on a phone: nothing inside the element around it to scroll sideways,
    every row a card of the screen's width. The message names the element's width when it does not fit."""
    wrapper = locator.locator("xpath=..")
    assert wrapper.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), (
        f"{locator}: {wrapper.evaluate('e => e.scrollWidth')} px inside {wrapper.evaluate('e => e.clientWidth')} px")


def on_screen(locator) -> None:
    """The element's box lies across the screen's width (not past its edge, where a phone or tablet hides it)."""
    box, width = locator.bounding_box(), locator.page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (locator, box, width)
