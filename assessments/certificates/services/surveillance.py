"""Surveillance (issue 18 point 5, ISO/IEC 17024 9.6): where the scheme asks for it (``Scheme.surveillance``:
none or yearly), the holder submits evidence for each year of the certificate (a statement of continued practice
and documents checked like dossier files); the LSP admin records the review. Evidence still missing
``ASSESSMENT_SURVEILLANCE_GRACE_DAYS`` after an anniversary puts the certificate in the LSP admin's work queue,
where the admin decides on a suspension (the certificate's own transition).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.certificates.models import Certificate, SurveillanceFile, SurveillanceReport
from assessments.certificates.services.renewal import add_years
from assessments.certificates.workflow import SURVEILLANCE
from assessments.errors import AssessmentError
from certportal.audit.services import audit_record
from certportal.files import validate_upload
from certportal.workflow import transition
from schemes.models import Scheme

MAX_FILES = 5


def evidence_kinds(uploads: list, max_files: int) -> list[str]:
    """The kind of each evidence file, each checked like a dossier upload; too many files or a refused one is an
    ``AssessmentError`` that says why (the holder's surveillance evidence, a misuse report's evidence)."""
    if len(uploads) > max_files:
        raise AssessmentError(_("At most %(n)s files.") % {"n": max_files})
    kinds = []
    for upload in uploads:
        try:
            kinds.append(validate_upload(upload))
        except ValidationError as exc:
            raise AssessmentError(" ".join(exc.messages)) from exc
    return kinds


def surveillance_dates(cert: Certificate) -> list[datetime.date]:
    """The anniversaries within the certificate's validity (none when the scheme asks for no surveillance)."""
    scheme = cert.scheme_version
    if scheme is None or scheme.surveillance != Scheme.Surveillance.YEARLY:
        return []
    dates, year = [], 1
    while (day := add_years(cert.issued_on, year)) < cert.expires_on:
        dates.append(day)
        year += 1
    return dates


def next_due(cert: Certificate, covered: set[datetime.date] | None = None) -> datetime.date | None:
    """The first anniversary without evidence, or None."""
    if covered is None:
        covered = set(cert.surveillance_reports.values_list("due_on", flat=True))
    return next((d for d in surveillance_dates(cert) if d not in covered), None)


def surveillance_overdue(today: datetime.date) -> list[Certificate]:
    """Valid certificates of yearly schemes whose evidence is missing past the grace period (oldest first)."""
    grace = datetime.timedelta(days=settings.ASSESSMENT_SURVEILLANCE_GRACE_DAYS)
    schemes = list(Scheme.objects.filter(surveillance=Scheme.Surveillance.YEARLY).values_list("pk", flat=True))
    if not schemes:  # no yearly scheme: no certificate to read (the join below reads them all)
        return []
    # an imported certificate names its scheme itself
    yearly = Q(application__scheme__in=schemes) | Q(scheme__in=schemes)
    certs = (Certificate.objects.filter(yearly, status=Certificate.Status.ISSUED, expires_on__gte=today,
                                        issued_on__lte=add_years(today - grace, -1))
             .select_related("application__scheme", "scheme").prefetch_related("surveillance_reports"))
    late = []
    for cert in certs:
        due = next_due(cert, {r.due_on for r in cert.surveillance_reports.all()})
        if due is not None and due + grace < today:
            cert.surveillance_due = due
            late.append(cert)
    return sorted(late, key=lambda c: c.surveillance_due)


def surveillance_submit(cert: Certificate, *, user, statement: str, uploads: list) -> SurveillanceReport:
    """The holder's evidence for the next anniversary without any; every file is checked before anything is
    stored (a refused file keeps nothing)."""
    statement = (statement or "").strip()
    if getattr(cert.holder_account, "pk", None) != user.pk:
        raise AssessmentError(_("Only the holder submits surveillance evidence."))
    if cert.status in (Certificate.Status.WITHDRAWN, Certificate.Status.REDUCED):
        raise AssessmentError(_("This certificate is withdrawn."))
    due = next_due(cert)
    if due is None:
        raise AssessmentError(_("No surveillance evidence is due for this certificate."))
    if not statement:
        raise AssessmentError(_("Describe how you kept practising the competence."))
    kinds = evidence_kinds(uploads, MAX_FILES)
    with transaction.atomic():
        report = SurveillanceReport.objects.create(certificate=cert, due_on=due, statement=statement,
                                                   submitted_by=user)
        for upload, kind in zip(uploads, kinds, strict=True):
            upload.seek(0)
            SurveillanceFile.objects.create(report=report, file=upload, original_name=upload.name[:255], kind=kind,
                                            size=upload.size)
        audit_record(actor=user, obj=report, action=SURVEILLANCE.code("submitted"),
                     to_state=SurveillanceReport.Status.SUBMITTED, note=f"{cert.number} {due.isoformat()}")
    return report


def surveillance_review(report: SurveillanceReport, *, actor, reason: str, ip: str | None = None):
    return transition(report, "reviewed", user=actor, reason=reason, ip=ip, review_note=(reason or "").strip())
