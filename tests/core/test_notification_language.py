"""In-portal notifications are read in the reader's language: a notice sent while the applicant read Indonesian
reads English once they switch (and back), and still says what was true when it was sent. Notices stored before
carry their words as written."""

import pytest
from django.urls import reverse

from applicants import services
from certportal.notifications.models import Notification
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.applicants.helpers import accept_all, submitted_application

pytestmark = pytest.mark.django_db


def inbox(client) -> str:
    return " ".join(client.get(reverse("notifications:inbox")).content.decode().split())


def test_a_notice_reads_in_the_language_the_reader_has_now_and_keeps_what_it_said(alice, victor, login):
    profile = ProfileFactory(user=alice, nip="198503142010012001", gender="2")
    app = submitted_application(profile, scheme_with_parts())
    services.application_return(app, actor=victor, reason="Scan SK Pangkat buram")
    note = Notification.objects.filter(user=alice, template="applicants/email/status").first()  # the latest
    assert note.subject == f"Permohonan #{app.pk}: Dikembalikan untuk perbaikan"  # sent in Indonesian
    client = login(alice)
    alice.preferred_language = "en"
    alice.save(update_fields=["preferred_language"])
    english = inbox(client)
    assert f"Application #{app.pk}: Returned for correction" in english
    assert "Dikembalikan untuk perbaikan" not in english and "Scan SK Pangkat buram" in english
    services.application_submit(app, user=alice, declaration=True)  # the application moves on
    accept_all(app, victor)
    services.application_complete(app, actor=victor)
    alice.preferred_language = "id"
    alice.save(update_fields=["preferred_language"])
    indonesian = inbox(client)
    assert f"Permohonan #{app.pk}: Dikembalikan untuk perbaikan" in indonesian  # what it said when it was sent
    assert f"Application #{app.pk}" not in indonesian


def test_a_notice_stored_before_reads_as_it_was_written(alice, login):
    Notification.objects.create(user=alice, subject="Permohonan #7: Diverifikasi", body="Lama, tanpa kode.")
    alice.preferred_language = "en"
    alice.save(update_fields=["preferred_language"])
    english = inbox(login(alice))
    assert "Permohonan #7: Diverifikasi" in english and "Lama, tanpa kode." in english
