"""Survey invitations: one per delivery reference, one answer per handover, anonymous in reports."""

import pytest
from django.core import mail

from certportal.signals import service_delivered
from complaints.models import SurveyInvitation, SurveyResponse
from complaints.services import ComplaintError, complaint_close, survey_answer

from .factories import SurveyInvitationFactory, file_complaint, walk_to

pytestmark = pytest.mark.django_db


def deliver(reference="certificate:7", email="holder@example.go.id"):
    service_delivered(kind="certificate", user=None, email=email, name="Holder", reference=reference,
                           scheme_code="SS-02", language="id")


def test_a_handover_creates_one_invitation_and_mails_one_unique_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deliver()
        deliver()  # the same handover reported twice
        deliver(reference="result-letter:3")
    assert SurveyInvitation.objects.count() == 2
    invitation = SurveyInvitation.objects.get(reference="certificate:7")
    assert len([m for m in mail.outbox if m.to == ["holder@example.go.id"]]) == 2
    assert f"/pengaduan/survei/{invitation.token}/" in mail.outbox[0].body


def test_closing_a_complaint_with_an_email_invites_to_the_survey(karin, django_capture_on_commit_callbacks):
    complaint = walk_to(file_complaint(), "answered", karin)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_close(complaint=complaint, actor=karin)
    assert SurveyInvitation.objects.filter(reference=f"complaint:{complaint.pk}").count() == 1


def test_exactly_one_answer_per_handover(client):
    invitation = SurveyInvitationFactory()
    survey_answer(invitation=invitation, scores=[4] * 9, comment="Bagus")
    with pytest.raises(ComplaintError):
        survey_answer(invitation=invitation, scores=[1] * 9)
    assert SurveyResponse.objects.count() == 1
    answers = {f"u{i}": "2" for i in range(1, 10)}
    response = client.post(f"/pengaduan/survei/{invitation.token}/", answers)
    assert response.status_code == 200
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().u1 == 4


def test_the_online_survey_shows_the_regulation_wording_and_records_the_answer(client):
    invitation = SurveyInvitationFactory()
    page = client.get(f"/pengaduan/survei/{invitation.token}/").content.decode()
    for wording in ("Tidak sesuai", "Sangat sesuai", "Sangat mudah", "Gratis", "Dikelola dengan baik", "Buruk", "Sangat Baik"):
        assert wording in page
    missing = client.post(f"/pengaduan/survei/{invitation.token}/", {"u1": "4"})
    assert missing.status_code == 200 and SurveyResponse.objects.count() == 0
    answers = {f"u{i}": "3" for i in range(1, 10)} | {"comment": "Cepat"}
    client.post(f"/pengaduan/survei/{invitation.token}/", answers)
    response = SurveyResponse.objects.get()
    assert response.scores() == [3] * 9 and response.scheme_code == invitation.scheme_code


def test_an_unknown_survey_link_is_not_found(client):
    assert client.get("/pengaduan/survei/nope/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_mails_the_survey_link_when_a_complaint_is_closed(celery_worker_process, karin):
    """Closing commits, the receiver creates the invitation, the worker sends the e-mail with the unique link."""
    from certportal.sla.models import SlaPolicy
    from certportal.sla.reference import seed_policies
    from tests.conftest import wait_for

    seed_policies(SlaPolicy)
    complaint = walk_to(file_complaint(), "answered", karin)
    complaint_close(complaint=complaint, actor=karin)
    invitation = SurveyInvitation.objects.get(reference=f"complaint:{complaint.pk}")

    def survey_mail():
        for path in celery_worker_process.iterdir():
            text = path.read_text()
            if f"/pengaduan/survei/{invitation.token}/" in text:
                return text
        return None

    assert "citra@example.go.id" in wait_for(survey_mail)


def test_an_already_answered_survey_is_told_as_information_not_as_an_error(client):
    """The second visit (or the second tab's send) gets a 200 page whose note is an info alert, not an error."""
    import re

    invitation = SurveyInvitationFactory()
    survey_answer(invitation=invitation, scores=[4] * 9)
    for response in (client.get(f"/pengaduan/survei/{invitation.token}/"),
                     client.post(f"/pengaduan/survei/{invitation.token}/", {f"u{i}": "2" for i in range(1, 10)})):
        page = response.content.decode()
        assert response.status_code == 200
        alert = re.search(r'<div class="alert alert-info[^"]*" role="status"[^>]*>(.*?)</div>', page, re.S)
        assert alert and "Survei ini sudah diisi" in alert.group(1)
        assert "alert-danger" not in page and "Terima kasih atas jawaban Anda" not in page
    assert SurveyResponse.objects.get().u1 == 4
