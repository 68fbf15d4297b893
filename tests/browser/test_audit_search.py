"""The audit search as an LSP admin uses it in front of an auditor, by keyboard, in Indonesian: an application's
number gives that application's entries alone, the box under the object field adds the names that hold the number,
and a person's name gives their entries; the form (now drawn without crispy-forms) has its labels, keeps what was
asked, shows an error on its field, and has no serious or critical axe violation with the error shown."""

import pytest
from django.contrib.contenttypes.models import ContentType

from certportal.accounts.models import Role, User
from certportal.audit.models import AuditEntry
from tests.browser import a11y
from tests.browser.conftest import TIMEOUT_MS, ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _entry(actor, object_id: str, what: str) -> None:
    AuditEntry.objects.create(actor=actor, actor_name=actor.full_name, content_type=ContentType.objects.get_for_model(
        User), object_id=object_id, object_repr=what, action="status", from_state="inactive", to_state="active")


def _search(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_lsp_admin_finds_an_object_by_its_number_and_a_person_by_name(browser, live_server):
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    victor = UserFactory(full_name="Victor Verifier", email="victor@example.go.id", roles=[Role.VERIFIER])
    _entry(victor, "12345", "Permohonan #12345")
    _entry(lina, "7", "Permohonan #112345")
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    ui_login(page, lina.email, PASSWORD)
    page.goto("/audit/")
    page.get_by_label("Objek (id atau nama)").focus()
    page.keyboard.type("12345")
    _search(page)
    rows = page.locator("tbody")
    assert "Permohonan #12345" in rows.inner_text() and "#112345" not in rows.inner_text()
    assert page.get_by_label("Objek (id atau nama)").input_value() == "12345"
    box = page.get_by_label("Cari angka itu juga di nama objek")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.get_by_label("Objek (id atau nama)").focus()
    _search(page)
    assert "#112345" in rows.inner_text() and page.get_by_label("Cari angka itu juga di nama objek").is_checked()

    page.goto("/audit/")
    page.get_by_label("Orang (nama atau e-mail)").focus()
    page.keyboard.type("victor")
    _search(page)
    assert "Permohonan #12345" in rows.inner_text() and "#112345" not in rows.inner_text()
    assert "nonaktif\taktif" in rows.inner_text()  # the states in the reader's language, not the stored value

    page.goto("/audit/?obj=" + "x" * 101)
    assert page.get_by_label("Objek (id atau nama)").get_attribute("aria-invalid") == "true"
    assert "paling panjang 100 karakter" in page.locator("#id_obj_error").inner_text()
    assert a11y.run_axe(page) == []
    context.close()
