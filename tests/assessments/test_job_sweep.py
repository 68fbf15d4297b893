"""The job base's ONE beat sweep (certportal.jobs): a stale job of every kind (print, export, decree import) is
failed with the reason in its requester's language; fresh jobs and finished ones are left alone."""

import datetime

import pytest
from django.utils import timezone

from assessments.certificates.models import PrintJob
from certportal.audit.models import AuditEntry
from certportal.exportjobs.models import ExportJob
from certportal.jobs.registry import kinds
from certportal.jobs.tasks import sweep
from schemes.models import ImportJob

pytestmark = pytest.mark.django_db


def test_the_one_sweep_is_in_the_beat_schedule_and_knows_every_kind(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "certportal.jobs.tasks.sweep" in tasks
    assert not tasks & {"assessments.tasks.sweep_print_jobs", "certportal.exportjobs.tasks.sweep_export_jobs"}
    assert {k.model for k in kinds()} >= {PrintJob, ExportJob, ImportJob}


def test_the_sweep_fails_a_stale_job_of_each_kind_in_its_requesters_language(event, lina, asa, settings):
    settings.ASSESSMENT_PRINT_RUNNING_MINUTES = settings.EXPORT_JOB_QUEUED_MINUTES = 15
    settings.SCHEMES_IMPORT_RUNNING_MINUTES = 15
    lina.preferred_language = "en"
    lina.save(update_fields=["preferred_language"])
    old = timezone.now() - datetime.timedelta(minutes=20)
    printing = PrintJob.objects.create(event=event, kind="letters", status="running", created_by=lina)
    export = ExportJob.objects.create(source="applicants.queue", fmt="csv", filename="a.csv", created_by=asa,
                                      language="id")
    reading = ImportJob.objects.create(kind="skkni", filename="skkni.pdf", status="running", created_by=lina, language="en",
                                       file="decrees/x.pdf")
    fresh = ImportJob.objects.create(kind="kkni", filename="kkni.txt", status="running", created_by=lina,
                                     file="decrees/y.txt")
    done = ImportJob.objects.create(kind="kkni", filename="kkni.txt", status="done", created_by=lina,
                                    file="decrees/z.txt")
    for model, job in ((PrintJob, printing), (ExportJob, export), (ImportJob, reading), (ImportJob, done)):
        model.objects.filter(pk=job.pk).update(moved_at=old)

    assert sweep.run() == 3
    assert sweep.run() == 0  # again: nothing more
    for job in (printing, export, reading, fresh, done):
        job.refresh_from_db()
    assert printing.status == "failed" and "made no progress for 15 minutes" in printing.error  # Lina: English
    assert export.status == "failed" and "Tidak ada worker yang memulai ekspor ini dalam 15 menit" in export.error
    assert reading.status == "failed" and "Reading the decree made no progress for 15 minutes" in reading.error
    assert fresh.status == "running" and done.status == "done"
    # Each kind's audit code stays namespaced by its model; the print job's and the import's are the system's.
    assert AuditEntry.objects.filter(action="assessments.printjob.failed", actor=None).count() == 1
    assert AuditEntry.objects.filter(action="exportjobs.exportjob.failed", actor=asa).count() == 1
    assert AuditEntry.objects.filter(action="schemes.importjob.failed", actor=None).count() == 1
