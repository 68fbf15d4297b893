"""Issue 17 point 4 (remainder): the complaint report, the per-unit recap and the SLA dashboard's CSV run as export
jobs when large (more rows than EXPORT_BACKGROUND_ROWS), with progress and a private download; small ones still
stream at once."""

import csv
import io

import pytest

from applicants.models import Status
from certportal.exportjobs.models import ExportJob
from complaints import services as complaints
from tests.applicants.factories import ApplicationFactory, SchemeFactory
from tests.complaints.factories import identified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _rows(client, job: ExportJob) -> list[list[str]]:
    response = client.get(f"/ekspor/{job.public_id}/unduh/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _background(client, url: str, capture) -> ExportJob:
    with capture(execute=True):  # the job is handed to the (eager) worker after the request commits
        response = client.get(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/ekspor/{job.public_id}/"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.file.name.startswith("exports/")
    page = client.get(response.url).content.decode()
    assert "unduh/" in page  # the page offers the file
    return job


def test_a_large_complaint_report_is_an_export_job(karin, login, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_BACKGROUND_ROWS = 2
    numbers = [complaints.complaint_file(data=identified()).tracking_number for _i in range(3)]
    client = login(karin)
    job = _background(client, "/pengaduan/laporan/csv/", django_capture_on_commit_callbacks)
    rows = _rows(client, job)
    assert sorted(r[0] for r in rows[1:]) == sorted(numbers)
    assert job.total == 3 and job.done == 3
    # Another person (another role, or the same role) never sees the job nor its file.
    other = login(UserFactory(email="karin2@example.go.id", roles=["complaint_officer"]))
    assert other.get(f"/ekspor/{job.public_id}/").status_code == 404
    assert other.get(f"/ekspor/{job.public_id}/unduh/").status_code == 404
    # Anonymous: to the login page.
    assert client.__class__().get(f"/ekspor/{job.public_id}/unduh/").status_code == 302


def test_a_large_complaint_report_in_xlsx_keeps_its_summary_sheets(karin, login, settings,
                                                                   django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    settings.EXPORT_BACKGROUND_ROWS = 0
    complaints.complaint_file(data=identified())
    client = login(karin)
    job = _background(client, "/pengaduan/laporan/xlsx/", django_capture_on_commit_callbacks)
    body = b"".join(client.get(f"/ekspor/{job.public_id}/unduh/").streaming_content)
    assert len(load_workbook(io.BytesIO(body), read_only=True).sheetnames) == 5


def test_a_small_complaint_report_still_streams_at_once(karin, login):
    complaints.complaint_file(data=identified())
    response = login(karin).get("/pengaduan/laporan/csv/")
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_a_large_unit_recap_is_an_export_job(victor, login, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_BACKGROUND_ROWS = 2
    scheme = SchemeFactory()
    for i, unit in enumerate(["Dinas Kesehatan", "Dinas Kesehatan", "BKPSDM"]):
        ApplicationFactory(scheme=scheme, status=Status.SUBMITTED, org_unit=unit, applicant_name=f"Rekap {i}")
    client = login(victor)
    job = _background(client, "/permohonan/rekap-unit/?format=csv", django_capture_on_commit_callbacks)
    rows = _rows(client, job)
    assert [r[:2] for r in rows[1:]] == [["BKPSDM", "1"], ["Dinas Kesehatan", "2"]]


def test_a_large_sla_csv_is_an_export_job_and_other_roles_are_refused(sofia, alice, login, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.EXPORT_BACKGROUND_ROWS = -1  # any dashboard is "large"
    assert login(alice).get("/tenggat/?format=csv").status_code == 403
    client = login(sofia)
    job = _background(client, "/tenggat/?months=3&format=csv", django_capture_on_commit_callbacks)
    rows = _rows(client, job)
    assert rows[0][0] in ("Bagian", "Section") and job.params == {"months": ["3"], "format": ["csv"]}
