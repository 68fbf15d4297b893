"""Every write of the management system's records. Status changes go through the workflow core
(:mod:`quality.system.workflow`); the other acts are audited here with the machines' codes."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.accounts.models import LSP_PERSONNEL
from certportal.audit.services import audit_record
from certportal.files import validate_upload
from certportal.notifications.services import notify
from certportal.sla import services as sla
from certportal.workflow import transition

from . import duties, review_inputs, selectors
from .models import (
    ActionEvidence,
    ActionStatus,
    ControlledDocument,
    CorrectiveAction,
    DocumentVersion,
    Finding,
    SystemReview,
    VersionStatus,
)
from .workflow import ACTION_MACHINE, OTHER_LABELS, REVIEW_MACHINE, VERSION_MACHINE, QualitySystemError

CLOCK = "corrective-action"  # the core's SLA policy: the due date in working days, overdue on the dashboard


def _not_in_future(day: datetime.date, what: str) -> None:
    if day > timezone.localdate():
        raise QualitySystemError(_("%(what)s cannot be in the future.") % {"what": what})


# --- audits and reviews ---------------------------------------------------------------------------------------

def _check_auditor(kind: str, auditor, events) -> None:
    """An internal audit names its auditor, an active member of staff who took part in none of the audited events'
    records (ISO/IEC 17024 10.2.6); a management review names neither."""
    if kind != SystemReview.Kind.INTERNAL_AUDIT:
        if auditor is not None or events:
            raise QualitySystemError(_("A management review has no auditor and audits no test event."))
        return
    if auditor is None:
        raise QualitySystemError(_("Name the internal auditor."))
    if not auditor.is_active or not auditor.has_role(*LSP_PERSONNEL):
        raise QualitySystemError(_("The internal auditor must be an active member of the LSP's personnel."))
    if refusal := selectors.involvement_refusal(auditor, events):
        raise QualitySystemError(refusal)


def _checked_inputs(kind: str, inputs: dict | None) -> dict:
    """A management review records every input ISO/IEC 17024 10.2.5 names; an internal audit none."""
    if kind != SystemReview.Kind.MANAGEMENT_REVIEW:
        return {}
    inputs = {code: (inputs or {}).get(code, "").strip() for code in review_inputs.INPUT_CODES}
    if missing := review_inputs.missing_inputs(inputs):
        raise QualitySystemError(_("Record every input of the management review (ISO/IEC 17024 10.2.5); missing: "
                                   "%(inputs)s.") % {"inputs": "; ".join(missing)})
    return inputs


def review_record(*, actor, kind: str, held_on: datetime.date, scope: str, participants: str, auditor=None,
                  audited_events=(), inputs: dict | None = None, ip: str | None = None) -> SystemReview:
    """Record an internal audit or a management review that was held (never one still to come). An internal audit
    names its auditor and the test events whose records it audited: refused when the auditor took part in them. A
    management review records each input 10.2.5 names (:mod:`quality.system.review_inputs`)."""
    _not_in_future(held_on, _("The date it was held"))
    events = list(audited_events or ())
    _check_auditor(kind, auditor, events)
    inputs = _checked_inputs(kind, inputs)
    with transaction.atomic():
        review = SystemReview.objects.create(kind=kind, held_on=held_on, scope=scope.strip(), auditor=auditor,
                                             participants=participants.strip(), inputs=inputs, recorded_by=actor)
        review.audited_events.set(events)
        note = review.get_kind_display()
        if auditor is not None:  # data, not words: who audited and which events (their ids)
            note = f"{note} · {auditor.full_name or auditor.email} · {sorted(e.pk for e in events)}"
        audit_record(actor=actor, obj=review, action=REVIEW_MACHINE.code("recorded"), to_state=review.status,
                     note=note, ip_address=ip)
    return review


def review_conclude(review: SystemReview, *, actor, conclusions: str, ip: str | None = None) -> SystemReview:
    return transition(review, "concluded", user=actor, ip=ip, conclusions=conclusions.strip())


def finding_record(review: SystemReview, *, actor, severity: str, clause: str, description: str,
                   action: str, owner, ip: str | None = None, at: datetime.datetime | None = None) -> Finding:
    """A finding and the corrective action it becomes: its owner, and its due date counted in working days from
    the day the review was held by the core's SLA clock (the supervisor's dashboard shows it once overdue)."""
    if not owner.is_active or not owner.is_staff_member:
        raise QualitySystemError(_("The owner of a corrective action must be an active staff member."))
    decision = severity == Finding.Severity.DECISION
    if decision != (review.kind == SystemReview.Kind.MANAGEMENT_REVIEW):
        raise QualitySystemError(_("A management review records decisions and actions; an internal audit records "
                                   "nonconformities and observations."))
    with transaction.atomic():
        locked = SystemReview.objects.select_for_update().get(pk=review.pk)
        if locked.status != SystemReview.Status.RECORDED:
            raise QualitySystemError(_("%(review)s is concluded; no finding can be added to it.") % {
                "review": locked})
        number = (locked.findings.aggregate(n=Max("number"))["n"] or 0) + 1
        finding = Finding.objects.create(review=locked, number=number, severity=severity, clause=clause.strip(),
                                         description=description.strip(), recorded_by=actor)
        audit_record(actor=actor, obj=locked, action=REVIEW_MACHINE.code("finding_recorded"),
                     note=f"{number}: {finding.get_severity_display()}", ip_address=ip)
        corrective = CorrectiveAction(finding=finding, description=action.strip(), owner=owner,
                                      due_on=locked.held_on)
        corrective.save()
        clock = sla.start_clock(corrective, CLOCK, at=at or locked.held_on)
        corrective.due_on = clock.target_due
        corrective.save(update_fields=["due_on"])
        audit_record(actor=actor, obj=corrective, action=ACTION_MACHINE.code("opened"), to_state=corrective.status,
                     note=f"{owner} → {corrective.due_on.isoformat()}", ip_address=ip)
        _tell_owner(corrective)  # the e-mail goes through the outbox, in this transaction
    return finding


def _tell_owner(action: CorrectiveAction) -> None:
    notify(action.owner, template="quality/system/email/action", context={"action": action},
           url=action.get_absolute_url(), key=f"quality.action.{action.pk}.opened")


# --- corrective actions ---------------------------------------------------------------------------------------

def evidence_add(action: CorrectiveAction, *, actor, upload, note: str = "", ip: str | None = None) -> ActionEvidence:
    """The owner attaches evidence (checked by its content, stored at a random private path)."""
    kind = validate_upload(upload)
    with transaction.atomic():
        transition(action, "evidence_added", user=actor, reason=note.strip() or upload.name[:200], ip=ip)
        return ActionEvidence.objects.create(action=action, file=upload, original_name=upload.name[:255], kind=kind,
                                             note=note.strip()[:500], uploaded_by=actor)


def action_analyse(action: CorrectiveAction, *, actor, correction: str, cause: str,
                   ip: str | None = None) -> CorrectiveAction:
    """The owner records the correction done at once and the cause found (again, while the action is open)."""
    return transition(action, "analysed", user=actor, ip=ip, reason=cause.strip()[:200],
                      correction=correction.strip(), cause=cause.strip())


def action_take(action: CorrectiveAction, name: str, *, actor, reason: str = "", ip: str | None = None):
    """Report done (the owner), send back or close (someone else, ``reason`` being the effectiveness check).
    Closing stops the SLA clock."""
    with transaction.atomic():
        if name == "closed":
            done = transition(action, "closed", user=actor, reason=reason, ip=ip, closed_by=actor,
                              closing_note=reason.strip(), effectiveness=reason.strip())
            sla.stop_clock(done, CLOCK)
            return done
        return transition(action, name, user=actor, reason=reason, ip=ip)


# --- periodic duties ------------------------------------------------------------------------------------------

def duty_owners(duty) -> list:
    """The active people who own ``duty``: everyone holding its roles, and those it names (a test site's head)."""
    from certportal.accounts.models import User

    people = {u.pk: u for u in User.objects.filter(is_active=True, role_links__role__in=duty.roles).distinct()}
    people.update({u.pk: u for u in duty.users if u.is_active})
    return list(people.values())


def duties_remind(*, today: datetime.date) -> int:
    """Remind each owner of every duty due within the reminder window (once) and of every overdue one (once more),
    per period: the key ``quality.duty.<code>.<period>.<stage>``. Returns how many notices were sent."""
    sent = 0
    for duty in duties.duties_due(today):
        stage = duty.stage(today)
        for person in duty_owners(duty):
            with transaction.atomic():
                note = notify(person, template="quality/system/email/duty", url=duty.url,
                              context={"duty": duty, "overdue": stage == "overdue"},
                              key=f"quality.duty.{duty.code}.{duty.period}.{stage}")
            sent += note is not None
    return sent


def actions_escalate(*, today: datetime.date) -> int:
    """Each corrective action past its due date and not closed is told once to its owner, the quality reviewers
    and the supervisors (key ``quality.action.<pk>.overdue``). Returns how many notices were sent."""
    from certportal.accounts.models import Role, User

    overseers = list(User.objects.filter(is_active=True, role_links__role__in=(Role.QUALITY, Role.SUPERVISOR))
                     .distinct())
    sent = 0
    for action in CorrectiveAction.objects.exclude(status=ActionStatus.CLOSED).filter(
            due_on__lt=today).select_related("owner", "finding__review"):
        for person in {u.pk: u for u in [action.owner, *overseers] if u.is_active}.values():
            with transaction.atomic():
                note = notify(person, template="quality/system/email/action_overdue", url=action.get_absolute_url(),
                              context={"action": action}, key=f"quality.action.{action.pk}.overdue")
            sent += note is not None
    return sent


# --- controlled documents -------------------------------------------------------------------------------------

def document_create(*, actor, code: str, title: str, kind: str, ip: str | None = None) -> ControlledDocument:
    code = code.strip()
    if ControlledDocument.objects.filter(code__iexact=code).exists():
        raise QualitySystemError(_("A controlled document with the code %(code)s already exists.") % {"code": code})
    with transaction.atomic():
        doc = ControlledDocument.objects.create(code=code, title=title.strip(), kind=kind, created_by=actor)
        audit_record(actor=actor, obj=doc, action=next(iter(OTHER_LABELS)), note=doc.code, ip_address=ip)
    return doc


def version_upload(document: ControlledDocument, *, actor, label: str, effective_on: datetime.date, upload,
                   summary: str = "", ip: str | None = None) -> DocumentVersion:
    """A new version, awaiting approval; the earlier ones are kept (they stay in force until this one's date)."""
    label = label.strip()
    if document.versions.filter(label__iexact=label).exists():
        raise QualitySystemError(_("%(document)s already has a version %(label)s.") % {
            "document": document.code, "label": label})
    kind = validate_upload(upload, kinds=("pdf",))
    with transaction.atomic():
        version = DocumentVersion.objects.create(
            document=document, label=label, effective_on=effective_on, summary=summary.strip()[:500], file=upload,
            original_name=upload.name[:255], kind=kind, uploaded_by=actor)
        audit_record(actor=actor, obj=version, action=VERSION_MACHINE.code("uploaded"), to_state=VersionStatus.DRAFT,
                     note=f"{label}, {effective_on.isoformat()}", ip_address=ip)
    return version


def version_approve(version: DocumentVersion, *, actor, ip: str | None = None) -> DocumentVersion:
    return transition(version, "approved", user=actor, ip=ip, approved_by=actor)
