"""Acceptance for issue 19, in the browser, in Indonesian: one experienced and one inexperienced participant go
through the assessment as BNSP audits it.

plan (an assessor makes it with a written multiple-choice test added, a second validates it) → the event keeps it →
both parties consent to FR.AK.01 → each participant takes FR.IA.05 in the browser → the assessor fills and signs
FR.IA.08 (portfolio verification) and FR.IA.09 for Alice, FR.IA.01 and FR.IA.07 for Bob → the unit results follow
from those records (a K on an insufficient record is refused; Bob's unit is BK) → FR.AK.03 → FR.AK.05 → FR.AK.06 →
pleno → certificate; the assessment file PDF read back holds every form's code and the participants' answers; and
no participant sees a question outside their own running test.

Set-up that other tests cover in the browser (the SOP steps, attendance, the berita acara) goes through services.
"""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments import services
from assessments.certificates.models import Certificate
from assessments.events.models import UnitResult
from assessments.instruments.models import AssessmentPlan, InstrumentRecord, WrittenTest
from assessments.instruments.services import bank
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    give_criteria,
    give_portfolio,
    make_application,
    make_assessor,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
    the_test_day_arrives,
)
from tests.assessments.written_factories import SCHEME_INSTRUMENTS, fill_bank, right_choice, wrong_choice
from tests.browser.conftest import ui_login, ui_logout
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTERVIEW_ANSWER = "Saya menyusun SOP loket dan melatih tiga petugas baru"
ORAL_ANSWER = "Menyapa, menanyakan kebutuhan, lalu memberi informasi yang benar"


@pytest.fixture
def world(db):
    scheme = scheme_with_units(2)
    people = {
        "lina": UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN]),
        "asa": UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR]),
        "oscar": UserFactory(full_name="Oscar Other Assessor", email="oscar@example.go.id", roles=[Role.ASSESSOR]),
        "tono": UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD]),
        "quinn": UserFactory(full_name="Quinn Quality", email="quinn@example.go.id", roles=[Role.QUALITY]),
        "alice": UserFactory(full_name="Alice Applicant", email="alice@example.go.id", roles=[Role.APPLICANT]),
        "bob": UserFactory(full_name="Bob Applicant", email="bob@example.go.id", roles=[Role.APPLICANT]),
    }
    for name in ("asa", "oscar"):
        make_assessor(people[name], schemes=[scheme])
    services.scheme_instruments_set(scheme, actor=people["lina"], instruments=SCHEME_INSTRUMENTS)
    units = [su.unit for su in scheme.scheme_units.order_by("position")]
    for unit in units:
        give_criteria(unit)
        fill_bank(unit, actor=people["lina"], count=3)
        for instrument, text in (("IA.09", "Ceritakan dokumen portofolio yang paling menunjukkan kompetensi Anda."),
                                 ("IA.07", "Bagaimana Anda melayani pelanggan yang baru datang?")):
            bank.bank_item_save(unit, actor=people["lina"], instrument=instrument,
                                data=bank.ItemData(text=f"{text} ({unit.code})", expected="Sesuai SOP layanan"))
    alice_app = make_application(scheme, people["alice"], experienced=True, name="Alice Applicant, S.Sos.")
    bob_app = make_application(scheme, people["bob"], experienced=False, name="Bob Applicant, S.E.")
    give_portfolio(alice_app)
    return {"scheme": scheme, "units": units, "apps": (alice_app, bob_app), **people}


def as_user(page, user) -> None:
    ui_logout(page)
    ui_login(page, user.email, PASSWORD, land=True)


def ok(page) -> None:
    page.wait_for_load_state()
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").all_inner_texts()


def fits(page, width: int = 390) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def make_and_validate_the_plan(page, w) -> AssessmentPlan:
    """Asa makes the plan from the seed-000 rule and adds the browser test for both groups; Oscar validates."""
    ui_login(page, w["asa"].email, PASSWORD)
    page.goto(f"/asesmen/rencana/skema/{w['scheme'].pk}/")
    page.click("#make-plan")
    ok(page)
    for card in page.locator(".plan-unit").all():
        for group in ("worker_std", "training_std"):  # the two potentials seed 000 gives participants
            slot = card.locator(f"[data-group={group}] .new-row")
            slot.locator("select").first.select_option("IA.05")
            slot.locator("select").nth(1).select_option("T")
            slot.locator("textarea").fill("Jawaban pertanyaan tertulis pilihan ganda")
    page.fill("#id_written_questions_per_unit", "3")
    page.click("#save-plan")
    ok(page)
    expect(page.locator("[data-refused='assessments.assessmentplan.validated']")).to_contain_text("asesor kedua")
    plan_url = page.url
    as_user(page, w["oscar"])
    page.goto(plan_url)
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("[data-action='assessments.assessmentplan.validated'] button")
    ok(page)
    expect(page.locator("#plan-status")).to_have_text("Divalidasi: berlaku")
    plan = AssessmentPlan.objects.get(scheme=w["scheme"])
    assert plan.validated_by == w["oscar"] and plan.evidence.filter(instrument="IA.05").count() == 4
    return plan


def consent_and_start_the_test(page, p, user) -> WrittenTest:
    """The participant types their name to consent to FR.AK.01, then starts FR.IA.05 on their phone."""
    as_user(page, user)
    page.goto(f"/asesmen/saya/{p.pk}/")
    expect(page.locator("#agreement")).to_contain_text("FR.AK.01")
    page.fill("#agreement-name", user.full_name)
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#accept-agreement")
    ok(page)
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#start-written-test")
    ok(page)
    fits(page)
    test = WrittenTest.objects.get(participant=p)
    assert len(test.questions) == 6  # three per unit, drawn for this participant
    return test


def answer_and_submit(page, p, user, test, *, wrong_in_unit=None) -> WrittenTest:
    """Every answer autosaved (the key, or a wrong option in ``wrong_in_unit``), then submitted."""
    as_user(page, user)
    page.goto(f"/asesmen/saya/{p.pk}/ujian-tertulis/")
    for q in test.questions:
        wrong = wrong_in_unit is not None and q["unit"] == wrong_in_unit.pk
        choice = wrong_choice(test, q["item"]) if wrong else right_choice(test, q["item"])
        page.click(f"label[for=q-{q['item']}-{choice}]")
        page.locator(f'fieldset[data-item="{q["item"]}"][data-state="saved"]').wait_for()
    page.check("#confirm-submit")
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#submit-test")
    ok(page)
    expect(page.locator("#written-test-scores")).to_be_visible()
    body = page.locator("main").inner_text()
    assert not [q["text"] for q in test.questions if q["text"] in body]  # the score, never a question
    test.refresh_from_db()
    assert test.status == "submitted"
    return test


def sign_record(page, p, unit, code: str, signer, *, answer: str = "") -> InstrumentRecord:
    """The assessor fills one instrument form Ya everywhere (with ``answer`` for the bank items) and signs it."""
    page.goto(f"/asesmen/peserta/{p.pk}/instrumen/{unit.pk}/{code.lower().replace('.', '')}/")
    rows = page.locator("#record-form .instrument-row")
    assert rows.count() > 0
    for key in [r.get_attribute("data-key") for r in rows.all()]:
        for name in {"IA.01": ["achieved"], "IA.08": ["valid", "authentic", "current", "sufficient"]}.get(
                code, ["satisfactory"]):
            page.click(f"label[for={name}_{key}_ya]")
        if answer:
            page.fill(f"#answer_{key}", answer)
    page.fill("#id_signed_name", signer.full_name)
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#sign-record")
    ok(page)
    record = InstrumentRecord.objects.get(participant=p, unit=unit, instrument=code)
    assert (record.status, record.outcome) == ("signed", "satisfactory")
    return record


def record_result(page, p, unit, result: str, *, explanation: str = "") -> None:
    page.goto(f"/asesmen/peserta/{p.pk}/")
    row = page.locator(f'.unit-row[data-unit="{unit.code}"]')
    row.locator(f'label[for="result_{unit.pk}_{result}"]').click()
    if explanation:
        details = row.locator("details.unit-evidence")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        row.locator(f"#explanation_{unit.pk}").fill(explanation)
    page.click("#save-results")
    page.wait_for_load_state()


def test_two_participants_go_from_the_plan_to_the_certificate_on_their_instruments(page, phone_page, world):
    w, (unit1, unit2) = world, world["units"]
    plan = make_and_validate_the_plan(page, w)

    event = planned_event(actor=w["lina"], scheme=w["scheme"], site=SiteFactory(head=w["tono"]),
                          assessor=w["asa"].assessor, applications=w["apps"])
    assert event.plan_id == plan.pk  # the event keeps the plan in force when it was planned
    run_steps(event, 4, admin=w["lina"], tuk_head=w["tono"])
    the_test_day_arrives(event)
    mark_all_present(event, actor=w["asa"])
    alice_p = event.participants.get(application__applicant=w["alice"])
    bob_p = event.participants.get(application__applicant=w["bob"])

    # --- the participants: FR.AK.01 and the browser multiple-choice test, on their phones -----------------------
    ui_login(phone_page, w["bob"].email, PASSWORD, land=True)
    bob_test = consent_and_start_the_test(phone_page, bob_p, w["bob"])  # Bob's test runs while Alice takes hers
    alice_test = consent_and_start_the_test(phone_page, alice_p, w["alice"])
    answer_and_submit(phone_page, alice_p, w["alice"], alice_test)
    # Alice sees no question outside her own running test: not Bob's, not the staff answer sheet, not the bank
    for url in (f"/asesmen/saya/{bob_p.pk}/ujian-tertulis/", f"/asesmen/peserta/{alice_p.pk}/ujian-tertulis/",
                f"/asesmen/peserta/{alice_p.pk}/fr-ia-05.pdf", f"/asesmen/bank-soal/{w['scheme'].pk}/",
                f"/asesmen/bank-soal/{w['scheme'].pk}/unit/{unit1.pk}/IA.05/"):
        response = phone_page.goto(url)
        assert response.status == 403, url
        assert not [q["text"] for q in bob_test.questions + alice_test.questions if q["text"] in phone_page.content()]
    phone_page.goto(f"/asesmen/saya/{alice_p.pk}/ujian-tertulis/")
    assert phone_page.locator("fieldset.test-question").count() == 0  # submitted: the score only
    answer_and_submit(phone_page, bob_p, w["bob"], bob_test, wrong_in_unit=unit2)

    # --- the assessor: FR.AK.01, the instruments the plan asks, and results that follow from them -------------------
    as_user(page, w["asa"])
    for p in (alice_p, bob_p):
        page.goto(f"/asesmen/peserta/{p.pk}/")
        page.fill("#assessor-consent-name", w["asa"].full_name)
        page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
        page.click("#assessor-consent")
        ok(page)
    for unit in (unit1, unit2):
        sign_record(page, alice_p, unit, "IA.08", w["asa"])  # portfolio verification, each document four checks
        sign_record(page, alice_p, unit, "IA.09", w["asa"], answer=INTERVIEW_ANSWER)
        sign_record(page, bob_p, unit, "IA.01", w["asa"])  # every KUK observed
        sign_record(page, bob_p, unit, "IA.07", w["asa"], answer=ORAL_ANSWER)
    for unit in (unit1, unit2):
        record_result(page, alice_p, unit, "K")
        ok(page)
    record_result(page, bob_p, unit1, "K")
    ok(page)
    record_result(page, bob_p, unit2, "K")  # his written test in unit 2 fell short: K is refused
    expect(page.locator(".alert-danger").first).to_contain_text("FR.IA.05")
    assert not UnitResult.objects.filter(participant=bob_p, unit=unit2).exists()
    record_result(page, bob_p, unit2, "BK", explanation="Jawaban tertulis unit ini belum memadai.")
    ok(page)
    for p, unit, result, instruments in ((alice_p, unit1, "K", ("IA.08", "IA.09", "IA.05")),
                                         (bob_p, unit1, "K", ("IA.01", "IA.07", "IA.05")),
                                         (bob_p, unit2, "BK", ("IA.05",))):
        row = UnitResult.objects.get(participant=p, unit=unit)
        assert row.result == result and not row.evidence_gap_reason
        assert all(f"FR.{code}" in row.evidence for code in instruments), row.evidence

    # --- FR.AK.03 by Alice, the berita acara (set-up), FR.AK.05 by the assessor, FR.AK.06 by quality --------------
    as_user(phone_page, w["alice"])
    phone_page.goto(f"/asesmen/saya/{alice_p.pk}/")
    phone_page.click("#give-feedback")
    phone_page.wait_for_load_state()
    for n in range(1, 11):
        phone_page.click(f"label[for=id_answer_{n}_0]")
    phone_page.fill("#id_comment_5", "Saya diberi kesempatan penuh menunjukkan portofolio")
    phone_page.fill("#id_signed_name", "Alice Applicant")
    phone_page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    phone_page.click("#send-feedback")
    ok(phone_page)
    event = run_steps(event, 5, admin=w["lina"], tuk_head=w["tono"], assessor_user=w["asa"])
    services.report_sign_as_assessor(event, actor=w["asa"])
    event = run_steps(event, 6, admin=w["lina"], tuk_head=w["tono"])

    page.goto(f"/asesmen/acara/{event.pk}/")
    page.click("#ak05-write")
    page.wait_for_load_state()
    page.fill("#id_aspects", "Asesi kooperatif; instrumen mudah dipakai di TUK")
    page.fill("#id_signed_name", w["asa"].full_name)
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#sign-ak05")
    ok(page)
    as_user(page, w["quinn"])
    page.goto(f"/asesmen/acara/{event.pk}/")
    page.click("#ak06-write")
    page.wait_for_load_state()
    for aspect in page.locator(".review-aspect").all():
        page.check(f"#id_met_{aspect.get_attribute('data-aspect')}_0")
    page.fill("#id_signed_name", w["quinn"].full_name)
    page.once("dialog", lambda d: d.accept())  # it asks first, stating its consequence
    page.click("#sign-ak06")
    ok(page)
    event = run_steps(event, 7, admin=w["lina"], tuk_head=w["tono"], quality=w["quinn"])

    # --- the pleno decides, the certificate is issued -------------------------------------------------------------
    as_user(page, w["lina"])
    page.goto(f"/asesmen/acara/{event.pk}/")
    page.click("#event-pleno")
    page.wait_for_load_state()
    page.fill("input[name=decree_number]", "KEP.019/LSP/PLENO/2026")
    page.fill("input[name=held_on]", timezone.localdate().isoformat())
    page.check(f"#member-{w['quinn'].pk}")
    page.click("#pleno-create")
    ok(page)
    for name, button in (("Alice Applicant", ".decide-k"), ("Bob Applicant", ".decide-bk")):
        page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
        page.locator(".awaiting", has_text=name).locator(button).click()
        ok(page)
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    page.click("#pleno-close")
    ok(page)
    phone_page.goto(f"/asesmen/saya/{alice_p.pk}/")
    phone_page.click("#accept-obligations")
    ok(phone_page)
    page.goto(f"/asesmen/peserta/{alice_p.pk}/")
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    page.click("#issue-certificate")
    ok(page)
    certificate = Certificate.objects.get(participant=alice_p)
    assert certificate.snapshot["decree_number"] == "KEP.019/LSP/PLENO/2026"

    # --- the assessment file: every form's code and the participants' answers ----------------------------------
    texts = {}
    for p in (alice_p, bob_p):
        page.goto(f"/asesmen/peserta/{p.pk}/")
        page.click("#assessment-file", timeout=120_000)  # a job (run in the request without a broker): its page, then
        page.locator("#job-download").wait_for(timeout=120_000)  # the download it offers when done
        response = page.request.get(page.locator("#job-download").get_attribute("href"), timeout=120_000)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        texts[p.pk] = " ".join((pg.extract_text() or "") for pg in PdfReader(io.BytesIO(response.body())).pages)
        texts[p.pk] = re.sub(r"\s+", " ", texts[p.pk])
    alice_file, bob_file = texts[alice_p.pk], texts[bob_p.pk]
    for code in ("FR.APL.01", "FR.APL.02", "FR.MAPA.01", "FR.MAPA.02", "FR.AK.01", "FR.IA.05", "FR.IA.08",
                 "FR.IA.09", "FR.AK.02", "FR.AK.03", "FR.AK.05", "FR.AK.06"):
        assert code in alice_file, code
    for code in ("FR.IA.01", "FR.IA.07", "FR.IA.05", "FR.AK.02"):
        assert code in bob_file, code
    assert INTERVIEW_ANSWER in alice_file and ORAL_ANSWER in bob_file  # the answers the assessor recorded
    assert "Saya diberi kesempatan penuh" in alice_file  # Alice's feedback
    assert "Alice Applicant" in alice_file and "KEP.019/LSP/PLENO/2026" in alice_file
    first = alice_test.questions[0]
    assert re.sub(r"\s+", " ", first["options"][first["key"]])[:30] in alice_file  # her answer to FR.IA.05
