"""The state machine: one service per arrow, refused with a clear message, audited, with its e-mails."""

import pytest
from django.core import mail

from certportal.audit.models import AuditEntry
from certportal.sla import services as sla
from complaints import services
from complaints.models import Level, Status
from complaints.services import ComplaintError

from .factories import anonymous_suggestion, file_complaint, walk_to

pytestmark = pytest.mark.django_db


def test_intake_starts_both_clocks_acknowledges_and_tells_the_officers(karin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint()
    assert sla.clock_for(complaint, "complaint-followup") is not None
    assert sla.clock_for(complaint, "complaint-answer") is not None
    recipients = {m.to[0]: m for m in mail.outbox}
    assert complaint.tracking_number in recipients["citra@example.go.id"].subject
    assert complaint.secret in recipients["citra@example.go.id"].body
    assert "karin@example.go.id" in recipients


def test_the_happy_path_is_audited_step_by_step(karin):
    complaint = walk_to(file_complaint(), "closed", karin)
    assert complaint.status == Status.CLOSED
    actions = [a for a in AuditEntry.objects.for_object(complaint).order_by("created_at", "id")
               .values_list("action", flat=True) if not a.startswith("sla.")]
    assert actions == [f"complaints.complaint.{verb}" for verb in (
        "received", "classified", "analysis_started", "analysis_recorded", "routed", "answered", "closed")]
    assert sla.clock_for(complaint, "complaint-answer").outcome == "met"


def test_a_step_out_of_order_is_refused_with_a_clear_message(karin):
    complaint = file_complaint()
    with pytest.raises(ComplaintError, match=complaint.tracking_number):
        services.complaint_close(complaint=complaint, actor=karin)
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_routing_needs_the_analysis_first(karin):
    complaint = walk_to(file_complaint(), "classified", karin)
    services.complaint_start_analysis(complaint=complaint, actor=karin)
    with pytest.raises(ComplaintError):
        services.complaint_route(complaint=complaint, actor=karin, route="internal")


def test_apip_needs_the_heads_recorded_approval(karin, sofia):
    complaint = walk_to(file_complaint(), "in_analysis", karin)
    with pytest.raises(ComplaintError, match="APIP"):
        services.complaint_route(complaint=complaint, actor=karin, route="apip", detail="Inspektorat")
    with pytest.raises(ComplaintError):
        services.complaint_approve_apip(complaint=complaint, actor=karin, note="saya sendiri")  # not the head
    services.complaint_approve_apip(complaint=complaint, actor=sofia, note="Setuju diperiksa APIP")
    services.complaint_route(complaint=complaint, actor=karin, route="apip", detail="Inspektorat")
    complaint.refresh_from_db()
    assert complaint.route == "apip" and complaint.apip_approved_by == sofia
    assert AuditEntry.objects.for_object(complaint).filter(action="complaints.complaint.apip_approved", actor=sofia).exists()


def test_an_internal_route_escalates_level_by_level_up_to_the_head(karin):
    complaint = walk_to(file_complaint(), "routed", karin)
    assert complaint.level == Level.OFFICER
    for expected in (Level.SECTION, Level.DIVISION, Level.HEAD):
        complaint = services.complaint_escalate(complaint=complaint, actor=karin, note="Laporan tertulis")
        assert complaint.level == expected
    with pytest.raises(ComplaintError):
        services.complaint_escalate(complaint=complaint, actor=karin, note="lagi")


def test_the_answer_reaches_the_complainant_and_the_superior(karin, sofia, django_capture_on_commit_callbacks):
    complaint = walk_to(file_complaint(), "routed", karin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_answer(complaint=complaint, actor=karin, answer="Berkas Anda diperiksa ulang.",
                                  superior_report="Selesai di internal.")
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "Berkas Anda diperiksa ulang." in by_to["citra@example.go.id"].body
    assert "Selesai di internal." in by_to["sofia@example.go.id"].body
    assert complaint.updates.filter(kind="answer").exists()


def test_a_suggestion_is_answered_without_analysis(karin):
    suggestion = anonymous_suggestion(object_text="Ruang tunggu")
    services.complaint_classify(complaint=suggestion, actor=karin, service="other", component="facilities")
    with pytest.raises(ComplaintError):
        services.complaint_start_analysis(complaint=suggestion, actor=karin)
    services.complaint_answer(complaint=suggestion, actor=karin, answer="Terima kasih.", superior_report="Masukan")
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ANSWERED


def test_a_complaint_cannot_skip_to_the_answer(karin):
    complaint = walk_to(file_complaint(), "classified", karin)
    with pytest.raises(ComplaintError):
        services.complaint_answer(complaint=complaint, actor=karin, answer="x", superior_report="y")


def test_tracking_numbers_follow_each_other():
    a, b = file_complaint(), anonymous_suggestion()
    assert int(b.tracking_number[-5:]) == int(a.tracking_number[-5:]) + 1


def test_earlier_records_are_found_by_email_phone_and_similar_object(karin):
    from complaints.queries import earlier_records

    first = file_complaint(object_text="Jadwal uji kompetensi diubah")
    by_phone = file_complaint(email="lain@example.go.id", phone="+62 812-3456-7890", object_text="Hal lain sekali")
    similar = file_complaint(name="X", email="x@example.go.id", phone="", object_text="Jadwal uji kompetensi berubah")
    unrelated = file_complaint(name="Y", email="y@example.go.id", phone="", object_text="Toilet rusak")
    found = {c.pk: why for c, why in earlier_records(first)}
    assert found.get(by_phone.pk) == "phone" and found.get(similar.pk) == "object"
    assert unrelated.pk not in found
