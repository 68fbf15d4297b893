"""Certificate and mark use (ISO/IEC 17024 9.7; Pedoman BNSP 05/2013 9.7): the rules the holder accepts with the
certificate-holder obligations, and reports of misuse filed by anyone from the public verification page (what,
where, an optional contact, evidence checked like every upload), handled by the LSP admin to a result through the
machine ``assessments.misusereport.*``: no action, a warning to the holder (portal and e-mail), or the
certificate suspended or withdrawn through its own transition in the same transaction.

The reporter is given the report's number (``PS-<year>-<id>``, :attr:`MisuseReport.number`) and the address of a
page that follows it (:func:`tracking_token`, signed: it cannot be guessed from the number), on the thank-you page
and, when their contact is an e-mail address, in a receipt."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.certificates.models import Certificate
from assessments.certificates.scope_models import MisuseEvidence, MisuseReport
from assessments.certificates.services.issue import certificate_suspend, certificate_withdraw
from assessments.certificates.services.surveillance import evidence_kinds
from assessments.certificates.workflow_scope import MISUSE
from assessments.errors import AssessmentError
from assessments.events import holder_rules
from certportal.audit.services import audit_record
from certportal.ratelimit import over_limit
from certportal.workflow import transition

MAX_FILES = 3
TRACK_SALT = "assessments.misuse.track"

# The rules of use, part of the certificate-holder obligations the holder accepts (shown where they accept them,
# on their certificate page and on the public page's report form); kept with the acceptance's record.
USE_RULES = holder_rules.USE_RULES


def report_rate_limited(ip: str | None) -> bool:
    """At most ASSESSMENT_MISUSE_REPORTS_PER_HOUR reports per address per hour."""
    return over_limit("assess-misuse", ip, limit=settings.ASSESSMENT_MISUSE_REPORTS_PER_HOUR, seconds=3600)


def misuse_report_file(cert: Certificate, *, what: str, where: str, reporter_name: str = "",
                       reporter_contact: str = "", uploads=(), ip: str | None = None) -> MisuseReport:
    """Record a report from the public page; every file is checked before anything is stored."""
    what, where = (what or "").strip(), (where or "").strip()
    if not what or not where:
        raise AssessmentError(_("Say what is misused and where (an address or a place)."))
    uploads = list(uploads)
    kinds = evidence_kinds(uploads, MAX_FILES)
    with transaction.atomic():
        report = MisuseReport.objects.create(
            certificate=cert, what=what, where=where[:500], reporter_name=(reporter_name or "").strip()[:200],
            reporter_contact=(reporter_contact or "").strip()[:200], ip_address=ip)
        for upload, kind in zip(uploads, kinds, strict=True):
            upload.seek(0)
            MisuseEvidence.objects.create(report=report, file=upload, original_name=upload.name[:255], kind=kind,
                                          size=upload.size)
        audit_record(actor=None, obj=report, action=MISUSE.code("received"), to_state=report.status,
                     ip_address=ip, note=cert.number)
        _tell_admins(report)
        _tell_reporter(report)
    return report


def tracking_token(report: MisuseReport) -> str:
    return signing.dumps(report.pk, salt=TRACK_SALT)


def report_by_token(token: str) -> MisuseReport | None:
    try:
        pk = signing.loads(token or "", salt=TRACK_SALT)
    except signing.BadSignature:
        return None
    return MisuseReport.objects.select_related("certificate").filter(pk=pk).first()


def tracking_url(report: MisuseReport) -> str:
    return reverse("assessments:misuse-track", kwargs={"token": tracking_token(report)})


def _tell_reporter(report: MisuseReport) -> None:
    """A receipt with the number and the page that follows the report, when the contact given is an e-mail address
    (in the language the reporter wrote in)."""
    from django.utils import translation

    from certportal.notifications.services import absolute_url, render_message, send_email_later

    try:
        validate_email(report.reporter_contact)
    except ValidationError:
        return
    subject, body = render_message("assessments/email/misuse_receipt", {
        "report": report, "cert": report.certificate, "url": absolute_url(tracking_url(report))},
        translation.get_language() or settings.LANGUAGE_CODE)
    send_email_later(to=[report.reporter_contact], subject=subject, body=body)


def _tell_admins(report: MisuseReport) -> None:
    from django.contrib.auth import get_user_model

    from certportal.accounts.models import Role
    from certportal.notifications.services import notify

    for admin in get_user_model().objects.with_role(Role.LSP_ADMIN):
        notify(admin, template="assessments/email/misuse_received", email=False,
               url=reverse("assessments:misuse-report", kwargs={"pk": report.pk}),
               context={"report": report, "cert": report.certificate}, key=f"misuse:{report.pk}:{admin.pk}")


def misuse_handle(report: MisuseReport, action: str, *, actor, reason: str,
                  until: datetime.date | None = None, ip: str | None = None) -> MisuseReport:
    """Take the report to its result; a suspension or withdrawal is the certificate's own transition (the holder is
    told by it), a warning is told to the holder here."""
    if action not in {t.name for t in MISUSE.transitions}:
        raise AssessmentError(_("Choose a result for the report."))
    reason = (reason or "").strip()
    with transaction.atomic():
        report = transition(report, action, user=actor, reason=reason, ip=ip, result_note=reason)
        cert = report.certificate
        note = _("After misuse report #%(pk)s: %(reason)s") % {"pk": report.pk, "reason": reason}
        if action == "suspended":
            if until is None:
                raise AssessmentError(_("Say until when the certificate is suspended (a date from today on)."))
            certificate_suspend(cert, actor=actor, reason=note, until=until, ip=ip)
        elif action == "withdrawn":
            certificate_withdraw(cert, actor=actor, reason=note, ip=ip)
        elif action == "warned":
            _warn_holder(report)
    return report


def _warn_holder(report: MisuseReport) -> None:
    from certportal.notifications.services import notify

    cert = report.certificate
    if cert.holder_account is None:  # imported from the register, its holder without an account in the portal
        return
    notify(cert.holder_account, template="assessments/email/certificate_misuse_warning",
           url=reverse("assessments:holder-certificate", kwargs={"pk": cert.pk}),
           context={"cert": cert, "reason": report.result_note})
