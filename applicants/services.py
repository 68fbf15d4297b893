"""Every write about applicants and their applications.

CONTRACT: :func:`application_transition` is the ONE way an application's status changes (the assessments app
calls it too). It locks the row, checks :data:`applicants.models.TRANSITIONS`, requires a reason where one is
owed, stamps the dates, writes the audit row, e-mails the applicant in their language and tells the SLA clock.

The service clock ("certification", 14/30 working days) starts when the dossier is declared complete and
correct and stops when the certificate (or the result letter) is handed over. It never has to pause while a
dossier is returned: a dossier can only be returned *before* it is complete, i.e. before the clock starts.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record
from certportal.errors import TransitionRefused
from certportal.notifications.services import notify

from .models import (
    BEFORE_TEST,
    TRANSITIONS,
    ApplicantProfile,
    Application,
    ApplicationDocument,
    DocumentAccess,
    DocumentFile,
    ReturnNote,
    SelfAssessment,
    Status,
    VerificationCheck,
)
from .selectors import queue_changed

CLOCK = "certification"
REASON_REQUIRED = {Status.RETURNED, Status.REJECTED, Status.WITHDRAWN}
CLOCK_STOPS = {Status.HANDED_OVER}
CLOCK_CANCELS = {Status.REJECTED, Status.WITHDRAWN}
CLOSED = {Status.HANDED_OVER, Status.REJECTED, Status.WITHDRAWN}


class ApplicationError(TransitionRefused):
    """A request about an application that cannot be granted; ``str(exc)`` is a translated, plain message."""


def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def application_transition(application: Application, to_status: str, *, actor, reason: str = "") -> Application:
    """Move ``application`` to ``to_status`` or raise :class:`ApplicationError`. Returns the fresh row."""
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("applicant", "scheme").get(pk=application.pk)
        from_status = app.status
        to_status = Status(to_status) if to_status in Status.values else to_status
        if to_status not in TRANSITIONS.get(from_status, set()):
            raise ApplicationError(
                _("Application #%(id)s is “%(current)s”; it cannot become “%(target)s” from there.")
                % {"id": app.pk, "current": status_label(from_status), "target": status_label(to_status)}
            )
        reason = (reason or "").strip()
        if to_status in REASON_REQUIRED and not reason:
            raise ApplicationError(
                _("Please give a reason: the applicant is told why the application is “%(target)s”.")
                % {"target": status_label(to_status)}
            )
        _stamp(app, to_status, reason)
        _drive_clock(app, from_status, to_status)
        app.save()
        audit_record(actor=actor, obj=app, action="status", from_state=from_status, to_state=to_status, note=reason)
        _tell_applicant(app, from_status, reason)
        transaction.on_commit(queue_changed)
    application.__dict__.update({k: v for k, v in app.__dict__.items() if not k.startswith("_")})
    return app


def _stamp(app: Application, to_status: str, reason: str) -> None:
    now = timezone.now()
    app.status = to_status
    app.status_changed_at = now
    app.status_reason = reason
    if to_status in (Status.SUBMITTED, Status.RESUBMITTED):
        app.submitted_at = now
    elif to_status == Status.COMPLETE:
        app.completed_at = now
    elif to_status in (Status.VERIFIED, Status.REJECTED):
        app.decided_at = now
    elif to_status == Status.PARTICIPANT and app.named_at is None:
        app.named_at = now
    if to_status in CLOSED:
        app.closed_at = now


def _drive_clock(app: Application, from_status: str, to_status: str) -> None:
    """Tell the SLA clock; ``app.deadline`` keeps a copy of the open clock's target date so the verifier's queue
    can sort 100,000 rows by deadline through an index (the clock stays the authority for every figure shown)."""
    from certportal.sla import services as sla

    if to_status == Status.COMPLETE:
        app.deadline = sla.start_clock(app, CLOCK).target_due
    elif to_status in CLOCK_STOPS:
        sla.stop_clock(app, CLOCK)
        app.deadline = None
    elif to_status in CLOCK_CANCELS:
        sla.cancel_clock(app, CLOCK)
        app.deadline = None


def _tell_applicant(app: Application, from_status: str, reason: str) -> None:
    notify(
        app.applicant,
        template="applicants/email/status",
        context={"application": app, "scheme": app.scheme, "reason": reason,
                 "status_value": app.status, "from_value": from_status},
        url=reverse("applicants:detail", kwargs={"pk": app.pk}),
        key=f"application-{app.pk}-{app.status}-{app.status_changed_at.isoformat()}",
    )


# --- the applicant's side ---------------------------------------------------------------------------------

EDITABLE = {Status.DRAFT, Status.RETURNED}


def profile_save(*, user, data: dict) -> ApplicantProfile:
    """Create or update the applicant's profile; drafts and returned dossiers pick the new data up."""
    with transaction.atomic():
        profile = ApplicantProfile.objects.filter(user=user).first() or ApplicantProfile(user=user)
        for name, value in data.items():
            setattr(profile, name, value)
        profile.save()
        audit_record(actor=user, obj=profile, action="profile saved")
        for app in Application.objects.filter(applicant=user, status__in=EDITABLE):
            _copy_profile(app, profile)
            app.save(update_fields=["applicant_name", "nip", "org_unit", "profile_data", "updated_at"])
    return profile


def _copy_profile(app: Application, profile: ApplicantProfile) -> None:
    app.applicant_name = profile.full_name
    app.nip = profile.nip
    app.org_unit = profile.org_unit
    app.profile_data = profile.snapshot()


def application_start(*, user, scheme) -> Application:
    """A new draft for ``scheme``; a second draft for the same scheme is refused (the first one is returned)."""
    profile = ApplicantProfile.objects.filter(user=user).first()
    if profile is None:
        raise ApplicationError(_("Please fill in your profile first: it pre-fills every application."))
    if not scheme.is_current or not scheme.is_published:
        raise ApplicationError(_("This scheme is not open for applications."))
    open_app = (Application.objects.filter(applicant=user, scheme__code=scheme.code)
                .exclude(status__in=CLOSED | {Status.COMPETENT, Status.CERTIFIED}).first())
    if open_app is not None:
        return open_app
    with transaction.atomic():
        app = Application(applicant=user, scheme=scheme, status=Status.DRAFT, status_changed_at=timezone.now())
        _copy_profile(app, profile)
        app.save()
        ApplicationDocument.objects.bulk_create(
            [ApplicationDocument(application=app, requirement=r) for r in scheme.required_documents.all()])
        audit_record(actor=user, obj=app, action="status", to_state=Status.DRAFT, note=scheme.code)
    return app


def _editable(app: Application, user) -> None:
    if app.applicant_id != user.pk:
        raise ApplicationError(_("Only the applicant can change this application."))
    if app.status not in EDITABLE:
        raise ApplicationError(_("Application #%(id)s is “%(status)s” and can no longer be changed.")
                               % {"id": app.pk, "status": status_label(app.status)})


def application_save_data(app: Application, *, user, purpose: str, purpose_other: str,
                          experienced: bool) -> Application:
    _editable(app, user)
    app.purpose, app.purpose_other, app.experienced = purpose, purpose_other, experienced
    app.save(update_fields=["purpose", "purpose_other", "experienced", "updated_at"])
    return app


def document_upload(document: ApplicationDocument, *, user, upload, kind: str) -> DocumentFile:
    """Add a file to a requirement. Past ``max_files`` the oldest current file is replaced (kept as history)."""
    app = document.application
    _editable(app, user)
    with transaction.atomic():
        doc = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
        current = list(doc.files.filter(superseded_at__isnull=True).order_by("uploaded_at", "id"))
        limit = max(doc.requirement.max_files, 1)
        now = timezone.now()
        replaced = current[: max(len(current) - limit + 1, 0)]
        DocumentFile.objects.filter(pk__in=[f.pk for f in replaced]).update(superseded_at=now)
        version = (doc.files.aggregate(m=Max("version"))["m"] or 0) + 1
        new = DocumentFile(document=doc, version=version, original_name=upload.name[:255], kind=kind,
                           size=upload.size, uploaded_by=user)
        new.file.save(upload.name, upload, save=False)
        new.save()
        if doc.review != ApplicationDocument.Review.PENDING:
            doc.review, doc.review_note, doc.reviewed_at, doc.reviewed_by = "pending", "", None, None
            doc.save(update_fields=["review", "review_note", "reviewed_at", "reviewed_by"])
        audit_record(actor=user, obj=app, action="document uploaded",
                     note=f"{doc.requirement.name}: {new.original_name} (v{version})")
    return new


def document_remove_file(file: DocumentFile, *, user) -> None:
    """Take a file out of the dossier (it stays in the history, marked as replaced)."""
    _editable(file.document.application, user)
    if file.superseded_at is None:
        file.superseded_at = timezone.now()
        file.save(update_fields=["superseded_at"])
        audit_record(actor=user, obj=file.document.application, action="document removed", note=file.original_name)


def self_assessment_save(app: Application, *, user, answers: list[tuple]) -> int:
    """``answers``: (unit_id, element_id or None, answer or '', evidence). Empty answers are kept unanswered."""
    _editable(app, user)
    saved = 0
    with transaction.atomic():
        for unit_id, element_id, answer, evidence in answers:
            qs = SelfAssessment.objects.filter(application=app, unit_id=unit_id, element_id=element_id)
            if not answer:
                qs.delete()
                continue
            if not qs.update(answer=answer, evidence=evidence):
                SelfAssessment.objects.create(application=app, unit_id=unit_id, element_id=element_id,
                                              answer=answer, evidence=evidence)
            saved += 1
    return saved


def eligibility_problems(app: Application) -> list[str]:
    """The scheme's rules the applicant's data does not meet, each in plain words."""
    from schemes.services import check_eligibility

    data = app.profile_data or {}
    if not data:
        return [_("Your profile is not filled in yet.")]
    return check_eligibility(app.scheme, employment_status=data.get("employment_status", ""),
                             education=data.get("education", ""), rank=data.get("rank", ""),
                             years_of_service=int(data.get("years_of_service") or 0),
                             employer_government=data.get("employer_government", ""),
                             years_in_government=data.get("years_in_government"))


def missing_items(app: Application, *, documents=None) -> list[str]:
    """What still stands between this dossier and submission, and why (used by the wizard and the dashboard)."""
    missing = []
    if app.experienced is None:
        missing.append(_("Say whether you are experienced in the field (it decides the assessment method)."))
    if app.purpose == Application.Purpose.OTHER and not app.purpose_other:
        missing.append(_("Say what the other purpose of the application is."))
    documents = documents if documents is not None else app.documents.select_related("requirement").annotate(
        n_current=Count("files", filter=Q(files__superseded_at__isnull=True)))
    for doc in documents:
        req = doc.requirement
        need = max(req.min_files, 1) if req.mandatory else 0
        if doc.n_current < need:
            missing.append(_("Upload “%(doc)s” (%(need)s file(s) needed, %(have)s uploaded).")
                           % {"doc": req.name, "need": need, "have": doc.n_current})
        elif doc.review == ApplicationDocument.Review.RETURNED:
            missing.append(_("Replace “%(doc)s”: %(reason)s") % {"doc": req.name, "reason": doc.review_note})
    missing.extend(_self_assessment_missing(app))
    return missing


def _self_assessment_missing(app: Application) -> list[str]:
    from schemes.models import SchemeUnit, UnitElement

    units = list(SchemeUnit.objects.filter(scheme=app.scheme).select_related("unit"))
    elements = {}
    for e in UnitElement.objects.filter(unit__in=[su.unit_id for su in units]).only("id", "unit_id"):
        elements.setdefault(e.unit_id, set()).add(e.pk)
    answered = {}
    for unit_id, element_id in app.self_assessments.values_list("unit_id", "element_id"):
        answered.setdefault(unit_id, set()).add(element_id)
    missing = []
    for su in units:
        expected = elements.get(su.unit_id) or {None}
        if not expected <= answered.get(su.unit_id, set()):
            missing.append(_("Answer the self-assessment for unit %(code)s “%(title)s”.")
                           % {"code": su.unit.code, "title": su.unit.title})
    return missing


def application_submit(app: Application, *, user, declaration: bool) -> Application:
    """Submit (or resubmit after a return). Refused while anything is missing or the e-mail is unconfirmed."""
    _editable(app, user)
    if not user.email_verified:
        raise ApplicationError(_("Please confirm your e-mail address first (use the link we sent you); "
                                 "your draft is saved."))
    if not declaration:
        raise ApplicationError(_("Please tick the declaration before submitting."))
    problems = eligibility_problems(app) + missing_items(app)
    if problems:
        raise ApplicationError(_("The application cannot be submitted yet: %(list)s")
                               % {"list": " ".join(str(p) for p in problems)})
    with transaction.atomic():
        target = Status.RESUBMITTED if app.status == Status.RETURNED else Status.SUBMITTED
        profile = ApplicantProfile.objects.get(user=user)
        _copy_profile(app, profile)
        app.declaration_at = timezone.now()
        app.save(update_fields=["applicant_name", "nip", "org_unit", "profile_data", "declaration_at"])
        ReturnNote.objects.filter(application=app, resolved_at__isnull=True).update(resolved_at=timezone.now())
        return application_transition(app, target, actor=user)


def application_withdraw(app: Application, *, user, reason: str) -> Application:
    if app.applicant_id != user.pk:
        raise ApplicationError(_("Only the applicant can withdraw this application."))
    if app.status not in BEFORE_TEST:
        raise ApplicationError(_("The test has been held: the application can no longer be withdrawn."))
    return application_transition(app, Status.WITHDRAWN, actor=user, reason=reason)


# --- the verifier's side ----------------------------------------------------------------------------------

UNDER_REVIEW = {Status.SUBMITTED, Status.RESUBMITTED}


def document_review(document: ApplicationDocument, *, actor, accepted: bool, reason: str = "") -> ApplicationDocument:
    app = document.application
    if app.status not in UNDER_REVIEW:
        raise ApplicationError(_("Documents are checked while the application is submitted or resubmitted."))
    if not accepted and not reason.strip():
        raise ApplicationError(_("Say why the document is returned, so the applicant can fix it."))
    document.review = ApplicationDocument.Review.ACCEPTED if accepted else ApplicationDocument.Review.RETURNED
    document.review_note = "" if accepted else reason.strip()
    document.reviewed_by, document.reviewed_at = actor, timezone.now()
    document.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, obj=app, action=f"document {document.review}",
                 note=f"{document.requirement.name}{': ' + document.review_note if document.review_note else ''}")
    return document


def check_record(app: Application, *, actor, kind: str, result: str, note: str = "") -> VerificationCheck:
    allowed = UNDER_REVIEW if kind == VerificationCheck.Kind.COMPLETENESS else {Status.COMPLETE}
    if app.status not in allowed:
        raise ApplicationError(_("The %(check)s is recorded while the application is %(states)s.") % {
            "check": VerificationCheck.Kind(kind).label,
            "states": " / ".join(status_label(s) for s in sorted(allowed))})
    check = VerificationCheck.objects.create(application=app, kind=kind, result=result, note=note, checked_by=actor)
    audit_record(actor=actor, obj=app, action=f"check {kind}", to_state=result, note=note)
    return check


def application_return(app: Application, *, actor, reason: str, field_notes: dict[str, str] | None = None
                       ) -> Application:
    """Return for correction: the returned documents' reasons and the per-field notes become correction notes."""
    _require_allowed(app, Status.RETURNED)
    with transaction.atomic():
        notes = [ReturnNote(application=app, document=d, text=d.review_note, author=actor)
                 for d in app.documents.filter(review=ApplicationDocument.Review.RETURNED)]
        notes += [ReturnNote(application=app, field=field, text=text, author=actor)
                  for field, text in (field_notes or {}).items()]
        app = application_transition(app, Status.RETURNED, actor=actor, reason=reason)
        ReturnNote.objects.bulk_create(notes)
    return app


def _require_allowed(app: Application, to_status: str) -> None:
    """Refuse early (with the transition's own message) before any other check can confuse the user."""
    app.refresh_from_db(fields=["status"])
    if to_status not in TRANSITIONS.get(app.status, set()):
        raise ApplicationError(
            _("Application #%(id)s is “%(current)s”; it cannot become “%(target)s” from there.")
            % {"id": app.pk, "current": status_label(app.status), "target": status_label(to_status)})


def application_complete(app: Application, *, actor) -> Application:
    """Declare the dossier complete and correct (starts the clock): every document with files accepted."""
    _require_allowed(app, Status.COMPLETE)
    pending = [d.requirement.name for d in app.documents.select_related("requirement")
               if d.review != ApplicationDocument.Review.ACCEPTED and (d.requirement.mandatory or d.files.exists())]
    if pending:
        raise ApplicationError(_("Accept every document first; still open: %(list)s.") % {"list": ", ".join(pending)})
    with transaction.atomic():
        check_record(app, actor=actor, kind=VerificationCheck.Kind.COMPLETENESS,
                     result=VerificationCheck.Result.PASSED)
        return application_transition(app, Status.COMPLETE, actor=actor)


def latest_checks(app: Application) -> dict[str, VerificationCheck]:
    latest = {}
    for check in app.checks.all():
        latest[check.kind] = check
    return latest


def application_verify(app: Application, *, actor) -> Application:
    """Verified once both the administrative and the substantive check passed (recorded separately)."""
    _require_allowed(app, Status.VERIFIED)
    latest = latest_checks(app)
    for kind in (VerificationCheck.Kind.ADMINISTRATIVE, VerificationCheck.Kind.SUBSTANTIVE):
        check = latest.get(kind)
        if check is None or check.result != VerificationCheck.Result.PASSED:
            raise ApplicationError(_("Record a passed %(check)s before verifying.") % {"check": kind.label.lower()})
    return application_transition(app, Status.VERIFIED, actor=actor)


def participants_name(applications, *, actor, reference: str) -> list[Application]:
    """Name several verified applicants as participants at once (penetapan peserta): all or nothing."""
    reference = reference.strip()
    if not reference:
        raise ApplicationError(_("Give the number of the naming decision (penetapan)."))
    done = []
    with transaction.atomic():
        for app in applications:
            app = application_transition(app, Status.PARTICIPANT, actor=actor, reason=reference)
            app.naming_reference = reference
            app.save(update_fields=["naming_reference"])
            done.append(app)
    return done


def document_opened(file: DocumentFile, *, user, ip_address: str | None = None) -> None:
    DocumentAccess.objects.create(file=file, user=user, ip_address=ip_address)
