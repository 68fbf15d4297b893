"""Every write about applicants and their applications.

CONTRACT: every status change of an application goes through the workflow core's
:func:`certportal.workflow.transition` with the arrows, roles, guards and reasons declared in
:mod:`applicants.workflow` (the one table). The core locks the row, checks the state, the person, the guards (time
included) and the reason, raises :class:`ApplicationError` with a translated message when refused, saves and
writes the one audit row (``applicants.application.<name>``: who, when, from, to, why, client address).
:func:`application_transition` keeps the older call by target state (the assessments app uses it): it names the
arrow from (current state, target) and takes it through the core.

The effects of every arrow live in ONE place, the ``transitioned`` receiver :func:`_after_transition` (so they
happen whoever takes the arrow): the stamps (status changed at, reason, submitted, complete, decided, named,
closed), the service clock, the applicant's e-mail in their language and the queue counts.

The service clock ("certification": 14 target / 30 limit working days, seed 001 item 3) starts when the dossier
is first declared complete and correct; it is PAUSED while a dossier returned after that (step 3 found a
problem) is with the applicant, resumes when it is resubmitted, stops when the certificate (or the result
letter) is handed over, and is cancelled when the application is rejected or withdrawn. A dossier returned
before it was complete has no clock yet: nothing to pause.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certportal import dates
from certportal.audit.services import audit_record
from certportal.lsp.licence import scope_refusal
from certportal.notifications.services import notify
from certportal.workflow import transition, transitioned

from . import hooks, rules
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
from .selectors import queue_changed
from .workflow import (
    BEFORE_TEST,
    CLOSED,
    EDITABLE,
    MACHINE,
    UNDER_REVIEW,
    ApplicationError,
    code,
    transition_name,
)

__all__ = ["BEFORE_TEST", "CLOSED", "EDITABLE", "UNDER_REVIEW", "ApplicationError", "application_transition"]

CLOCK = "certification"
PROFILE_SAVED = "applicants.applicantprofile.saved"
CLOCK_STOPS = {Status.HANDED_OVER}
CLOCK_CANCELS = {Status.REJECTED, Status.WITHDRAWN}

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


def _take(app: Application, name: str, *, actor, reason: str = "", ip: str | None = None,
          at: datetime.datetime | None = None, **changes) -> Application:
    """Take the named arrow through the core (which refreshes the caller's instance too)."""
    return transition(app, name, user=actor, reason=reason, ip=ip, at=at, **changes)


def application_transition(application: Application, to_status: str, *, actor, reason: str = "") -> Application:
    """Move ``application`` to ``to_status`` or raise :class:`ApplicationError`. Returns the fresh row.

    The arrow is named from the current state and ``to_status`` (:data:`applicants.workflow.ARROWS`) and taken
    through the core, with its roles, guards and reason."""
    current = Application.objects.filter(pk=application.pk).values_list("status", flat=True).first()
    name = transition_name(current, to_status) if current is not None else None
    if name is None:
        raise ApplicationError(
            _("Application #%(id)s is “%(current)s”; it cannot become “%(target)s” from there.")
            % {"id": application.pk, "current": status_label(current or ""), "target": status_label(to_status)},
            code=code("status"))
    return _take(application, name, actor=actor, reason=reason)


# --- the effects of every arrow (whoever takes it) -------------------------------------------------------

STAMPS = {  # transition name -> fields set to the time of the act
    "submitted": ("submitted_at",), "resubmitted": ("submitted_at",), "verified": ("decided_at",),
    "rejected": ("decided_at", "closed_at"), "withdrawn": ("closed_at",), "handed_over": ("closed_at",),
}


@receiver(transitioned, sender=Application, dispatch_uid="applicants-after-transition")
def _after_transition(sender, obj: Application, action: str, from_state: str, to_state: str, user, reason: str,
                      at: datetime.datetime, **kwargs) -> None:
    name = action.removeprefix(MACHINE.prefix + ".")
    obj.status_changed_at, obj.status_reason = at, reason
    for field in STAMPS.get(name, ()):
        setattr(obj, field, at)
    if name == "completed" and obj.completed_at is None:  # the first declaration starts the clock; it stays
        obj.completed_at = at
    if name == "named" and obj.named_at is None:
        obj.named_at = at
    _drive_clock(obj, name, to_state, at)
    obj.save(update_fields=["status_changed_at", "status_reason", "submitted_at", "completed_at", "decided_at",
                            "named_at", "closed_at", "deadline", "updated_at"])
    _tell_applicant(obj, from_state, reason)
    if name in ("submitted", "resubmitted"):
        _tell_verifiers(obj, resubmitted=name == "resubmitted")
    transaction.on_commit(queue_changed)


def _drive_clock(app: Application, name: str, to_state: str, at: datetime.datetime) -> None:
    """Tell the SLA clock; ``app.deadline`` keeps a copy of the open clock's target date so the verifier's queue
    can sort 100,000 rows by deadline through an index (the clock stays the authority for every figure shown)."""
    from certportal.sla import services as sla

    if to_state == Status.COMPLETE:
        app.deadline = sla.start_clock(app, CLOCK, at=at).target_due  # a resubmitted dossier keeps its clock
    elif name == "returned":
        sla.pause_clock(app, CLOCK, at=at)  # no-op before the dossier was complete (no clock yet)
    elif name == "resubmitted":
        clock = sla.resume_clock(app, CLOCK, at=at)
        if clock is not None and clock.outcome == clock.Outcome.OPEN:
            app.deadline = clock.target_due
    elif to_state in CLOCK_STOPS:
        sla.stop_clock(app, CLOCK, at=at)
        app.deadline = None
    elif to_state in CLOCK_CANCELS:
        sla.cancel_clock(app, CLOCK)
        app.deadline = None


def _tell_applicant(app: Application, from_status: str, reason: str) -> None:
    returned = [(d.requirement.name, d.review_note) for d in app.documents.filter(
        review=ApplicationDocument.Review.RETURNED).select_related("requirement")] if app.status == Status.RETURNED else []
    notify(
        app.applicant,
        template="applicants/email/status",
        context={"application": app, "scheme": app.scheme, "reason": reason, "returned_documents": returned,
                 "status_value": app.status, "from_value": from_status},
        url=reverse("applicants:detail", kwargs={"pk": app.pk}),
        key=f"application-{app.pk}-{app.status}-{app.status_changed_at.isoformat()}",
    )


def _verifiers():
    from certportal.accounts.models import Role, User

    return User.objects.filter(is_active=True, role_links__role=Role.VERIFIER).distinct()


def completeness_due(app: Application) -> datetime.date:
    """The date the portal promises the completeness check by (``APPLICANTS_COMPLETENESS_DAYS`` working days)."""
    from django.conf import settings

    from certportal.sla import calendar as cal

    return cal.add_working_days(timezone.localdate(app.submitted_at or timezone.now()),
                                settings.APPLICANTS_COMPLETENESS_DAYS)


def _tell_verifiers(app: Application, *, resubmitted: bool) -> None:
    """A short notice in the portal for every verifier who may see the dossier; e-mail comes once a day as a
    digest (:func:`verifier_digest`), so a busy day is one e-mail, not fifty."""
    from .selectors import applications_visible_to

    for verifier in _verifiers():
        if verifier.pk == app.applicant_id or not applications_visible_to(verifier).filter(pk=app.pk).exists():
            continue
        with translation.override(verifier.preferred_language or None):
            due = dates.day(completeness_due(app))
        notify(verifier, template="applicants/email/new_dossier", email=False,
               context={"application": app, "scheme": app.scheme, "resubmitted": resubmitted, "due": due},
               url=reverse("applicants:verify", kwargs={"pk": app.pk}),
               key=f"verifier-{app.pk}-{app.status}-{app.submitted_at.isoformat() if app.submitted_at else ''}")


def verifier_digest(*, since: datetime.datetime, until: datetime.datetime | None = None) -> int:
    """E-mail every verifier who keeps the daily digest on the dossiers (re)submitted in [since, until).
    Returns the number of e-mails queued; a verifier with nothing new gets none."""
    from .selectors import applications_visible_to

    until = until or timezone.now()
    sent = 0
    for verifier in _verifiers().filter(daily_digest=True).exclude(email=""):
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
        app = _take(app, name, actor=user, ip=ip, declaration_at=now if declaration else None, **snapshot)
        ReturnNote.objects.filter(application=app, resolved_at__isnull=True).update(resolved_at=now)
    return app


def application_withdraw(app: Application, *, user, reason: str, ip: str | None = None) -> Application:
    """Withdrawn by the applicant before the test, with a reason (the machine says who and until when)."""
    return _take(app, "withdrawn", actor=user, reason=reason, ip=ip)


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
        app = _take(app, "returned", actor=actor, reason=reason, ip=ip)
        notes = [ReturnNote(application=app, document=d, text=d.review_note, author=actor)
                 for d in app.documents.filter(review=ApplicationDocument.Review.RETURNED)]
        notes += [ReturnNote(application=app, field=field, text=text, author=actor)
                  for field, text in (field_notes or {}).items()]
        ReturnNote.objects.bulk_create(notes)
    return app


def application_complete(app: Application, *, actor, ip: str | None = None) -> Application:
    """Declare the dossier complete and correct (starts the clock): every document with files accepted."""
    with transaction.atomic():
        app = _take(app, "completed", actor=actor, ip=ip)
        # the completeness check is what the declaration records (the machine checked it may be taken)
        kind, passed = VerificationCheck.Kind.COMPLETENESS, VerificationCheck.Result.PASSED
        VerificationCheck.objects.create(application=app, kind=kind, result=passed, checked_by=actor)
        audit_record(actor=actor, obj=app, action=code(f"{kind}_checked"), to_state=passed)
    return app


def application_verify(app: Application, *, actor, ip: str | None = None) -> Application:
    """Verified once both the administrative and the substantive check passed (recorded separately)."""
    return _take(app, "verified", actor=actor, ip=ip)


def application_reject(app: Application, *, actor, reason: str, ip: str | None = None) -> Application:
    """Rejected after verification found the dossier does not qualify (the reason is told to the applicant)."""
    return _take(app, "rejected", actor=actor, reason=reason, ip=ip)


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
        return [_take(app, "named", actor=actor, reason=reference, ip=ip, naming_reference=reference)
                for app in applications]


def document_opened(file: DocumentFile, *, user, ip_address: str | None = None) -> None:
    DocumentAccess.objects.create(file=file, user=user, ip_address=ip_address)
