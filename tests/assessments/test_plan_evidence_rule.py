"""Issue 19 core: an event keeps the plan in force when it was planned, and on a planned event a unit is K only
when the plan's evidence for it is complete and sufficient, or the assessor records why it suffices."""

import pytest
from django.utils import timezone

from assessments import services
from assessments.events.models import Event, UnitResult
from assessments.instruments.models import AssessmentPlan, InstrumentRecord
from assessments.instruments.models.plans import CandidateGroup, Instrument

from .factories import agree, make_assessor, planned_event, run_steps, the_test_day_arrives, validated_plan


@pytest.fixture
def plan(scheme, asa, assessor, other_assessor_user):
    return validated_plan(scheme, maker=asa, validator=other_assessor_user)


def _ready(participant, asa):
    """The day of the test: the participant accepted FR.AK.01 (set-up, as the factories' ``assess`` does)."""
    the_test_day_arrives(participant.event)
    return agree(participant)


def _sign(participant, unit, instrument, *, sufficient=True, asa=None):
    return InstrumentRecord.objects.create(
        participant=participant, unit=unit, instrument=instrument, status=InstrumentRecord.Status.SIGNED,
        outcome=(InstrumentRecord.Outcome.SATISFACTORY if sufficient else InstrumentRecord.Outcome.NOT_SATISFACTORY),
        recorded_by=asa, signed_at=timezone.now(), signed_name="Asa")


def test_the_default_plan_follows_seed_000_for_every_unit(plan, scheme):
    units = list(scheme.scheme_units.values_list("unit_id", flat=True))
    experienced = {(r.unit_id, r.instrument) for r in plan.evidence.filter(group=CandidateGroup.WORKER_STD)}
    others = {(r.unit_id, r.instrument) for r in plan.evidence.filter(group=CandidateGroup.TRAINING_STD)}
    assert experienced == {(u, i) for u in units for i in (Instrument.IA08, Instrument.IA09)}
    assert others == {(u, i) for u in units for i in (Instrument.IA01, Instrument.IA07)}
    assert plan.status == AssessmentPlan.Status.VALIDATED and plan.snapshot["rows"]


def test_the_maker_cannot_validate_their_own_plan(scheme, asa):
    make_assessor(asa, schemes=[scheme])
    draft = services.plan_create(scheme, actor=asa)
    with pytest.raises(services.AssessmentError, match="second assessor"):
        services.plan_validate(draft, actor=asa)
    draft.refresh_from_db()
    assert draft.status == AssessmentPlan.Status.DRAFT


def test_an_assessor_outside_the_scheme_makes_no_plan(scheme):
    outsider = make_assessor(schemes=[]).user
    with pytest.raises(services.AssessmentError, match="scope"):
        services.plan_create(scheme, actor=outsider)


def test_a_running_event_keeps_its_plan_when_a_new_one_is_validated(plan, event, lina, scheme, asa,
                                                                   other_assessor_user):
    later = planned_event(actor=lina, scheme=scheme)
    assert later.plan_id == plan.pk
    draft = services.plan_create(scheme, actor=asa)
    newer = services.plan_validate(draft, actor=other_assessor_user)
    plan.refresh_from_db()
    assert plan.status == AssessmentPlan.Status.SUPERSEDED and newer.number == plan.number + 1
    assert Event.objects.get(pk=later.pk).plan_id == plan.pk
    assert planned_event(actor=lina, scheme=scheme).plan_id == newer.pk


def test_a_validated_plan_is_never_edited(plan, asa):
    with pytest.raises(services.AssessmentError, match="never changed"):
        services.plan_edit(plan, actor=plan.made_by, context="changed")


def test_k_without_the_planned_evidence_is_refused_naming_it(plan, lina, scheme, site, assessor, alice_app, asa):
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app])
    run_steps(event, 4, admin=lina, tuk_head=site.head)
    p = _ready(event.participants.get(), asa)
    unit = scheme.scheme_units.first().unit
    with pytest.raises(services.AssessmentError, match="FR.IA.08, FR.IA.09"):
        services.result_record(p, actor=asa, unit=unit, result="K")
    assert not UnitResult.objects.filter(participant=p).exists()

    _sign(p, unit, Instrument.IA08, asa=asa)
    _sign(p, unit, Instrument.IA09, sufficient=False, asa=asa)
    with pytest.raises(services.AssessmentError, match="FR.IA.09"):
        services.result_record(p, actor=asa, unit=unit, result="K")

    row = services.result_record(p, actor=asa, unit=unit, result="K",
                                 evidence_gap_reason="Wawancara ulang di tempat kerja menguatkan portofolio")
    assert row.result == "K" and row.evidence_gap_reason.startswith("Wawancara ulang")
    assert "FR.IA.08" in row.evidence and "belum memadai" in row.evidence


def test_k_on_complete_sufficient_evidence_needs_no_reason(plan, lina, scheme, site, assessor, bob_app, asa):
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[bob_app])
    run_steps(event, 4, admin=lina, tuk_head=site.head)
    p = _ready(event.participants.get(), asa)  # Bob is not experienced: observation and oral questions
    unit = scheme.scheme_units.first().unit
    _sign(p, unit, Instrument.IA01, asa=asa)
    _sign(p, unit, Instrument.IA07, asa=asa)
    row = services.result_record(p, actor=asa, unit=unit, result="K", evidence_gap_reason="ignored")
    assert row.evidence_gap_reason == ""  # the evidence is complete: no reason is kept
    assert row.evidence.count("memadai") == 2 and "FR.IA.01" in row.evidence and "FR.IA.07" in row.evidence


def test_bk_needs_no_complete_evidence_but_an_explanation(plan, lina, scheme, site, assessor, bob_app, asa):
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[bob_app])
    run_steps(event, 4, admin=lina, tuk_head=site.head)
    p = _ready(event.participants.get(), asa)
    unit = scheme.scheme_units.first().unit
    with pytest.raises(services.AssessmentError, match="Explain every BK"):
        services.result_record(p, actor=asa, unit=unit, result="BK")
    row = services.result_record(p, actor=asa, unit=unit, result="BK", explanation="Belum dapat mendemonstrasikan")
    assert row.result == "BK" and "belum ada" in row.evidence


def test_an_event_without_a_plan_takes_results_only_once_the_plan_in_force_is_adopted(event, scheme, asa, lina,
                                                                                       site):
    run_steps(event, 4, admin=lina, tuk_head=site.head)
    Event.objects.filter(pk=event.pk).update(plan=None)  # set-up: an event confirmed before the plan guard
    p = _ready(event.participants.first(), asa)
    unit = scheme.scheme_units.first().unit
    with pytest.raises(services.AssessmentError, match="adopts"):
        services.result_record(p, actor=asa, unit=unit, result="K", evidence="SK dan laporan")
    services.event_plan_adopt(Event.objects.get(pk=event.pk), actor=lina)
    assert services.result_record(p, actor=asa, unit=unit, result="K", evidence="SK dan laporan",
                                  evidence_gap_reason="Wawancara memadai").result == "K"


def test_an_event_assessed_on_a_plan_is_decided_in_a_pleno_only(plan, lina, scheme, site, assessor, alice_app, asa,
                                                                client):
    """Issue 19 item 5: the certification decision of an event on a plan is the pleno's, with its decree; the
    participant page offers the pleno instead of the decision buttons, and the service refuses a lone decision."""
    from assessments.events.models import Participant
    from tests.assessments.factories import (
        agree,
        fill_planned_instruments,
        mark_all_present,
        review_step7,
        run_steps,
    )

    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app])
    run_steps(event, 4, admin=lina, tuk_head=site.head)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    p = agree(event.participants.get())
    fill_planned_instruments(p, asa)
    for unit in services.units_to_assess(p):
        services.result_record(p, actor=asa, unit=unit, result="K", evidence_gap_reason="Tes tertulis tidak direncanakan"
                               if not services.evidence_state(p, unit.pk).complete else "")
    event = run_steps(event, 5, admin=lina, tuk_head=site.head, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    event = run_steps(event, 6, admin=lina, tuk_head=site.head)
    event = review_step7(event, tuk_head=site.head)
    p.refresh_from_db()
    with pytest.raises(services.AssessmentError, match="pleno"):
        services.participant_decide(p, actor=lina, decision="K")
    assert Participant.objects.get(pk=p.pk).decision == ""

    client.force_login(lina)
    from django.utils import translation

    with translation.override("id"):
        page = client.get(f"/asesmen/peserta/{p.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'id="decide-in-pleno"' in page and 'id="decision-form"' not in page

    member = make_assessor(schemes=[]).user  # a committee member who assessed no one here
    pleno = services.pleno_create(event, actor=lina, held_on=timezone.localdate(), decree_number="KEP.77/PLENO",
                                  members=[member])
    services.pleno_decide(pleno, p, actor=lina, decision="K")
    p.refresh_from_db()
    assert (p.decision, p.pleno_id) == ("K", pleno.pk)


@pytest.mark.slow  # a whole paper or a big export: make test runs it, make check leaves it out
def test_the_assessment_file_is_for_the_lsp_admin_quality_and_the_own_assessor_only(
        event, lina, asa, alice, bob, other_assessor_user, client):
    """The file holds confidential test material: the participant, another assessor and anonymous visitors get
    none of it; each download is audited."""
    from certportal.accounts.models import Role
    from certportal.audit.models import AuditEntry
    from tests.factories import UserFactory

    from .documents import document_via_job

    p = event.participants.get(application__applicant=alice)
    url = f"/asesmen/peserta/{p.pk}/berkas-asesmen/"
    assert client.post(url).status_code == 302  # anonymous: to the login page
    for outsider in (alice, bob, other_assessor_user):
        client.force_login(outsider)
        assert client.post(url).status_code == 403, outsider
    quinn = UserFactory(full_name="Quinn Quality", roles=[Role.QUALITY])
    for reader in (lina, quinn, asa):
        client.force_login(reader)
        response, _job = document_via_job(client, url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content if response.streaming else [response.content])[:5] == b"%PDF-"
    assert AuditEntry.objects.filter(action="assessments.participant.file_downloaded").count() == 3


def test_after_one_unit_is_signed_the_warning_left_names_the_other_unit(plan, lina, scheme, site, assessor, bob_app,
                                                                       asa, login):
    """Issue 43: signing an instrument led back to the participant's page, where "the planned evidence is not
    complete" stood for another unit without naming it; each warning now says which unit it is about."""
    from django.urls import reverse

    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[bob_app])
    run_steps(event, 4, admin=lina, tuk_head=site.head)
    p = _ready(event.participants.get(), asa)
    first, *others = [su.unit for su in scheme.scheme_units.order_by("position")]
    assert others, "the scheme needs a second unit"
    _sign(p, first, Instrument.IA01, asa=asa)
    _sign(p, first, Instrument.IA07, asa=asa)
    page = login(asa).get(reverse("assessments:participant", args=[p.pk])).content.decode()
    assert f'id="gap_{first.pk}"' not in page  # the unit signed: no warning
    for unit in others:
        warning = page.split(f'id="gap_{unit.pk}"')[1].split("</div>")[0]
        assert f"untuk unit {unit.code} belum lengkap dan memadai" in warning, warning
