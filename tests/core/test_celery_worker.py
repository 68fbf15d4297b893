"""A task enqueued by a request runs in a real worker process, through Redis."""

import pytest
from django.urls import reverse

from tests.conftest import worker_mail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_registration_email_is_sent_by_a_real_worker(client, celery_worker_process):
    response = client.post(reverse("accounts:register"), {
        "full_name": "Wulan Worker", "email": "wulan@example.go.id", "password1": "Kopi-Tubruk-Pagi-77",
        "password2": "Kopi-Tubruk-Pagi-77", "consent": "on",
    })
    assert response.status_code == 302
    mail_dir = celery_worker_process
    text = worker_mail(mail_dir, "wulan@example.go.id")
    assert "wulan@example.go.id" in text
    assert "/akun/konfirmasi/" in text
