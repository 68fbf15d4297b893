"""Heavy documents are background jobs: the participant's assessment file, the event's archive of every
participant's file (a ZIP) and the archive of SOP step 8 are written by the export job with progress, offered on
the job's page to the person who asked (while they may still read it), and the button answers at once."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from certportal.audit.models import AuditEntry
from certportal.exportjobs.models import ExportJob
from tests.conftest import wait_for

from .documents import document_via_job, job_of


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _file_url(participant) -> str:
    return f"/asesmen/peserta/{participant.pk}/berkas-asesmen/"


@pytest.mark.django_db
def test_the_button_answers_at_once_with_the_jobs_page_and_a_second_click_gets_the_same_job(event, lina, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    p = event.participants.order_by("pk").first()
    client = login(lina)
    with CaptureQueriesContext(connection) as queries:
        first = client.post(_file_url(p))
    job = job_of(first)
    # the request only records the job (a few queries whatever the file holds; its time is measured in
    # bench/bench_assessment_file.py, never in a timed test)
    assert len(queries) <= 20, [q["sql"][:80] for q in queries]
    # nothing rendered in the request: the job waits for a worker, without a file
    assert (job.status, job.file.name, job.done, job.fmt) == (ExportJob.Status.QUEUED, "", 0, "pdf")
    page = client.get(first.url).content.decode()
    assert f"berkas-asesmen-{p.pk}.pdf" in page and "Dalam antrean" in page and 'id="job-download"' not in page
    again = job_of(client.post(_file_url(p)))  # another tab, a replayed form
    assert again.pk == job.pk and ExportJob.objects.count() == 1
    assert client.get(_file_url(p)).status_code == 405  # a link cannot start it


@pytest.mark.slow  # a whole paper or a big export: make test runs it, make check leaves it out
@pytest.mark.django_db
def test_the_assessment_file_is_offered_to_the_requester_only_and_each_download_is_audited(
        event, lina, asa, alice, bob, other_assessor_user, client, login):
    p = event.participants.get(application__applicant=alice)
    response, job = document_via_job(login(lina), _file_url(p))
    pdf = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF-")
    assert "FR.APL.01" in _text(pdf) and "Alice Applicant" in _text(pdf)
    assert job.file.name.startswith("exports/") and "berkas" not in job.file.name  # unguessable, private
    assert (job.done, job.total) == (job.total, job.total) and job.total >= 3  # progress counted per form
    assert AuditEntry.objects.filter(action="assessments.participant.file_downloaded", object_id=str(p.pk)).count() == 1
    for outsider in (asa, alice, other_assessor_user):  # even the participant's own assessor: not their job
        assert login(outsider).get(f"/ekspor/{job.public_id}/").status_code == 404
        assert login(outsider).get(f"/ekspor/{job.public_id}/unduh/").status_code == 404
    assert client.get(f"/ekspor/{job.public_id}/unduh/").status_code == 302  # anonymous: to the login page
    for outsider in (alice, bob, other_assessor_user):
        assert login(outsider).post(_file_url(p)).status_code == 403
    lina.role_links.all().delete()  # the requester's role taken away: the file is no longer theirs to read
    assert login(lina).get(f"/ekspor/{job.public_id}/unduh/").status_code == 404


@pytest.mark.slow  # a whole paper or a big export: make test runs it, make check leaves it out
@pytest.mark.django_db
def test_the_events_archive_of_files_is_a_zip_of_every_participants_file(event, lina, asa, login, alice, bob):
    url = f"/asesmen/acara/{event.pk}/berkas-asesmen/"
    page = login(lina).get(f"/asesmen/acara/{event.pk}/").content.decode()
    assert 'id="event-assessment-files"' in page and 'id="event-archive"' in page
    response, job = document_via_job(login(lina), url)
    assert response["Content-Type"] == "application/zip" and job.total == 2
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = sorted(archive.namelist())
        texts = [_text(archive.read(n)) for n in names]
    assert len(names) == 2 and all(n.startswith("berkas-asesmen-") and n.endswith(".pdf") for n in names)
    assert any("Alice Applicant" in t for t in texts) and any("Bob Applicant" in t for t in texts)
    assert AuditEntry.objects.filter(action="assessments.participant.file_downloaded").count() == 2
    assert login(alice).post(url).status_code == 403
    assert 'id="event-assessment-files"' not in login(bob).get(f"/asesmen/acara/{event.pk}/").content.decode()


@pytest.mark.django_db
def test_the_archive_of_step_8_is_a_job_and_no_longer_rendered_in_the_request(event, lina, login, alice):
    client = login(lina)
    assert client.get(f"/asesmen/acara/{event.pk}/dokumen/arsip.pdf").status_code == 404
    response, job = document_via_job(client, f"/asesmen/acara/{event.pk}/dokumen/arsip/")
    text = _text(b"".join(response.streaming_content))
    assert "Kesiapan sarana prasarana" in text and job.filename == f"arsip-{event.pk}.pdf"
    assert login(alice).post(f"/asesmen/acara/{event.pk}/dokumen/arsip/").status_code == 403


@pytest.mark.slow  # a whole paper or a big export: make test runs it, make check leaves it out
@pytest.mark.django_db
def test_a_failed_document_job_shows_the_reason_and_is_tried_again(event, lina, login, settings):
    from certportal.exportjobs.services import export_run

    p = event.participants.order_by("pk").first()
    client = login(lina)
    job = job_of(client.post(_file_url(p)))
    settings.PRIVATE_MEDIA_ROOT = "/proc/no-such-place"  # the file cannot be stored
    export_run(job.pk)
    job.refresh_from_db()
    expected = {"id": "Dokumen tidak dapat disusun", "en": "The document could not be written"}[job.language]
    assert job.status == ExportJob.Status.FAILED and expected in job.error, (job.language, job.error)
    retried = client.post(f"/ekspor/{job.public_id}/ulangi/")
    job.refresh_from_db()
    assert retried.status_code == 302 and job.status == ExportJob.Status.QUEUED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_assessment_file_and_the_page_offers_it(celery_worker_process, lina, login):
    from certportal.accounts.models import Role
    from tests.factories import UserFactory

    from .factories import SiteFactory, make_application, make_assessor, planned_event, scheme_with_units

    scheme = scheme_with_units(2)
    asa = UserFactory(full_name="Asa Worker", roles=[Role.ASSESSOR])
    applicant = UserFactory(full_name="Wulan Worker", roles=[Role.APPLICANT])
    event = planned_event(actor=lina, scheme=scheme, site=SiteFactory(), assessor=make_assessor(asa, schemes=[scheme]),
                          applications=[make_application(scheme, applicant, name="Wulan Worker")])
    p = event.participants.get()
    client = login(lina)
    job = job_of(client.post(_file_url(p)))
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE, timeout=120)
    page = client.get(f"/ekspor/{job.public_id}/").content.decode()
    assert 'id="job-download"' in page
    pdf = b"".join(client.get(f"/ekspor/{job.public_id}/unduh/").streaming_content)
    assert "Wulan Worker" in _text(pdf) and "FR.APL.01" in _text(pdf)
    actions = list(AuditEntry.objects.filter(object_id=str(job.pk), action__startswith="exportjobs.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["exportjobs.exportjob.requested", "exportjobs.exportjob.started",
                       "exportjobs.exportjob.finished"]


@pytest.mark.django_db
def test_a_job_whose_requester_lost_the_right_meanwhile_writes_nothing(event, lina, login):
    from certportal.exportjobs.services import export_run

    p = event.participants.order_by("pk").first()
    job = job_of(login(lina).post(_file_url(p)))
    lina.role_links.all().delete()  # before a worker took the job
    export_run(job.pk)
    job.refresh_from_db()
    expected = {"id": "tidak lagi berhak", "en": "no longer read"}[job.language]
    assert job.status == ExportJob.Status.FAILED and expected in job.error and not job.file
