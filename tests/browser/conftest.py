"""Playwright driving Debian's Chromium (/usr/bin/chromium, headless). Playwright never downloads a browser.

Without Chromium the browser tests are skipped locally with an install hint; in CI (CI=true) they fail.
"""

import os
import shutil

import pytest

from tests.conftest import require_service

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        require_service("Chromium", "sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


# Both screens ask for reduced motion, as many people set it: Bootstrap then scrolls to an anchor (``#print``) and
# unfolds menus at once instead of animating them, so a click never lands on what a smooth scroll moved under the
# pointer (seen in CI: a button on a page opened at an anchor, "intercepted" by the form above it for 15 s).
@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900},
                                  reduced_motion="reduce")
    context.set_default_timeout(15000)
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized screen, as many applicants use."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, reduced_motion="reduce")
    context.set_default_timeout(15000)
    p = context.new_page()
    yield p
    context.close()


def ui_login(page, email: str, password: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def ui_logout(page) -> None:
    page.context.clear_cookies()
