"""The holder's life after the certificate: reports of a change affecting their competence (reviewed by the LSP
admin, who may then suspend or withdraw through the certificate's transitions), and the employers' API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
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
    if getattr(cert.holder_account, "pk", None) != user.pk:
        raise AssessmentError(_("Only the holder reports on their certificate."))
    if cert.status in (Certificate.Status.WITHDRAWN, Certificate.Status.REDUCED):
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
API_RENEWED, API_LOCKED = "assessments.certificates.apitoken.renewed", "assessments.certificates.apitoken.locked"


def token_expiry(now=None):
    return (now or timezone.now()) + datetime.timedelta(days=settings.ASSESSMENT_API_TOKEN_DAYS)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(*, name: str, actor) -> tuple[ApiToken, str]:
    """A new token: the raw value is returned once (to show the LSP admin) and only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise AssessmentError(_("Name the employer the token is for."))
    raw = "cp_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(name=name, prefix=raw[:8], digest=token_digest(raw), created_by=actor,
                                        expires_at=token_expiry())
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


def api_token_renew(token: ApiToken, *, actor) -> ApiToken:
    """A new expiry (``ASSESSMENT_API_TOKEN_DAYS`` from now) for a token not revoked; a token locked by its misses
    is unlocked by it (the LSP admin has looked at why). Audited with the state it leaves."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise AssessmentError(_("A revoked token is not renewed: issue a new one."))
        before = token.state()
        token.expires_at, token.locked_at, token.misses = token_expiry(), None, 0
        token.save(update_fields=["expires_at", "locked_at", "misses"])
        audit_record(actor=actor, obj=token, action=API_RENEWED, from_state=before, to_state="active",
                     note=f"{token.name}: {timezone.localdate(token.expires_at).isoformat()}")
    return token


def api_token_missed(token: ApiToken, misses: int, *, ip: str | None = None) -> bool:
    """Count ``misses`` look-ups that found nothing against the token's quota of the day; past
    ``ASSESSMENT_API_MISSES_PER_DAY`` the token is locked (audited) and every LSP admin told (in the portal and by
    e-mail). True when the token is locked."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from certportal.accounts.models import Role
    from certportal.notifications.services import notify

    if misses <= 0:
        return token.locked_at is not None
    today = timezone.localdate()
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        token.misses = (token.misses if token.misses_on == today else 0) + misses
        token.misses_on = today
        fields = ["misses", "misses_on"]
        newly_locked = token.locked_at is None and token.misses > settings.ASSESSMENT_API_MISSES_PER_DAY
        if newly_locked:
            token.locked_at = timezone.now()
            fields.append("locked_at")
        token.save(update_fields=fields)
        if newly_locked:
            audit_record(actor=None, obj=token, action=API_LOCKED, from_state="active", to_state="locked",
                         ip_address=ip, note=f"{token.misses} misses on {today.isoformat()}")
            for admin in get_user_model().objects.with_role(Role.LSP_ADMIN):
                notify(admin, template="assessments/email/api_token_locked", url=reverse("assessments:api-tokens"),
                       context={"token": token, "misses": token.misses}, key=f"api-locked:{token.pk}:{today}")
    return token.locked_at is not None

