"""A Chromium that died (seen once in CI: the browser process gone in the middle of a test, after which every browser
test of that pytest worker failed at set-up with "Target page, context or browser has been closed") is replaced for
the next test, which opens its pages as usual."""

import pytest

from tests.browser.conftest import SHELL, alive

pytestmark = pytest.mark.browser


def test_a_browser_that_died_is_launched_again_for_the_next_test(_chromium):
    first = alive(_chromium)
    first.close()  # as a crash leaves it: no longer connected
    assert not first.is_connected()
    second = alive(_chromium)
    assert second is not first and second.is_connected()
    context = second.new_context()
    page = context.new_page()
    page.set_content("<title>Portal</title><p id=ok>siap</p>")
    assert page.locator("#ok").inner_text() == "siap"
    context.close()
    assert alive(_chromium) is second  # a live browser is kept, not launched again


def _pdf_viewer_enabled(browser) -> bool:
    context = browser.new_context()
    try:
        return context.new_page().evaluate("navigator.pdfViewerEnabled")
    finally:
        context.close()


@pytest.mark.pdf_viewer
def test_a_test_that_looks_at_a_pdf_gets_chromiums_own_viewer(browser):
    assert _pdf_viewer_enabled(browser) is True


def test_the_other_tests_run_in_the_headless_shell_where_it_is_installed(browser):
    assert _pdf_viewer_enabled(browser) is not bool(SHELL)
