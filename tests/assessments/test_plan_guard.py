"""No event goes to the assessment without an assessment plan (FR.MAPA.01) validated by a second assessor, and no
K decision without the signed records the plan asked for (a BNSP surveillance finding: events planned, assessed
and certified without a MAPA). The guards are the machines' own, so the buttons, the pages and the services agree.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.events.models import Event, EventStatus, ParticipantStatus, UnitResult
from assessments.instruments.models import InstrumentRecord
from certportal.audit.models import AuditEntry
from certportal.workflow import allowed_actions

from .factories import (
    decide,
    mark_all_present,
    planned_event,
    pleno_for,
    run_steps,
    the_test_day_arrives,
    validated_plan,
)
from .test_pleno import review_event

NO_PLAN = "no assessment plan (FR.MAPA.01) validated by a second assessor"


@pytest.fixture
def reviewed(event, lina, tono, asa, alice):
    """Alice K in every unit, each K saying why the evidence suffices; Bob BK in one (test_pleno's)."""
    return review_event(event, lina, tono, asa, alice)


@pytest.fixture
def bare(lina, scheme, site, assessor, alice_app, bob_app):
    """An event planned while its scheme had no validated plan, walked to SOP step 3."""
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app, bob_app],
                          plan=False)
    assert event.plan is None
    return run_steps(event, 3, admin=lina, tuk_head=site.head)


def _page(login, user, event) -> str:
    return login(user).get(reverse("assessments:event", args=[event.pk])).content.decode()


def test_without_a_plan_the_test_is_not_confirmed_and_the_page_says_who_acts(bare, lina, login):
    for p in bare.participants.all():
        services.participant_confirm_attendance(p, user=p.application.applicant)
    with pytest.raises(services.AssessmentError, match=re.escape(NO_PLAN)):
        services.event_step_complete(bare, 4, actor=lina)
    assert Event.objects.get(pk=bare.pk).status == EventStatus.REMINDED
    page = _page(login, lina, bare)
    assert 'data-act="confirmed"' not in page and 'id="event-no-plan"' in page
    assert 'data-refused="assessments.event.confirmed"' in page and "FR.MAPA.01" in page
    # nothing to adopt: the reason says who makes the plan first
    assert 'id="plan-adopt"' not in page and 'id="plan-adopt-refused"' in page
    with translation.override("en"), pytest.raises(services.AssessmentError,
                                                   match="no assessment plan validated by a second assessor"):
        services.event_plan_adopt(bare, actor=lina)


def test_an_event_confirmed_before_the_guard_is_neither_held_nor_assessed(bare, lina, tono, asa, alice):
    Event.objects.filter(pk=bare.pk).update(status=EventStatus.CONFIRMED)  # set-up: confirmed before the guard
    the_test_day_arrives(bare)
    mark_all_present(bare, actor=asa)
    p = bare.participants.get(application__applicant=alice)
    unit = services.units_to_assess(p).first()
    assert NO_PLAN in allowed_actions(p, asa)["result_recorded"].reason
    with pytest.raises(services.AssessmentError, match="adopts"):
        services.result_record(p, actor=asa, unit=unit, result="K", evidence="Portofolio")
    assert NO_PLAN in allowed_actions(bare, tono)["held"].reason
    assert not UnitResult.objects.filter(participant=p).exists()
    from tests.invariants import checks

    assert any(f"event #{bare.pk} " in m for m in checks.events_without_plan())  # what the demo's check finds


def test_the_lsp_admin_adopts_the_plan_in_force_and_the_act_is_audited(bare, lina, tono, scheme, login):
    plan = validated_plan(scheme)
    page = _page(login, tono, bare)
    assert 'id="plan-adopt"' not in page  # the LSP admin's act
    assert 'id="plan-adopt"' in _page(login, lina, bare)
    response = login(lina).post(reverse("assessments:event-plan-adopt", args=[bare.pk]))
    assert response.status_code == 302
    bare.refresh_from_db()
    assert bare.plan == plan and bare.status == EventStatus.REMINDED
    entry = AuditEntry.objects.get(action="assessments.event.plan_adopted", object_id=str(bare.pk))
    assert entry.actor == lina and f"FR.MAPA.01 v{plan.number}" in entry.note
    page = _page(login, lina, bare)
    assert 'id="plan-adopt"' not in page and 'id="event-no-plan"' not in page
    with translation.override("en"), pytest.raises(services.AssessmentError, match="keeps the plan in force"):
        services.event_plan_adopt(bare, actor=lina)
    for p in bare.participants.all():
        services.participant_confirm_attendance(p, user=p.application.applicant)
    assert services.event_step_complete(bare, 4, actor=lina).status == EventStatus.CONFIRMED


def test_only_the_lsp_admin_adopts_the_plan(bare, tono, scheme, login):
    validated_plan(scheme)
    assert login(tono).post(reverse("assessments:event-plan-adopt", args=[bare.pk])).status_code == 403
    with pytest.raises(services.AssessmentError):
        services.event_plan_adopt(bare, actor=tono)
    assert Event.objects.get(pk=bare.pk).plan is None


def _sign(participant, unit, instrument, asa):
    """Set-up: a signed, sufficient record of ``instrument`` (as the instrument's page signs it on the day)."""
    return InstrumentRecord.objects.create(
        participant=participant, unit=unit, instrument=instrument, status=InstrumentRecord.Status.SIGNED,
        outcome=InstrumentRecord.Outcome.SATISFACTORY, recorded_by=asa, signed_at=timezone.now(), signed_name="Asa")


def test_a_k_decision_names_the_missing_records_and_follows_their_signing(reviewed, lina, asa, bob, login):  # noqa: F811
    p = reviewed.participants.get(application__applicant=bob)
    row = p.results.get(result="BK")
    # a BK corrected to K without the plan's records and without saying why the evidence suffices
    services.result_correct(row, actor=lina, result="K", evidence="Diperiksa ulang", explanation="",
                            reason="Salah input")
    pleno = pleno_for(reviewed, admin=lina)
    code = row.unit.code
    with pytest.raises(services.AssessmentError, match=f"{code}: FR.IA.01, FR.IA.07"):
        services.pleno_decide(pleno, p, actor=lina, decision="K")
    page = login(lina).get(reverse("assessments:pleno", args=[pleno.pk])).content.decode()
    card = page[page.index(f'id="awaiting-{p.pk}"'):]
    card = card[:card.index("</form>")]
    assert "decide-k-refused" in card and f"{code}: FR.IA.01, FR.IA.07" in card
    assert 'class="btn btn-success btn-sm decide-k"' not in card and "decide-bk" in card  # BK needs no record
    _sign(p, row.unit, "IA.01", asa)
    with pytest.raises(services.AssessmentError, match=f"{code}: FR.IA.07"):
        services.pleno_decide(pleno, p, actor=lina, decision="K")
    _sign(p, row.unit, "IA.07", asa)
    assert services.pleno_decide(pleno, p, actor=lina, decision="K").decision == "K"


def test_a_k_saying_why_the_evidence_suffices_is_decided(reviewed, lina, alice):  # noqa: F811
    p = reviewed.participants.get(application__applicant=alice)
    assert all(r.evidence_gap_reason for r in p.results.all())
    assert decide(p, actor=lina, decision="K").status == ParticipantStatus.COMPETENT


def test_a_bk_decision_needs_no_record(reviewed, lina, bob):  # noqa: F811
    p = reviewed.participants.get(application__applicant=bob)
    UnitResult.objects.filter(participant=p).update(evidence_gap_reason="")  # set-up: no reason on any K
    assert decide(p, actor=lina, decision="BK").status == ParticipantStatus.NOT_YET_COMPETENT


def test_the_correction_page_takes_why_the_evidence_suffices_and_the_k_is_then_decided(reviewed, lina, bob, login):  # noqa: F811
    p = reviewed.participants.get(application__applicant=bob)
    row = p.results.get(result="BK")
    client = login(lina)
    url = reverse("assessments:result-correct", args=[row.pk])
    assert 'name="evidence_gap_reason"' in client.get(url).content.decode()
    answer = client.post(url, {"result": "K", "evidence": "Diperiksa ulang", "explanation": "",
                               "evidence_gap_reason": "Observasi di tempat kerja mencakup unit ini",
                               "reason": "Salah input"})
    assert answer.status_code == 302
    row.refresh_from_db()
    assert (row.result, row.evidence_gap_reason) == ("K", "Observasi di tempat kerja mencakup unit ini")
    assert services.pleno_decide(pleno_for(reviewed, admin=lina), p, actor=lina, decision="K").decision == "K"
