"""Every write about applicants and their applications.

CONTRACT: every status change of an application goes through the workflow core's
:func:`certportal.workflow.transition`, by the arrow's name (:func:`application_act`), with the arrows, roles,
guards, reasons and effects declared in :mod:`applicants.workflow` (the one table). The core locks the row, checks
the state, the person, the guards (time included) and the reason, raises :class:`ApplicationRefused` with a
translated message when refused, sets the stamps, runs the declared effects (the service clock), saves the row
once, writes the one audit row (``applicants.application.<name>``: who, when, from, to, why, client address) and
runs the declared notices (the applicant's e-mail, the verifiers' notice), all in one transaction
(:mod:`applicants.effects`).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record
from certportal.lsp.licence import scope_refusal
from certportal.notifications.services import notify
from certportal.workflow import transition

from . import effects, hooks, rules
from .models import (
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
from .provided import not_provided
from .workflow import (
    BEFORE_TEST,
    CLOSED,
    EDITABLE,
    MACHINE,
    UNDER_REVIEW,
    ApplicationError,
    ApplicationRefused,
    code,
)

__all__ = ["BEFORE_TEST", "CLOSED", "EDITABLE", "UNDER_REVIEW", "ApplicationError", "ApplicationRefused",
           "application_act"]

CLOCK = effects.CLOCK  # the service clock's policy code (the pages read it from here)
completeness_due = effects.completeness_due
PROFILE_SAVED = "applicants.applicantprofile.saved"

# Reads shared with the machine's guards and the pages (kept importable from here).
eligibility_problems = rules.eligibility_problems
eligibility_of = rules.eligibility_of
missing_items = rules.missing_items
latest_checks = rules.latest_checks


def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def application_act(app: Application, name: str, *, actor, reason: str = "", ip: str | None = None,
                    at: datetime.datetime | None = None, **changes) -> Application:
    """The one way to move an application: take the arrow ``name`` (:mod:`applicants.workflow`) through the core,
    with its roles, guards, reason and declared effects; raises :class:`ApplicationRefused` when refused.
    Returns the fresh row (the caller's instance is refreshed too)."""
    return transition(app, name, user=actor, reason=reason, ip=ip, at=at, **changes)


def verifier_digest(*, since: datetime.datetime, until: datetime.datetime | None = None) -> int:
    """E-mail every verifier who keeps the daily digest on the dossiers (re)submitted in [since, until).
    Returns the number of e-mails queued; a verifier with nothing new gets none."""
    from .selectors import applications_visible_to

    until = until or timezone.now()
    sent = 0
    for verifier in effects.verifiers().filter(daily_digest=True).exclude(email=""):
        apps = list(applications_visible_to(verifier).filter(
            status__in=UNDER_REVIEW, submitted_at__gte=since, submitted_at__lt=until).exclude(
            applicant=verifier).select_related("scheme").order_by("submitted_at", "id")[:200])
        if apps:
            notify(verifier, template="applicants/email/digest", in_portal=False,
                   context={"applications": apps}, url=reverse("applicants:queue"))
            sent += 1
    return sent


# --- the applicant's side ---------------------------------------------------------------------------------

def profile_save(*, user, data: dict) -> ApplicantProfile:
    """Create or update the applicant's profile; drafts and returned dossiers pick the new data up."""
    with transaction.atomic():
        profile = ApplicantProfile.objects.filter(user=user).first() or ApplicantProfile(user=user)
        for name, value in data.items():
            setattr(profile, name, value)
        profile.save()
        audit_record(actor=user, obj=profile, action=PROFILE_SAVED)
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
    if refusal := scope_refusal(scheme.code):
        raise ApplicationError(refusal)
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
        audit_record(actor=user, obj=app, action=code("created"), to_state=Status.DRAFT, note=scheme.code)
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


def document_upload(document: ApplicationDocument, *, user, upload, kind: str, slot: int | None = None) -> DocumentFile:
    """Put a file in one of the requirement's slots (1..``max_files``): ``slot`` when given, else the first free
    one; with every slot full the oldest file is replaced (kept as the slot's earlier version)."""
    app = document.application
    _editable(app, user)
    not_provided(document)
    with transaction.atomic():
        doc = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
        current = list(doc.files.filter(superseded_at__isnull=True).order_by("uploaded_at", "id"))
        slot = _slot_for(current, max(doc.requirement.max_files, 1), slot)
        now = timezone.now()
        DocumentFile.objects.filter(pk__in=[f.pk for f in current if f.slot == slot]).update(superseded_at=now)
        version = (doc.files.filter(slot=slot).aggregate(m=Max("version"))["m"] or 0) + 1
        new = DocumentFile(document=doc, slot=slot, version=version, original_name=upload.name[:255], kind=kind,
                           size=upload.size, uploaded_by=user)
        new.file.save(upload.name, upload, save=False)
        new.save()
        if doc.review != ApplicationDocument.Review.PENDING:
            doc.review, doc.review_note, doc.reviewed_at, doc.reviewed_by = "pending", "", None, None
            doc.save(update_fields=["review", "review_note", "reviewed_at", "reviewed_by"])
        audit_record(actor=user, obj=app, action=code("document_uploaded"),
                     note=f"{doc.requirement.name} {slot}: {new.original_name} (v{version})")
    return new


def _slot_for(current: list[DocumentFile], limit: int, wanted: int | None) -> int:
    """The slot a new file goes to: the one asked for, else the first free, else the oldest file's."""
    if wanted is not None and 1 <= wanted <= limit:
        return wanted
    taken = {f.slot for f in current}
    free = [n for n in range(1, limit + 1) if n not in taken]
    return free[0] if free else current[0].slot


def documents_upload(document: ApplicationDocument, *, user, uploads: list[tuple]) -> list[DocumentFile]:
    """Several files for one requirement at once (``uploads``: (file, kind) already checked), each in its slot."""
    return [document_upload(document, user=user, upload=upload, kind=kind) for upload, kind in uploads]


def document_remove_file(file: DocumentFile, *, user) -> None:
    """Take a file out of the dossier (it stays in the history, marked as replaced)."""
    _editable(file.document.application, user)
    not_provided(file.document)
    if file.superseded_at is None:
        file.superseded_at = timezone.now()
        file.save(update_fields=["superseded_at"])
        audit_record(actor=user, obj=file.document.application, action=code("document_removed"), note=file.original_name)


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


def application_submit(app: Application, *, user, declaration: bool, ip: str | None = None) -> Application:
    """Submit (or resubmit after a return). The machine refuses while anything is missing, the e-mail is
    unconfirmed or the declaration is not ticked; the profile is frozen on the application as it is submitted."""
    _editable(app, user)
    name = "resubmitted" if app.status == Status.RETURNED else "submitted"
    now = timezone.now()
    with transaction.atomic():
        profile = ApplicantProfile.objects.get(user=user)
        snapshot = {"applicant_name": profile.full_name, "nip": profile.nip, "org_unit": profile.org_unit,
                    "profile_data": profile.snapshot()}
        app = application_act(app, name, actor=user, ip=ip, declaration_at=now if declaration else None, **snapshot)
        ReturnNote.objects.filter(application=app, resolved_at__isnull=True).update(resolved_at=now)
    return app


def application_withdraw(app: Application, *, user, reason: str, ip: str | None = None) -> Application:
    """Withdrawn by the applicant before the test, with a reason (the machine says who and until when)."""
    return application_act(app, "withdrawn", actor=user, reason=reason, ip=ip)


# --- the verifier's side ----------------------------------------------------------------------------------

REVIEWABLE = UNDER_REVIEW | {Status.COMPLETE}  # step 3 may still find a problem with a document


def _reviewer(app: Application, actor) -> None:
    """Documents and checks are recorded by the people who decide on the dossier (the machine's rule for them)."""
    if not actor.has_role(*MACHINE.get("completed").roles):
        raise ApplicationError(_("Documents and checks are recorded by a verifier."))
    if app.applicant_id == actor.pk:
        raise ApplicationError(_("This is your own application: another member of staff acts on it."))


def document_review(document: ApplicationDocument, *, actor, accepted: bool, reason: str = "") -> ApplicationDocument:
    app = document.application
    _reviewer(app, actor)
    if app.status not in REVIEWABLE:
        raise ApplicationError(_("Documents are checked while the application is submitted, resubmitted or "
                                 "complete."))
    if not accepted and not reason.strip():
        raise ApplicationError(_("Say why the document is returned, so the applicant can fix it."))
    document.review = ApplicationDocument.Review.ACCEPTED if accepted else ApplicationDocument.Review.RETURNED
    document.review_note = "" if accepted else reason.strip()
    document.reviewed_by, document.reviewed_at = actor, timezone.now()
    document.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, obj=app, action=code(f"document_{document.review}"),
                 note=f"{document.requirement.name}{': ' + document.review_note if document.review_note else ''}")
    return document


def documents_accept_remaining(app: Application, *, actor) -> list[ApplicationDocument]:
    """Accept every document that has files and is still waiting (not yet checked) in one go; documents the
    verifier returned are left alone, so a deliberate return is never overwritten."""
    pending = app.documents.select_related("requirement", "application").filter(
        review=ApplicationDocument.Review.PENDING, files__superseded_at__isnull=True).distinct()
    with transaction.atomic():
        return [document_review(document, actor=actor, accepted=True) for document in pending]


def check_record(app: Application, *, actor, kind: str, result: str, note: str = "") -> VerificationCheck:
    _reviewer(app, actor)
    allowed = UNDER_REVIEW if kind == VerificationCheck.Kind.COMPLETENESS else {Status.COMPLETE}
    if app.status not in allowed:
        raise ApplicationError(_("The %(check)s is recorded while the application is %(states)s.") % {
            "check": VerificationCheck.Kind(kind).label,
            "states": " / ".join(status_label(s) for s in sorted(allowed))})
    check = VerificationCheck.objects.create(application=app, kind=kind, result=result, note=note, checked_by=actor)
    audit_record(actor=actor, obj=app, action=code(f"{kind}_checked"), to_state=result, note=note)
    return check


def application_return(app: Application, *, actor, reason: str, field_notes: dict[str, str] | None = None,
                       ip: str | None = None) -> Application:
    """Return for correction, before or after the dossier was declared complete and correct (then the service
    clock pauses until it is resubmitted). The returned documents' reasons and the per-field notes become
    correction notes."""
    with transaction.atomic():
        app = application_act(app, "returned", actor=actor, reason=reason, ip=ip)
        notes = [ReturnNote(application=app, document=d, text=d.review_note, author=actor)
                 for d in app.documents.filter(review=ApplicationDocument.Review.RETURNED)]
        notes += [ReturnNote(application=app, field=field, text=text, author=actor)
                  for field, text in (field_notes or {}).items()]
        ReturnNote.objects.bulk_create(notes)
    return app


def application_complete(app: Application, *, actor, ip: str | None = None) -> Application:
    """Declare the dossier complete and correct (starts the clock): every document with files accepted."""
    with transaction.atomic():
        app = application_act(app, "completed", actor=actor, ip=ip)
        # the completeness check is what the declaration records (the machine checked it may be taken)
        kind, passed = VerificationCheck.Kind.COMPLETENESS, VerificationCheck.Result.PASSED
        VerificationCheck.objects.create(application=app, kind=kind, result=passed, checked_by=actor)
        audit_record(actor=actor, obj=app, action=code(f"{kind}_checked"), to_state=passed)
    return app


def application_verify(app: Application, *, actor, ip: str | None = None) -> Application:
    """Verified once both the administrative and the substantive check passed (recorded separately)."""
    return application_act(app, "verified", actor=actor, ip=ip)


def application_reject(app: Application, *, actor, reason: str, ip: str | None = None) -> Application:
    """Rejected after verification found the dossier does not qualify (the reason is told to the applicant)."""
    return application_act(app, "rejected", actor=actor, reason=reason, ip=ip)


def naming_candidates(user, queryset, *, held_back: list | None = None):
    """The applications ``user`` may name as participants now: the machine's rule, applied to a list. With
    ``held_back``, the verified ones a rule holds back (a funded round's, :mod:`applicants.hooks`) are appended
    to it as ``(application, reason)``, so the page says why they are not offered."""
    from certportal.workflow import allowed_actions

    chosen = []
    for app in queryset:
        action = allowed_actions(app, user, only=("named",))["named"]
        if action.allowed:
            app.funding = hooks.funding_of(app)
            chosen.append(app)
        elif held_back is not None and action.offer_reason:
            held_back.append((app, action.reason))
    return chosen


def participants_name(applications, *, actor, reference: str, ip: str | None = None) -> list[Application]:
    """Name several verified applicants as participants at once (penetapan peserta): all or nothing."""
    reference = reference.strip()
    if not reference:
        raise ApplicationError(_("Give the number of the naming decision (penetapan)."))
    with transaction.atomic():
        return [application_act(app, "named", actor=actor, reason=reference, ip=ip, naming_reference=reference)
                for app in applications]


def document_opened(file: DocumentFile, *, user, ip_address: str | None = None) -> None:
    DocumentAccess.objects.create(file=file, user=user, ip_address=ip_address)
