"""Issue 15: verifiers hear of new and resubmitted dossiers (a short notice in the portal, one e-mail digest a
day they can switch off); "accept all remaining" accepts only the documents still waiting."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from applicants import services
from applicants.models import ApplicationDocument
from certportal.notifications.models import Notification

from .helpers import submitted_application

pytestmark = pytest.mark.django_db


def test_a_submission_gives_each_verifier_a_short_notice_and_the_digest_mails_it_once(
        alice_profile, scheme, victor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = submitted_application(alice_profile, scheme)
    note = Notification.objects.get(user=victor)
    assert note.subject == f"Berkas baru #{app.pk} perlu diperiksa"  # victor reads Indonesian
    assert note.body.startswith("Alice Applicant, S.Sos. (") and "Dear" not in note.body and "http" not in note.body
    assert note.url == f"/permohonan/verifikasi/{app.pk}/"
    assert not [m for m in mail.outbox if m.to == [victor.email]]  # no e-mail per dossier

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.verifier_digest(since=timezone.now() - datetime.timedelta(days=1))
    assert sent == 1
    digest = [m for m in mail.outbox if m.to == [victor.email]]
    assert len(digest) == 1 and "1 berkas menunggu verifikasi" in digest[0].subject
    assert f"#{app.pk} Alice Applicant" in digest[0].body


def test_a_verifier_who_switched_the_digest_off_gets_no_mail(alice_profile, scheme, victor, login,
                                                              django_capture_on_commit_callbacks):
    response = login(victor).post("/permohonan/antrian/ringkasan-harian/", {"on": "0"}, follow=True)
    assert "The daily e-mail digest is off" in response.content.decode()
    submitted_application(alice_profile, scheme)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.verifier_digest(since=timezone.now() - datetime.timedelta(days=1)) == 0
    assert not [m for m in mail.outbox if m.to == [victor.email]]


def test_an_applicant_cannot_switch_a_verifiers_digest(alice, login):
    assert login(alice).post("/permohonan/antrian/ringkasan-harian/", {"on": "0"}).status_code == 403


def test_accept_remaining_accepts_only_waiting_documents_and_only_by_a_verifier(alice_profile, scheme, victor,
                                                                                alice, login):
    app = submitted_application(alice_profile, scheme)
    first, second = app.documents.order_by("requirement__position")
    services.document_review(first, actor=victor, accepted=False, reason="Buram")
    assert login(alice).post(f"/permohonan/verifikasi/{app.pk}/terima-semua/").status_code == 403
    login(victor).post(f"/permohonan/verifikasi/{app.pk}/terima-semua/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.review, second.review) == (ApplicationDocument.Review.RETURNED, ApplicationDocument.Review.ACCEPTED)
