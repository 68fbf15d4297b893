"""Issued PDFs (a whole event's printed certificates and letters) in the local folder and in a real S3 bucket."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.certificates.models import PrintJob
from certportal.files import private_storage

from .test_documents import text_of

pytestmark = pytest.mark.django_db


def test_a_printed_event_is_stored_and_opens_for_the_lsp_only(storage_backend, decided, lina, alice, bob,
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


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_another_host_writes_where_the_web_host_reads(s3_server, settings, lina, alice, scheme, site,
                                                                   assessor, tono, asa, alice_app, bob_app, request):
    """The worker is a separate process with only the environment to go by, like a second machine: what it prints
    lands in the shared bucket (not a local folder) and the web side serves it from there."""
    import uuid

    from tests.conftest import use_s3_bucket, wait_for

    from .factories import decide_event, planned_event

    use_s3_bucket(settings, s3_server, f"shared-{uuid.uuid4().hex[:12]}")
    request.getfixturevalue("celery_worker_process")  # started after the bucket is configured
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app, bob_app])
    event = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    from assessments.certificates import services as certs

    job = certs.print_job_start(event, actor=lina, kind="certificates")
    job = wait_for(lambda: PrintJob.objects.filter(pk=job.pk, status="done").first(), timeout=90)
    assert private_storage.exists(job.file.name)
    assert not (settings.PRIVATE_MEDIA_ROOT / job.file.name).exists()  # not in the local folder
    from tests.conftest import client_for

    response = client_for(lina).get(reverse("assessments:print-download", args=[job.pk]))
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == 4  # two fronts, two backs
