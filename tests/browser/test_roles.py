import pytest
from playwright.sync_api import expect

from certportal import menus
from certportal.accounts.models import Role
from tests.browser.conftest import form_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_logs_in_and_lands_on_its_own_home(page, role):
    user = UserFactory(email=f"{role.value}@example.go.id", roles=[role])
    form_login(page, user.email, PASSWORD)
    assert "/akun/masuk/" not in page.url
    menu = page.get_by_test_id("role-menu")
    assert menu.is_visible() or page.locator(".navbar-toggler").is_visible()
    if role == Role.LSP_ADMIN:
        assert page.locator("a", has_text="Akun staf").count() >= 1
    elif role in (Role.APPLICANT, Role.ASSESSOR):
        assert page.locator("a", has_text="Akun staf").count() == 0
    assert page.url.endswith(menus.home_url_for(role)), page.url


def test_visitor_switches_language_and_a_user_keeps_it_on_another_device(page, browser, live_server):
    page.goto("/akun/masuk/")
    assert page.locator("h1", has_text="Masuk").is_visible()  # Indonesian by default
    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()
    assert page.locator("h1", has_text="Log in").is_visible()
    user = UserFactory(email="lang@example.go.id", roles=[Role.SUPERVISOR])
    form_login(page, user.email, PASSWORD)
    assert page.get_by_test_id("switch-language").inner_text() == "English"  # the account's language: id
    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()
    user.refresh_from_db()
    assert user.preferred_language == "en"
    other = browser.new_context(base_url=live_server.url).new_page()
    form_login(other, user.email, PASSWORD)
    assert other.locator("a", has_text="Log out").count() + other.locator("button", has_text="Log out").count() >= 1
    other.context.close()


def test_the_menu_collapses_on_a_phone(phone_page):
    user = UserFactory(email="hp@example.go.id", roles=[Role.LSP_ADMIN])
    form_login(phone_page, user.email, PASSWORD)
    toggler = phone_page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    staff_accounts = phone_page.locator("a", has_text="Akun staf").first
    administration = phone_page.locator("a.dropdown-toggle", has_text="Administrasi")
    expect(administration).to_be_visible()  # the menu has unfolded (Bootstrap animates it)
    expect(staff_accounts).not_to_be_visible()  # in the Administrasi group, folded
    administration.click()
    expect(staff_accounts).to_be_visible()
    staff_accounts.click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("h1").first.is_visible() and "/akun/" in phone_page.url
