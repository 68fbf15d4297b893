"""Switching the page's language as a person does, on any screen (on a phone the switch is in the menu)."""


def switch_language(page) -> None:
    if page.locator(".navbar-toggler").is_visible():
        page.locator(".navbar-toggler").click()
    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()


def page_fits(page) -> bool:
    """Nothing on the page is wider than the screen (the page itself never scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
