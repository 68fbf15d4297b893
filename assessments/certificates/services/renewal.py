"""Re-certification (issue 18 point 6): a holder applies again from their certificate.

The new application is pre-filled from the earlier one: the profile (as every application), the purpose
*re-certification*, *experienced in the field* (so the assessment follows the portfolio-and-interview route the
scheme prescribes for experienced holders), the self-assessment answers of the units still in the scheme, and the
documents the verifier accepted last time whose requirement is still asked for (same name): their stored files are
referenced again, not re-uploaded (files are never deleted, see ``document_remove_file``), and the applicant may
replace any of them. On issue, the new certificate *renews* the earlier one and, if that one is still valid, runs
from its expiry date: its validity is counted from there, so re-certifying early loses no time.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from applicants import services as applicant_services
from applicants.models import Application, ApplicationDocument, DocumentFile, SelfAssessment
from assessments.certificates.models import Certificate, Renewal
from assessments.errors import AssessmentError
from certportal.audit.services import audit_record
from schemes.models import Scheme

RENEWAL_STARTED = "assessments.certificate.recertification_started"


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (or earlier); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def recertify_refusal(cert: Certificate, user, today: datetime.date) -> str | None:
    if getattr(cert.holder_account, "pk", None) != user.pk:
        return _("Only the holder re-certifies their certificate.")
    if cert.status == Certificate.Status.WITHDRAWN:
        return _("A withdrawn certificate is not renewed: apply for a new certification.")
    if cert.status == Certificate.Status.REDUCED:
        return _("This certificate's scope was reduced: re-certify from the certificate that replaces it.")
    if cert.renewed_by.exists():
        return _("This certificate has already been renewed.")
    return None


def _current_scheme(cert: Certificate) -> Scheme | None:
    return Scheme.objects.filter(code=cert.scheme_code, is_current=True, is_published=True).first()


def _reuse_documents(old: Application, new: Application, user) -> int:
    accepted = {d.requirement.name.strip().lower(): d for d in old.documents.select_related("requirement")
                .filter(review=ApplicationDocument.Review.ACCEPTED)}
    reused = 0
    for doc in new.documents.select_related("requirement"):
        earlier = accepted.get(doc.requirement.name.strip().lower())
        if earlier is None or doc.files.exists():
            continue
        files = earlier.files.filter(superseded_at__isnull=True)
        DocumentFile.objects.bulk_create([DocumentFile(document=doc, slot=f.slot, file=f.file.name, original_name=f.original_name,
                                                       kind=f.kind, size=f.size, uploaded_by=user) for f in files])
        reused += bool(files)
    return reused


def _copy_self_assessment(old: Application, new: Application) -> None:
    units = set(new.scheme.scheme_units.values_list("unit_id", flat=True))
    SelfAssessment.objects.bulk_create([
        SelfAssessment(application=new, unit_id=a.unit_id, element_id=a.element_id, answer=a.answer,
                       evidence=a.evidence) for a in old.self_assessments.all() if a.unit_id in units])


def recertification_start(cert: Certificate, *, user, today: datetime.date | None = None) -> Application:
    """The holder's re-certification application, pre-filled (idempotent: an open one is returned)."""
    from django.utils import timezone

    refusal = recertify_refusal(cert, user, today or timezone.localdate())
    if refusal:
        raise AssessmentError(refusal)
    existing = Renewal.objects.filter(previous=cert).exclude(application__status__in=("withdrawn", "rejected"))
    if existing.exists():
        return existing.first().application
    scheme = _current_scheme(cert)
    if scheme is None:
        raise AssessmentError(_("The scheme of this certificate is no longer open for applications."))
    with transaction.atomic():
        app = applicant_services.application_start(user=user, scheme=scheme)
        if Renewal.objects.filter(application=app).exists() or app.self_assessments.exists() or \
                DocumentFile.objects.filter(document__application=app).exists():
            raise AssessmentError(_("You already have an application for this scheme in progress: finish or "
                                    "withdraw it first."))
        old = cert.application  # None for a certificate from the LSP's register: nothing to carry over
        app.purpose, app.experienced = Application.Purpose.RECERTIFICATION, True
        app.save(update_fields=["purpose", "experienced", "updated_at"])
        reused = _reuse_documents(old, app, user) if old else 0
        if old:
            _copy_self_assessment(old, app)
        Renewal.objects.create(application=app, previous=cert, documents_reused=reused)
        audit_record(actor=user, obj=cert, action=RENEWAL_STARTED, note=f"#{app.pk}")
    return app


def renewal_terms(application: Application, on: datetime.date, years: int, default_expiry: datetime.date):
    """(certificate it renews or None, expiry date) for a certificate issued ``on`` to ``application``."""
    renewal = Renewal.objects.filter(application=application).select_related("previous").first()
    if renewal is None:
        return None, default_expiry
    previous = renewal.previous
    if previous.state(on) == "valid":
        return previous, add_years(previous.expires_on, years)
    return previous, default_expiry
