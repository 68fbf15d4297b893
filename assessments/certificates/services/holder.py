"""The holder's life after the certificate: reports of a change affecting their competence (reviewed by the LSP
admin, who may then suspend or withdraw through the certificate's transitions), and the employers' API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.certificates.models import ApiToken, Certificate, HolderReport
from assessments.certificates.workflow import HOLDER_REPORT
from assessments.errors import AssessmentError
from certportal.audit.services import audit_record
from certportal.workflow import transition


def holder_report_submit(cert: Certificate, *, user, text: str) -> HolderReport:
    """The holder tells the LSP what changed; only the holder of a certificate that is not withdrawn reports."""
    text = (text or "").strip()
    if cert.application.applicant_id != user.pk:
        raise AssessmentError(_("Only the holder reports on their certificate."))
    if cert.status == Certificate.Status.WITHDRAWN:
        raise AssessmentError(_("This certificate is withdrawn: there is nothing to report on it."))
    if not text:
        raise AssessmentError(_("Describe what changed."))
    with transaction.atomic():
        report = HolderReport.objects.create(certificate=cert, reporter=user, text=text)
        audit_record(actor=user, obj=report, action=HOLDER_REPORT.code("submitted"),
                     to_state=HolderReport.Status.SUBMITTED, note=cert.number)
    return report


def holder_report_review(report: HolderReport, *, actor, reason: str, ip: str | None = None) -> HolderReport:
    return transition(report, "reviewed", user=actor, reason=reason, ip=ip, review_note=(reason or "").strip())


# --- API tokens -------------------------------------------------------------------------------------------

API_ISSUED, API_REVOKED, API_LOOKUP = "assessments.certificates.apitoken.issued", "assessments.certificates.apitoken.revoked", \
    "assessments.certificates.apitoken.lookup"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(*, name: str, actor) -> tuple[ApiToken, str]:
    """A new token: the raw value is returned once (to show the LSP admin) and only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise AssessmentError(_("Name the employer the token is for."))
    raw = "cp_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(name=name, prefix=raw[:8], digest=token_digest(raw), created_by=actor)
        audit_record(actor=actor, obj=token, action=API_ISSUED, to_state="active", note=name)
    return token, raw


def api_token_revoke(token: ApiToken, *, actor) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise AssessmentError(_("This token is already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, obj=token, action=API_REVOKED, from_state="active", to_state="revoked",
                     note=token.name)
    return token


def api_token_find(raw: str) -> ApiToken | None:
    """The active token with this value, or None (a revoked or unknown token is the same to the caller)."""
    if not raw or len(raw) > 200:
        return None
    return ApiToken.objects.filter(digest=token_digest(raw), revoked_at__isnull=True).first()
