"""Acceptance (issue 13): results and decisions cannot contradict the calendar or each other, in the browser.

(i) On 23 November an event dated 8 December: the assessor is offered no results form and the LSP admin no
decision button; the page says why, with the date, and the service refuses a forged post the same way, in
Indonesian and in English. (ii) A BK result corrected to K after the decision: the participant is back to
"awaiting decision" with recommendation K, the old result letter shows as withdrawn, a new decision is taken and
the new letter (read back from its PDF) says K.
"""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from assessments.certificates import services as certs
from assessments.certificates.models import ResultLetter
from assessments.events.models import Event, EventStatus, Participant
from certportal.accounts.models import Role
from tests.assessments.factories import (
    SiteFactory,
    agree,
    decide_event,
    make_application,
    make_assessor,
    planned_event,
    run_steps,
    scheme_with_units,
    signed_records,
)
from tests.browser.conftest import ui_login, ui_logout
from tests.browser.pleno import decide_in_pleno
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOVEMBER_23 = datetime.datetime(2026, 11, 23, 10, 0)
DECEMBER_8 = datetime.datetime(2026, 12, 8, 9, 0)


def as_user(page, user):
    ui_logout(page)
    ui_login(page, user.email, PASSWORD, land=True)


def _post(page, url: str, data: dict) -> str:
    """A forged post with the page's CSRF token (what a button would send, had it been offered)."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    response = page.request.post(url, form={"csrfmiddlewaretoken": token, **data},
                                 headers={"Referer": page.url})
    return response.text()


@pytest.fixture
def people(db):
    scheme = scheme_with_units(2)
    tono = UserFactory(full_name="Tono Kepala TUK", email="tono@example.go.id", roles=[Role.TUK_HEAD])
    asa = UserFactory(full_name="Asa Assessor", email="asa@example.go.id", roles=[Role.ASSESSOR])
    lina = UserFactory(full_name="Lina LSP Admin", email="lina@example.go.id", roles=[Role.LSP_ADMIN])
    alice = UserFactory(full_name="Alice Applicant", email="alice@example.go.id", roles=[Role.APPLICANT])
    bob = UserFactory(full_name="Bob Applicant", email="bob@example.go.id", roles=[Role.APPLICANT])
    return {"scheme": scheme, "site": SiteFactory(head=tono), "tono": tono, "asa": asa, "lina": lina,
            "alice": alice, "bob": bob, "assessor": make_assessor(asa, schemes=[scheme])}


def test_nothing_is_recorded_or_decided_before_the_test_day(page, people):
    p = people
    with time_machine.travel(timezone.make_aware(NOVEMBER_23), tick=True):
        starts = timezone.make_aware(DECEMBER_8)
        # An event confirmed ahead of its day (steps 1-4), Alice has accepted FR.AK.01.
        event = planned_event(actor=p["lina"], scheme=p["scheme"], site=p["site"], assessor=p["assessor"],
                              applications=[make_application(p["scheme"], p["alice"], name="Alice Applicant")])
        Event.objects.filter(pk=event.pk).update(starts_at=starts)
        run_steps(event, 4, admin=p["lina"], tuk_head=p["tono"])
        alice_p = Participant.objects.get(event=event)
        agree(alice_p)
        # A record the old portal let staff produce: a reviewed event dated 8 December awaiting a decision.
        other = planned_event(actor=p["lina"], scheme=p["scheme"], site=p["site"], assessor=p["assessor"],
                              applications=[make_application(p["scheme"], p["bob"], name="Bob Applicant")])
        Event.objects.filter(pk=other.pk).update(starts_at=starts, status=EventStatus.REVIEWED)
        bob_p = Participant.objects.get(event=other)
        Participant.objects.filter(pk=bob_p.pk).update(status="awaiting_decision", recommendation="K")
        unit = p["scheme"].scheme_units.order_by("position").first().unit

        for language, day in (("id", "8 Desember 2026"), ("en", "8 December 2026")):
            for user in (p["asa"], p["lina"]):
                user.preferred_language = language
                user.save(update_fields=["preferred_language"])
            as_user(page, p["asa"])
            page.goto(f"/asesmen/peserta/{alice_p.pk}/")
            assert page.locator("#save-results").count() == 0 and page.locator(".result-choice").count() == 0
            assert day in page.locator("#record-refused").inner_text()
            answer = _post(page, f"/asesmen/peserta/{alice_p.pk}/",
                           {f"result_{unit.pk}": "K", f"evidence_{unit.pk}": "Portofolio"})
            assert day in answer and unit.code in answer

            as_user(page, p["lina"])
            page.goto(f"/asesmen/peserta/{bob_p.pk}/")
            assert page.locator("#decide-k").count() == 0 and page.locator("#decide-bk").count() == 0
            assert day in page.locator("#decide-refused").inner_text()
            answer = _post(page, f"/asesmen/peserta/{bob_p.pk}/keputusan/", {"decision": "K", "note": ""})
            assert day in answer
    assert not alice_p.results.exists()
    bob_p.refresh_from_db()
    assert bob_p.decision == "" and bob_p.status == "awaiting_decision"


def test_a_bk_corrected_to_k_after_the_decision_gets_a_new_decision_and_a_new_letter(page, people):
    p = people
    event = planned_event(actor=p["lina"], scheme=p["scheme"], site=p["site"], assessor=p["assessor"],
                          applications=[make_application(p["scheme"], p["bob"], name="Bob Applicant")])
    first = p["scheme"].scheme_units.order_by("position").first().unit
    decide_event(event, admin=p["lina"], tuk_head=p["tono"], assessor_user=p["asa"],
                 results_for=lambda _p: {first.code: "BK"})
    bob_p = Participant.objects.get(event=event)
    old = certs.result_letter_issue(bob_p, actor=p["lina"])
    assert old.outcome == "BK"

    as_user(page, p["lina"])
    page.goto(f"/asesmen/peserta/{bob_p.pk}/")
    page.locator(f".unit-row[data-unit='{first.code}'] a.correct-result").click()
    page.check("input[name=result][value=K]")
    page.fill("textarea[name=evidence]", "Bukti SOP layanan diperiksa ulang: lengkap")
    page.fill("textarea[name=reason]", "Bukti SOP terlewat saat penilaian")
    with page.expect_navigation():
        page.locator("main form button").last.click()
    assert page.locator("#participant-status").inner_text() == "Sudah diuji, menunggu keputusan"
    assert page.locator("#recommendation").inner_text() == "K"
    withdrawn = page.locator(".result-letter[data-status=withdrawn]")
    assert old.number in withdrawn.inner_text() and "Bukti SOP terlewat" in withdrawn.inner_text()

    signed_records(bob_p, units=[first])  # FR.MAPA.01: the K rests on the plan's signed records of the unit
    decide_in_pleno(page, bob_p, "K", admin=p["lina"])  # an event on a plan is decided in its pleno
    page.goto(f"/asesmen/peserta/{bob_p.pk}/")
    assert page.locator("#decision").inner_text() == "K"
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    with page.expect_navigation():
        page.click("#issue-letter")
    new = ResultLetter.objects.get(participant=bob_p, status="issued")
    assert new.number != old.number and new.issued_on == timezone.localdate()
    href = page.locator(".result-letter[data-status=issued] a").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    pdf = response.body()
    text = "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages)
    assert "KOMPETEN (K)" in text and "BELUM KOMPETEN" not in text and new.number in text
