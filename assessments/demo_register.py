"""Demo of switching the portal on: the LSP's paper register of certificates (``fixtures/adoption/
register_sertifikat.csv``: 24 certificates issued 2023 to 2026 before the portal) imported through the register
import itself (``assessments.certificates.services.register_jobs``): uploaded, read and checked (the worker's
part, run here), previewed and imported by the demo's LSP admin (the worker's write run here too), with the job's
and each certificate's audit rows.
So the register page (``/asesmen/sertifikat/register/``) shows an applied import in its history, and each imported
certificate is publicly verifiable, saying the paper original is the record.

Runs before the demo's events issue their certificates, as on a real portal (the register first): the portal's
numbering goes on after the register's highest number of each year. Once: a second demo run finds it applied."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from assessments.certificates.register_models import RegisterImport
from assessments.certificates.services import register_jobs

REGISTER_FILE = "register_sertifikat.csv"


def load(stdout, *, admin) -> None:
    if RegisterImport.objects.filter(filename=REGISTER_FILE, status=RegisterImport.Status.APPLIED).exists():
        return
    data = (settings.BASE_DIR / "fixtures" / "adoption" / REGISTER_FILE).read_bytes()
    with translation.override(settings.LANGUAGE_CODE):  # the row messages, read later, in the portal's language
        job = register_jobs.register_start(data=data, filename=REGISTER_FILE, actor=admin)
        register_jobs.register_run(job.pk)  # the worker's part, here (the queued task finds it read and leaves it)
    job.refresh_from_db()
    if job.status == RegisterImport.Status.DONE and not job.faulty:
        job = register_jobs.register_confirm(job, actor=admin)
        register_jobs.register_write(job.pk)  # the worker's part, here (a queued task finds it applied and leaves it)
        job.refresh_from_db()
    if stdout:
        stdout.write(f"  assessments: certificate register imported from {REGISTER_FILE}: {job.status}, "
                     f"{job.counts.get('new', 0)} certificates ({job.faulty} faulty rows)")
