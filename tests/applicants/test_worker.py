"""The status e-mail leaves through a real Celery worker, in the applicant's language."""

import pytest

from applicants.models import Status
from tests.conftest import worker_mail

from .factories import ApplicationFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_returned_dossier_is_emailed_by_the_worker_in_indonesian(alice, victor, login, celery_worker_process):
    app = ApplicationFactory(applicant=alice, status=Status.SUBMITTED)
    response = login(victor).post(f"/permohonan/verifikasi/{app.pk}/keputusan/", {
        "action": "return", "reason": "Pas foto harus berlatar merah"})
    assert response.status_code == 302
    text = worker_mail(celery_worker_process, "alice@example.go.id")
    assert "alice@example.go.id" in text
    assert "Dikembalikan untuk perbaikan" in text  # alice reads the portal in Indonesian
    assert "Pas foto harus berlatar merah" in text
    assert f"/permohonan/{app.pk}/" in text
