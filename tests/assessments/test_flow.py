"""The whole path through services: scheduling, results, lock, decision, appeal, re-assessment, certificate."""

import pytest
from django.core import mail

from applicants.models import Status as AppStatus
from assessments import services
from assessments.certificates import services as certs
from assessments.certificates.models import Certificate
from assessments.events.models import Appeal, EventStatus, Participant

from .factories import agree, assess, decide, mark_all_present, planned_event, run_steps

pytestmark = pytest.mark.django_db


def _through_review(event, *, lina, tono, asa, bk_units=()):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa, results=dict.fromkeys(bk_units, "BK") if p.application.applicant.email
               .startswith("bob") else {})
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    return run_steps(event, 7, admin=lina, tuk_head=tono)


def test_schedule_e_mails_reach_participants_and_assessor(event, lina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.event_distribute_schedule(event, actor=lina)  # step 1's first act sends the schedule
    schedule = sorted(m.to[0] for m in mail.outbox if "uji" in m.subject.lower() or "test" in m.subject.lower()
                      and "application" not in m.subject.lower())
    assert {"alice@example.go.id", "asa@example.go.id", "bob@example.go.id"} <= set(schedule)
    assert all(p.application.status == AppStatus.SCHEDULED for p in event.participants.all())


def test_full_path_k_and_bk_with_appeal_and_reassessment(event, lina, lina2, tono, asa, alice, bob, quinn, scheme,
                                                         site, assessor, victor):
    unit_codes = list(scheme.scheme_units.values_list("unit__code", flat=True))
    event = _through_review(event, lina=lina, tono=tono, asa=asa, bk_units=[unit_codes[1]])
    assert event.status == EventStatus.REVIEWED
    alice_p = event.participants.get(application__applicant=alice)
    bob_p = event.participants.get(application__applicant=bob)
    assert (alice_p.recommendation, bob_p.recommendation) == ("K", "BK")

    decide(alice_p, actor=lina, decision="K")
    decide(bob_p, actor=lina, decision="BK")
    appeal = services.appeal_file(bob_p, user=bob, grounds="Portofolio saya belum diperiksa lengkap")
    with pytest.raises(services.AssessmentError):
        services.appeal_decide(appeal, actor=lina, outcome="reassess", note="x", unit_ids=[])  # lina decided
    bk_unit = bob_p.results.get(result="BK").unit
    k_unit = bob_p.results.filter(result="K").first().unit
    with pytest.raises(services.AssessmentError, match="BK units only"):
        services.appeal_decide(appeal, actor=quinn, outcome="reassess", note="x", unit_ids=[k_unit.pk])
    services.appeal_decide(appeal, actor=quinn, outcome="reassess", note="Bukti baru layak dinilai",
                           unit_ids=[bk_unit.pk])

    event2 = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor,
                           applications=[bob_p.application])
    re_p = event2.participants.get()
    assert list(services.units_to_assess(re_p)) == [bk_unit]
    event2 = _through_review(event2, lina=lina, tono=tono, asa=asa)
    re_p.refresh_from_db()
    assert re_p.recommendation == "K"
    decide(re_p, actor=lina2, decision="K")

    services.participant_accept_obligations(alice_p, user=alice)
    cert = certs.certificate_issue(alice_p, actor=lina)
    assert cert.expires_on.year == cert.issued_on.year + 3
    assert cert.holder_name == "Alice Applicant, S.Sos."
    assert certs.certificate_issue(alice_p, actor=lina) == cert  # idempotent
    certs.handover_record(actor=victor, certificate=cert, received_by="Alice Applicant")  # the BKPSDM officer
    alice_p.application.refresh_from_db()
    assert alice_p.application.status == AppStatus.HANDED_OVER

    services.participant_accept_obligations(re_p, user=bob)
    cert2 = certs.certificate_issue(re_p, actor=lina)
    assert cert2.sequence == cert.sequence + 1


def test_results_lock_at_signature_and_correction_needs_admin_and_reason(event, lina, tono, asa, alice):
    event = _through_review(event, lina=lina, tono=tono, asa=asa)
    p = event.participants.get(application__applicant=alice)
    row = p.results.first()
    with pytest.raises(services.AssessmentError, match="awaiting the decision"):  # locked: the status moved on
        services.result_record(p, actor=asa, unit=row.unit, result="BK", evidence="x", explanation="y")
    with pytest.raises(services.AssessmentError):
        services.result_correct(row, actor=lina, result="BK", evidence="x", explanation="y", reason="")
    services.result_correct(row, actor=lina, result="BK", evidence="x", explanation="y", reason="Salah ketik")
    p.refresh_from_db()
    assert p.recommendation == "BK"
    from certportal.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="assessments.participant.result_corrected",
                                     note__contains="Salah ketik").exists()


def test_bk_without_explanation_is_refused(event, lina, tono, asa, alice):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    p = event.participants.get(application__applicant=alice)
    agree(p)
    unit = services.units_to_assess(p).first()
    with pytest.raises(services.AssessmentError, match="explanation"):
        services.result_record(p, actor=asa, unit=unit, result="BK", evidence="Observasi", explanation="")


def test_decider_must_not_be_the_assessor(scheme, site, alice_app, tono):
    from certportal.accounts.models import Role
    from tests.factories import UserFactory

    from .factories import make_assessor

    both = UserFactory(roles=[Role.LSP_ADMIN, Role.ASSESSOR])
    assessor = make_assessor(both, schemes=[scheme])
    event = planned_event(actor=both, scheme=scheme, site=site, assessor=assessor, applications=[alice_app])
    run_steps(event, 4, admin=both, tuk_head=tono)
    mark_all_present(event, actor=both)
    assess(event.participants.get(), assessor_user=both)
    run_steps(event, 5, admin=both, tuk_head=tono, assessor_user=both)
    services.report_sign_as_assessor(event, actor=both)
    run_steps(event, 7, admin=both, tuk_head=tono)
    with pytest.raises(services.AssessmentError, match="another LSP administrator"):
        decide(event.participants.get(), actor=both, decision="K")


def test_assessor_out_of_scope_or_with_expired_licence_is_refused(lina, scheme, site):
    from .factories import make_assessor, scheme_with_units

    event = planned_event(actor=lina, scheme=scheme, site=site)
    with pytest.raises(services.AssessmentError, match="scope"):
        services.event_add_assessor(event, assessor=make_assessor(schemes=[scheme_with_units(1)]), actor=lina)
    with pytest.raises(services.AssessmentError, match="licence"):
        services.event_add_assessor(event, assessor=make_assessor(schemes=[scheme], valid_days=-1), actor=lina)


def test_conflict_of_interest_keeps_assessor_off_the_participant(event, lina, asa, assessor, alice):
    p = event.participants.get(application__applicant=alice)
    services.conflict_declare(assessor=assessor, person=alice, reason="Saudara kandung", actor=asa)
    p.refresh_from_db()
    assert p.assessor is None
    with pytest.raises(services.AssessmentError, match="conflict"):
        services.participant_assign(p, assessor=assessor, actor=lina)
    with pytest.raises(services.AssessmentError, match="assessor"):
        services.event_distribute_schedule(event, actor=lina)


def test_appeal_window_closes(event, lina, tono, asa, bob, settings, scheme):
    import datetime

    import time_machine

    unit_codes = list(scheme.scheme_units.values_list("unit__code", flat=True))
    event = _through_review(event, lina=lina, tono=tono, asa=asa, bk_units=[unit_codes[0]])
    p = event.participants.get(application__applicant=bob)
    decide(p, actor=lina, decision="BK")
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=settings.ASSESSMENT_APPEAL_WINDOW_DAYS + 1)
    with time_machine.travel(later), pytest.raises(services.AssessmentError, match="window"):
        services.appeal_file(p, user=bob, grounds="Terlambat")
    assert not Appeal.objects.exists()


def test_certificate_status_is_derived_and_never_deleted(event, lina, tono, asa, alice):
    import datetime

    event = _through_review(event, lina=lina, tono=tono, asa=asa)
    p = event.participants.get(application__applicant=alice)
    decide(p, actor=lina, decision="K")
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    assert cert.state() == "valid"
    assert cert.state(cert.expires_on + datetime.timedelta(days=1)) == "expired"
    until = cert.issued_on + datetime.timedelta(days=30)
    certs.certificate_suspend(cert, actor=lina, reason="Laporan pelanggaran", until=until)
    cert.refresh_from_db()
    assert cert.state() == "suspended"
    assert cert.state(until + datetime.timedelta(days=1)) == "valid"
    certs.certificate_withdraw(cert, actor=lina, reason="Terbukti melanggar")
    cert.refresh_from_db()
    assert cert.state() == "withdrawn"
    assert Certificate.objects.filter(pk=cert.pk).exists()
    assert Participant.objects.count() == 2


def test_kkni_scheme_recommendation_follows_the_packaging_rule(lina, tono, asa, alice, site):
    """1 core + 1 of 2 electives: an elective BK still gives K (the all-units rule would say BK)."""
    from schemes.models import Decree, Qualification, QualificationUnit, SchemeUnit

    from .factories import SchemeFactory, make_application, make_assessor

    decree = Decree.objects.create(kind="kkni", number="3", year=2021, title="KKNI")
    qual = Qualification.objects.create(decree=decree, letter="Z", title="Instruktur Uji", level=3,
                                        total_required=2, core_required=1, elective_required=1)
    scheme = SchemeFactory(kind="kkni", qualification=qual)
    units = []
    for pos, (code, kind) in enumerate([("M.74SPS03.001.2", "core"), ("M.74SPS03.002.2", "elective"),
                                        ("M.74SPS03.003.2", "elective")]):
        unit = Participant._meta.get_field("reassess_units").related_model.objects.create(
            code=code, sector="M", field="74SPS03", number=code.split(".")[2], version=2, title=f"Unit {code}")
        QualificationUnit.objects.create(qualification=qual, unit=unit, kind=kind, position=pos,
                                         code_as_printed=code, title_as_printed=unit.title)
        SchemeUnit.objects.create(scheme=scheme, unit=unit, position=pos)
        units.append(unit)
    assessor = make_assessor(asa, schemes=[scheme])
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor,
                          applications=[make_application(scheme, alice)])
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    p = event.participants.get()
    assess(p, assessor_user=asa, results={"M.74SPS03.003.2": "BK"})
    assert services.recommend(p) == "K"
    assess(p, assessor_user=asa, results={"M.74SPS03.001.2": "BK"})
    assert services.recommend(p) == "BK"
