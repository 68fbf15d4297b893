"""Acceptance (issue 19 item 2), in Indonesian on a 390 px phone: the participant takes her written multiple-choice
test (FR.IA.05) — an answer survives a reload (autosave, and kept on the device while the connection is lost),
she submits after confirming, sees her score per unit and no question; another participant's test is refused."""

import re

import pytest
from playwright.sync_api import expect

from assessments.instruments.models.plans import BankKeeper
from assessments.instruments.models.records import WrittenTest
from assessments.instruments.services import written_test as written_test_services
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    agree,
    make_application,
    make_assessor,
    planned_event,
    scheme_with_units,
)
from tests.assessments.written_factories import fill_bank, plan_with_written_test, right_choice
from tests.browser.conftest import ui_login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def exam(db):
    scheme = scheme_with_units(2)
    lina = UserFactory(full_name="Lina LSP Admin", roles=[Role.LSP_ADMIN])
    asa = UserFactory(full_name="Asa Assessor", roles=[Role.ASSESSOR])
    alice = UserFactory(full_name="Alice Applicant", email="alice@example.go.id", roles=[Role.APPLICANT])
    bob = UserFactory(full_name="Bob Applicant", email="bob@example.go.id", roles=[Role.APPLICANT])
    plan_with_written_test(scheme, admin=lina, per_unit=2, minutes=20)
    for su in scheme.scheme_units.all():
        fill_bank(su.unit, actor=lina, count=4)
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(), assessor=make_assessor(asa, schemes=[scheme]),
                          applications=[make_application(scheme, alice, name="Alice Applicant, S.Sos."),
                                        make_application(scheme, bob, name="Bob Applicant, S.E.")])
    for p in event.participants.select_related("application__applicant"):
        agree(p)
    return {"alice": alice, "bob": bob, "event": event,
            "alice_p": event.participants.get(application__applicant=alice),
            "bob_p": event.participants.get(application__applicant=bob)}


def test_alice_takes_the_written_test_on_her_phone(phone_page, exam):
    page, p = phone_page, exam["alice_p"]
    bob_test = written_test_services.written_test_start(exam["bob_p"], user=exam["bob"])  # Bob's runs too
    ui_login(page, exam["alice"].email, PASSWORD)
    page.goto(f"/asesmen/saya/{p.pk}/")
    expect(page.locator("#written-test")).to_contain_text("Tes tertulis pilihan ganda (FR.IA.05)")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#start-written-test")
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Tes tertulis Anda sudah dimulai.")
    expect(page.locator("fieldset.test-question")).to_have_count(4)
    expect(page.locator("#test-timer")).to_have_text(re.compile(r"^1[89]:\d\d$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    test = WrittenTest.objects.get(participant=p)
    first, second = test.questions[0], test.questions[1]

    # an answer is saved as it is chosen, and is there after a reload
    page.click(f"label[for=q-{first['item']}-{right_choice(test, first['item'])}]")
    page.locator(f'fieldset[data-item="{first["item"]}"][data-state="saved"]').wait_for()
    expect(page.locator(f'fieldset[data-item="{first["item"]}"] .state')).to_have_text("tersimpan")
    page.reload()
    expect(page.locator(f"#q-{first['item']}-{right_choice(test, first['item'])}")).to_be_checked()
    expect(page.locator("#test-answered")).to_have_text("1")

    # the connection drops: the answer is kept on the phone, marked, and sent once it is back
    page.context.set_offline(True)
    page.click(f"label[for=q-{second['item']}-{right_choice(test, second['item'])}]")
    fieldset = page.locator(f'fieldset[data-item="{second["item"]}"]')
    expect(fieldset.locator(".state")).to_have_text("belum tersimpan")
    expect(page.locator("#test-status")).to_contain_text("Jawaban yang belum tersimpan: 1")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator(f'fieldset[data-item="{second["item"]}"][data-state="saved"]').wait_for()
    test.refresh_from_db()
    assert len(test.answers) == 2

    # submitting asks for the confirmation first
    page.click("#submit-test")
    assert WrittenTest.objects.get(pk=test.pk).status == "running"  # the browser stopped it: box not ticked
    page.check("#confirm-submit")
    # then it asks, stating its consequence; saying no submits nothing and keeps an answer not saved yet on the phone
    third = test.questions[2]
    page.context.set_offline(True)
    wrong = page.locator(f"fieldset[data-item='{third['item']}'] input[type=radio]"
                         f":not([value='{right_choice(test, third['item'])}'])").first.get_attribute("id")
    page.click(f"label[for={wrong}]")  # a wrong answer: the scores below stay as they were
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    with page.expect_event("dialog"):  # asked
        page.click("#submit-test")
    assert asked and "Kirim jawaban uji tertulis Anda (FR.IA.05)?" in asked[0], asked
    assert WrittenTest.objects.get(pk=test.pk).status == "running"
    assert page.evaluate(f"localStorage.getItem('ia05:{test.pk}:{third['item']}')") is not None
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator(f'fieldset[data-item="{third["item"]}"][data-state="saved"]').wait_for()
    page.once("dialog", lambda d: d.accept())
    page.click("#submit-test")
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Jawaban Anda sudah diserahkan dan dinilai.")
    scores = page.locator("#written-test-scores")
    expect(scores.locator("tr.written-score")).to_have_count(2)
    expect(scores).to_contain_text("2 / 2")
    expect(scores).to_contain_text("0 / 2")
    body = page.locator("main").inner_text()
    for q in test.questions:
        assert q["text"] not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # the test page no longer shows the questions; Bob's test is refused
    page.goto(f"/asesmen/saya/{p.pk}/ujian-tertulis/")
    expect(page.locator("#written-test-scores")).to_be_visible()
    assert page.locator("fieldset.test-question").count() == 0
    response = page.goto(f"/asesmen/saya/{exam['bob_p'].pk}/ujian-tertulis/")
    assert response.status == 403
    assert bob_test.questions[0]["text"] not in page.content()


def test_the_test_and_bank_pages_pass_axe_on_a_phone_and_a_desktop(browser, live_server, exam):
    """WCAG 2.1 A/AA (axe-core): the running test on a phone, the bank and the answer sheet on a desktop."""
    from tests.browser import a11y
    from tests.browser.test_accessibility import _axe_context
    from tests.conftest import require_service

    if not a11y.AXE_JS.exists():
        require_service("axe-core", "cd tests/a11y && npm ci")
    p, alice = exam["alice_p"], exam["alice"]
    test = written_test_services.written_test_start(p, user=alice)
    phone = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True)
    page = phone.new_page()
    ui_login(page, alice.email, PASSWORD, land=True)
    found = a11y.check_page(page, a11y.Page(f"/asesmen/saya/{p.pk}/ujian-tertulis/"))
    phone.close()
    written_test_services.written_test_submit(test, user=alice)
    scheme, unit = exam["event"].scheme, exam["event"].scheme.scheme_units.first().unit
    lina = UserFactory(full_name="Lina Dua", roles=[Role.LSP_ADMIN])
    BankKeeper.objects.create(scheme=scheme, user=lina)  # she reads the keys and edits the items
    desk = _axe_context(browser, live_server, "id")
    page = desk.new_page()
    ui_login(page, lina.email, PASSWORD, land=True)
    for url in (f"/asesmen/bank-soal/{scheme.pk}/", f"/asesmen/bank-soal/{scheme.pk}/unit/{unit.pk}/IA.05/",
                f"/asesmen/bank-soal/{scheme.pk}/butir/{test.questions[0]['item']}/",
                f"/asesmen/peserta/{p.pk}/ujian-tertulis/", f"/asesmen/peserta/{p.pk}/"):
        found += a11y.check_page(page, a11y.Page(url))
    desk.close()
    assert found == []
