"""Whoever has no current declaration of interest and confidentiality is refused where they would assess, review,
sit in a pleno or decide; the refusal says why and links to the page where they sign it."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.errors import AssessmentError
from assessments.events.models import Pleno
from certportal.accounts.models import Role
from certportal.workflow import allowed_actions
from quality.impartiality.models import Declaration
from tests.assessments.factories import (
    GAP_REASON,
    agree,
    assess,
    assessment_reviewed,
    mark_all_present,
    run_steps,
    the_test_day_arrives,
    write_minutes,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN = "/mutu/pernyataan/"


def _undeclare(user):
    Declaration.objects.filter(user=user).delete()
    user.__dict__.pop("_declared_on", None)


def _held(event, lina, tono, asa):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    return event


def test_an_assessor_without_a_declaration_records_no_result_and_is_told_why(event, lina, tono, asa, login):
    _held(event, lina, tono, asa)
    participant = agree(event.participants.first())
    _undeclare(asa)
    unit = services.units_to_assess(participant).first()
    with translation.override("en"), pytest.raises(AssessmentError) as refused:
        services.result_record(participant, actor=asa, unit=unit, result="K", evidence="Portofolio")
    assert "has no current declaration of interest and confidentiality" in refused.value.message
    assert f'href="{SIGN}"' in refused.value.message
    assert not participant.results.exists()
    action = allowed_actions(participant, asa, only=("result_recorded",))["result_recorded"]
    assert not action.allowed and SIGN in action.reason
    # signed: the same assessor records the result
    login(asa).post(SIGN, {"interests": "", "signed_name": asa.full_name})
    fresh = type(asa).objects.get(pk=asa.pk)
    services.result_record(participant, actor=fresh, unit=unit, result="K", evidence="Portofolio",
                           evidence_gap_reason=GAP_REASON)  # on the plan: why the evidence suffices
    assert participant.results.count() == 1


def test_the_refusal_reaches_the_page_in_the_users_language_with_a_link_to_sign(event, lina, tono, asa, login):
    event = _reviewed(event, lina, tono, asa)
    participant = event.participants.first()
    _undeclare(lina)
    page = login(lina).post(reverse("assessments:decide", args=[participant.pk]),
                            {"decision": participant.recommendation}, follow=True).content.decode()
    assert "Lina LSP Admin belum memiliki pernyataan" in page
    assert f'<a href="{SIGN}">' in page  # a link, not its escaped text
    participant.refresh_from_db()
    assert participant.decision == ""


def test_a_reviewer_without_a_declaration_cannot_sign_the_review(event, lina, tono, asa):
    _held(event, lina, tono, asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    run_steps(event, 6, admin=lina, tuk_head=tono)
    write_minutes(event, tuk_head=tono)
    assessment_reviewed(event, quality=UserFactory(full_name="Quinta Quality", roles=[Role.QUALITY]))
    _undeclare(tono)
    with translation.override("en"), pytest.raises(AssessmentError) as refused:
        services.review_sign(event, actor=tono)
    assert "Tono Kepala TUK has no current declaration" in refused.value.message
    assert not event.reviews.exists()


def test_a_quality_reviewer_without_a_declaration_cannot_record_fr_ak_06(event, lina, tono, asa, login):
    from assessments.instruments.models.records import AssessmentReview
    from assessments.instruments.services import records

    _held(event, lina, tono, asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    run_steps(event, 6, admin=lina, tuk_head=tono)
    records.report_sign(event, user=asa, signed_name=asa.full_name)
    quinta = UserFactory(full_name="Quinta Quality", roles=[Role.QUALITY], declared=False)
    findings = {code: (True, "") for code, _p, _t in records.REVIEW_ASPECTS}
    with translation.override("en"), pytest.raises(AssessmentError) as refused:
        records.review_record(event, user=quinta, findings=findings, signed_name=quinta.full_name)
    assert "Quinta Quality has no current declaration" in refused.value.message
    assert f'href="{SIGN}"' in refused.value.message
    assert not AssessmentReview.objects.exists()
    client = login(quinta)
    page = client.get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert 'id="ak06-refused"' in page and "Quinta Quality belum memiliki pernyataan" in page
    assert 'id="ak06-write"' not in page and f'<a href="{SIGN}">' in page
    client.post(SIGN, {"interests": "", "signed_name": quinta.full_name})
    page = client.get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert 'id="ak06-write"' in page
    records.review_record(event, user=type(quinta).objects.get(pk=quinta.pk), findings=findings,
                          signed_name=quinta.full_name)
    assert AssessmentReview.objects.get().reviewer == quinta


def _reviewed(event, lina, tono, asa):
    _held(event, lina, tono, asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    return run_steps(event, 7, admin=lina, tuk_head=tono)


def test_a_member_without_a_declaration_is_not_seated_in_the_pleno(event, lina, tono, asa):
    event = _reviewed(event, lina, tono, asa)
    dewi = UserFactory(full_name="Dewi Komite", roles=[Role.QUALITY], declared=False)
    rudi = UserFactory(full_name="Rudi Komite", roles=[Role.LSP_ADMIN])
    with translation.override("en"), pytest.raises(AssessmentError) as refused:
        services.pleno_create(event, actor=lina, held_on=timezone.localdate(event.starts_at), decree_number="SK/9/2026",
                              members=[dewi, rudi])
    assert "Dewi Komite has no current declaration" in refused.value.message
    assert f'href="{SIGN}"' in refused.value.message
    assert not Pleno.objects.filter(event=event).exists()
    with translation.override("en"):
        options = {o["user"].pk: o["problem"] for o in services.member_options(event)}
    assert "Dewi Komite has no current declaration" in options[dewi.pk]
    assert options[rudi.pk] is None


def test_a_decision_maker_without_a_declaration_cannot_decide(event, lina, tono, asa):
    event = _reviewed(event, lina, tono, asa)
    participant = event.participants.first()
    _undeclare(lina)
    with translation.override("en"), pytest.raises(AssessmentError) as refused:
        services.participant_decide(participant, actor=lina, decision=participant.recommendation)
    assert "Lina LSP Admin has no current declaration" in refused.value.message
    participant.refresh_from_db()
    assert participant.decision == ""


def test_an_expired_declaration_is_not_current(event, lina, tono, asa):
    import datetime

    event = _reviewed(event, lina, tono, asa)
    Declaration.objects.filter(user=lina).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    lina.__dict__.pop("_declared_on", None)
    participant = event.participants.first()
    with pytest.raises(AssessmentError):
        services.participant_decide(participant, actor=lina, decision=participant.recommendation)



def test_a_validator_without_a_declaration_cannot_validate_the_assessment_plan(scheme):
    from tests.assessments.factories import make_assessor

    maker = make_assessor(schemes=[scheme]).user
    validator = make_assessor(UserFactory(full_name="Vera Validator", roles=[Role.ASSESSOR], declared=False),
                              schemes=[scheme]).user
    plan = services.plan_create(scheme, actor=maker)
    with translation.override("en"), pytest.raises(AssessmentError) as refused:
        services.plan_validate(plan, actor=validator)
    assert "Vera Validator has no current declaration" in refused.value.message
    plan.refresh_from_db()
    assert plan.status == "draft"
