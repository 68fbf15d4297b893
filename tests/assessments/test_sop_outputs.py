"""Seed 002, each SOP step's output before the step is done (its Kelengkapan and Output columns): step 4 waits for
each participant's confirmation or the recorded contact, step 5 for the documentation, step 7 for the minutes, step
8 for the whole archive; and the SOP itself as a versioned procedure record the event names."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.events.models import Event, EventStatus, Participant, Procedure
from assessments.events.services.readiness import documentation_upload
from certportal.audit.models import AuditEntry
from certportal.workflow import allowed_actions
from tests.hostile_files import real_png

from .factories import assess, assessment_reviewed, mark_all_present, run_steps, write_minutes

pytestmark = pytest.mark.django_db


def test_step_4_waits_for_each_participant_confirmed_or_reached(event, lina, tono, alice, bob, login):
    event = run_steps(event, 3, admin=lina, tuk_head=tono)
    refusal = allowed_actions(event, lina)["confirmed"]
    assert not refusal.allowed and "Alice Applicant, S.Sos." in refusal.reason and "Bob Applicant" in refusal.reason
    with pytest.raises(services.AssessmentError, match="Not yet confirmed: Alice"):
        services.event_step_complete(event, 4, actor=lina)
    alice_p = Participant.objects.get(event=event, application__applicant=alice)
    services.participant_confirm_attendance(alice_p, user=alice)
    bob_p = Participant.objects.get(event=event, application__applicant=bob)
    assert "Alice" not in allowed_actions(event, lina)["confirmed"].reason
    client = login(lina)
    url = reverse("assessments:event-reached", args=[event.pk])
    later = timezone.localtime() + datetime.timedelta(hours=2)
    for bad in ({"how": "portal"}, {"how": "<script>"}, {"reached_at": later.strftime("%Y-%m-%dT%H:%M")},
                {"reached_at": "kemarin"}):
        data = {"participant": bob_p.pk, "how": "phone", "reached_at": "", "note": "Siap hadir", **bad}
        page = client.post(url, data, follow=True).content.decode()
        assert "Bob Applicant, S.E." in page and "<script>" not in page.split("<main", 1)[-1].split("</main>")[0]
        bob_p.refresh_from_db()
        assert bob_p.reached_at is None
    when = timezone.localtime() - datetime.timedelta(minutes=10)
    Event.objects.filter(pk=event.pk).update(schedule_distributed_at=timezone.now() - datetime.timedelta(days=3))
    page = client.post(url, {"participant": bob_p.pk, "how": "phone", "reached_at": when.strftime("%Y-%m-%dT%H:%M"),
                             "note": "Siap hadir"}, follow=True).content.decode()
    assert "Kontak dicatat." in page and "dihubungi LSP" in page and "Siap hadir" in page
    assert AuditEntry.objects.filter(action="assessments.event.participant_reached", note__contains="Bob").exists()
    assert allowed_actions(Event.objects.get(pk=event.pk), lina)["confirmed"].allowed
    event = services.event_step_complete(event, 4, actor=lina)
    assert event.status == EventStatus.CONFIRMED


def test_step_5_waits_for_the_documentation_of_the_test(event, lina, tono, asa):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    event = Event.objects.get(pk=event.pk)
    with pytest.raises(services.AssessmentError, match="Add at least one photo or document of the test"):
        services.event_step_complete(event, 5, actor=tono)
    with pytest.raises(services.AssessmentError):  # through the file checks: a script is no photo
        documentation_upload(event, actor=tono, upload=SimpleUploadedFile("foto.png", b"<script>x</script>"))
    assert not allowed_actions(event, tono)["held"].allowed
    documentation_upload(event, actor=tono, upload=SimpleUploadedFile("foto.png", real_png(), "image/png"))
    assert services.event_step_complete(event, 5, actor=tono).status == EventStatus.HELD


def reported(event, *, lina, tono, asa):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    event = run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    return run_steps(event, 6, admin=lina, tuk_head=tono)


def test_step_7_review_waits_for_the_minutes_of_meeting(event, lina, tono, asa, quinn, login):
    event = reported(event, lina=lina, tono=tono, asa=asa)
    assert "Write the minutes of meeting first" in allowed_actions(event, tono)["review_signed"].reason
    page = login(tono).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert 'data-act="review_signed"' not in page and "Tulis notulen rapat lebih dahulu" in page
    with pytest.raises(services.AssessmentError, match="notulen rapat"):
        services.review_sign(event, actor=tono)
    write_minutes(event, tuk_head=tono)
    assessment_reviewed(event, quality=quinn)
    services.review_sign(event, actor=tono)
    assert services.review_sign(event, actor=quinn).status == EventStatus.REVIEWED


def test_step_7_waits_for_the_review_of_the_assessment_fr_ak_06(event, lina, tono, asa, quinn, login):
    """Issue 30 item 7: quality's FR.AK.06 (after an assessor's FR.AK.05) comes before SOP step 7: each sign-off
    and the step are refused with the reason, and the page offers no button until it is recorded."""
    from assessments.instruments.models.records import AssessmentReview, AssessorReport
    from assessments.instruments.services import records

    event = reported(event, lina=lina, tono=tono, asa=asa)
    write_minutes(event, tuk_head=tono)
    event.refresh_from_db()
    with translation.override("en"):
        for user in (tono, quinn):
            assert "an assessor's report (FR.AK.05)" in allowed_actions(event, user)["review_signed"].reason
        assert "FR.AK.06" in allowed_actions(event, quinn)["reviewed"].reason
    for user in (tono, quinn):
        page = login(user).get(reverse("assessments:event", args=[event.pk])).content.decode()
        assert 'data-act="review_signed"' not in page and "Langkah 7 SOP menunggu" in page
        with pytest.raises(services.AssessmentError, match="FR.AK.06"):
            services.review_sign(event, actor=user)
    records.report_sign(event, user=asa, signed_name=asa.full_name)
    with translation.override("en"):
        assert "quality management records it first" in allowed_actions(event, tono)["review_signed"].reason
    assert event.reviews.count() == 0 and AssessorReport.objects.filter(event=event).count() == 1
    assessment_reviewed(event, quality=quinn)
    assert AssessmentReview.objects.filter(event=event).exists()
    page = login(tono).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert 'data-act="review_signed"' in page and "Langkah 7 SOP menunggu" not in page
    services.review_sign(event, actor=tono)
    assert services.review_sign(event, actor=quinn).status == EventStatus.REVIEWED


def test_step_8_archive_says_which_piece_is_missing_then_archives(event, lina, tono, asa, quinn, login):
    event = run_steps(reported(event, lina=lina, tono=tono, asa=asa), 7, admin=lina, tuk_head=tono, quality=quinn)
    services.event_save_minutes(event, actor=tono, minutes="  ")  # the minutes taken back to be rewritten
    Participant.objects.filter(event=event).update(attended=None)  # an attendance list lost (older records)
    event = Event.objects.get(pk=event.pk)
    reason = allowed_actions(event, lina)["archived"].reason
    assert "the attendance of participants Alice Applicant, S.Sos., Bob Applicant, S.E." in reason
    assert "the minutes of meeting" in reason and "official report" not in reason
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert 'data-act="archived"' not in page and "Arsip (langkah 8 SOP) belum lengkap" in page
    with pytest.raises(services.AssessmentError, match="belum lengkap; yang belum ada"):
        services.event_step_complete(event, 8, actor=lina)
    Participant.objects.filter(event=event).update(attended=True)
    write_minutes(event, tuk_head=tono)
    assert services.event_step_complete(event, 8, actor=lina).status == EventStatus.ARCHIVED


def test_the_event_names_the_sop_version_it_followed_and_keeps_it_after_a_revision(event, lina, login, scheme, site):
    sop = event.procedure
    assert (sop.number, sop.version, sop.effective_on) == ("PSM/DISNAKER-10", 1, datetime.date(2017, 3, 20))
    assert sop.approved_by.startswith("Kepala Dinas Ketenagakerjaan, DR. Ir. H. M. Rakhmansyah")
    assert len(sop.legal_basis) == 6 and sop.made_on == datetime.date(2017, 2, 14)
    page = login(lina).get(reverse("assessments:event", args=[event.pk])).content.decode()
    assert "Mengikuti: SOP PSM/DISNAKER-10, versi 1" in page and "berlaku sejak 20 Maret 2017" in page
    revised = Procedure.objects.create(number=sop.number, version=2, name=sop.name, made_on=timezone.localdate(),
                                       revised_on=timezone.localdate(), effective_on=timezone.localdate(),
                                       approved_by=sop.approved_by)
    later = services.event_create(actor=lina, scheme=scheme, test_site=site,
                                  starts_at=timezone.now() + datetime.timedelta(days=9))
    assert later.procedure == revised and Event.objects.get(pk=event.pk).procedure == sop
