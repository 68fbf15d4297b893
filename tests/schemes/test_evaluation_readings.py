"""Seed 003 item 14.3 "Hasil evaluasi disampaikan kepada semua aparat penyelenggara pelayanan untuk merumuskan
perbaikan yang perlu dilakukan": the yearly evaluation's results go to every member of staff in the portal, each
acknowledges reading them, and the evaluation page shows who has and who has not."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from schemes import reference
from schemes.evaluations import EvaluationError, evaluation_record, results_acknowledge
from schemes.models import EvaluationReading

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2027, 1, 20, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def record(lina, victor, tono, alice):
    reference.load_service_standard()
    with time_machine.travel(NOW, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return evaluation_record(actor=lina, year=2026, held_on=datetime.date(2027, 1, 15),
                                 participants="Kepala BKPSDM\nPetugas layanan", findings="Antrean verifikasi panjang.",
                                 decisions="Tambah satu verifikator pada bulan sibuk.")


def test_the_results_go_to_every_member_of_staff_and_not_to_applicants(record, lina, victor, tono, alice):
    sent = set(EvaluationReading.objects.filter(evaluation=record).values_list("user__email", flat=True))
    assert sent == {lina.email, victor.email, tono.email}
    assert Notification.objects.filter(user=victor, url=reverse("schemes:evaluation-read", args=[record.pk])).exists()
    assert not Notification.objects.filter(user=alice).exists()
    assert {m.to[0] for m in mail.outbox} == sent
    assert AuditEntry.objects.filter(action="service_evaluation_sent", to_state="3").exists()


def test_each_acknowledges_and_the_evaluation_page_shows_who_has_and_who_has_not(record, lina, victor, tono, alice,
                                                                                  login, client):
    url = reverse("schemes:evaluation-read", args=[record.pk])
    detail = reverse("schemes:manage-evaluation-detail", args=[record.pk])
    page = login(lina).get(detail).content.decode()
    assert page.count('data-read="no"') == 3 and "0 menyatakan telah membacanya" in page
    reader = login(victor)
    page = reader.get(url).content.decode()
    assert "Tambah satu verifikator pada bulan sibuk." in page and 'id="acknowledge-evaluation"' in page
    page = reader.post(url, follow=True).content.decode()
    assert "pembacaan Anda atas hasil evaluasi dicatat" in page and 'id="evaluation-acknowledged"' in page
    reader.post(url)  # twice: still once
    assert AuditEntry.objects.filter(action="service_evaluation_read").count() == 1
    page = login(lina).get(detail).content.decode()
    assert page.count('data-read="yes"') == 1 and page.count('data-read="no"') == 2
    row = page[page.index("Victor Verifier"):]
    assert "belum" not in row[:row.index("</tr>")]
    assert login(alice).get(url).status_code == 403
    assert login(victor).get(detail).status_code == 403
    assert client.get(url).status_code == 302
    with pytest.raises(EvaluationError):
        results_acknowledge(record, user=alice)


def test_staff_the_results_were_not_sent_to_find_nothing(record, login):
    from certportal.accounts.models import Role
    from tests.factories import UserFactory

    newcomer = UserFactory(full_name="Nina Newcomer", email="nina@example.go.id", roles=[Role.VERIFIER])
    assert login(newcomer).get(reverse("schemes:evaluation-read", args=[record.pk])).status_code == 404
