"""Issued PDFs (a whole event's printed certificates and letters) in the local folder and in a real S3 bucket."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.models import PrintJob
from certportal.files import private_storage

from .test_documents import decided, text_of  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_a_printed_event_is_stored_and_opens_for_the_lsp_only(storage_backend, decided, lina, alice, bob,  # noqa: F811
                                                               login, django_capture_on_commit_callbacks):
    services.participant_accept_obligations(decided.participants.get(application__applicant=alice), user=alice)
    client = login(lina)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:print-start", args=[decided.pk]), {"kind": "letters"})
    job = PrintJob.objects.get()
    assert job.status == "done" and private_storage.exists(job.file.name)
    download = reverse("assessments:print-status", args=[job.pk])
    pdf = b"".join(client.get(client.get(download).json()["download"]).streaming_content)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2 and "Alice Applicant, S.Sos." in text_of(pdf)
    with private_storage.open(job.file.name, "rb") as fh:
        assert fh.read() == pdf
    assert login(bob).get(client.get(download).json()["download"]).status_code in (403, 404)
