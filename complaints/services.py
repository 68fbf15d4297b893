"""Every write about complaints: intake, one service per transition, and the survey.

Each transition goes through the workflow core (:func:`certportal.workflow.transition`) with the rules declared in
:mod:`complaints.workflow`: the core locks the row, checks the state, the person and the guards, raises
:class:`ComplaintError` with a translated message when refused, saves, and writes the one audit row. The services
add what the complainant sees (tracking page, e-mail) and the deadline clocks.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import dates, figures
from certportal.accounts.models import Role, User
from certportal.audit.services import audit_record
from certportal.files import validate_upload
from certportal.notifications.services import absolute_url, notify, render_message, send_email_later
from certportal.signals import service_delivered
from certportal.sla import services as sla
from certportal.workflow import transition

from .models import (
    FIGURES,
    Attachment,
    Channel,
    Complaint,
    Kind,
    Level,
    PaperSurveyImport,
    Route,
    Rule,
    Status,
    SurveyInvitation,
    SurveyResponse,
    Update,
)
from .workflow import ComplaintError  # callers catch it from here

FOLLOWUP = "complaint-followup"
ANSWER = "complaint-answer"
LATE_AFTER_DAYS = 30


# --- classification rules ------------------------------------------------------------------------


def classify_by_rules(*, name: str, email: str, phone: str, object_text: str, reference: str,
                      service_date: datetime.date | None, filed_on: datetime.date,
                      postal_address: str = "") -> tuple[str, str]:
    """(kind, rule) by seed 003 item 6: identity and object are needed, and at most 30 calendar days.

    Identity is a name with a way to reach the person: e-mail, phone, or a postal address (a letter)."""
    if not (name.strip() and (email.strip() or phone.strip() or postal_address.strip())):
        return Kind.SUGGESTION, Rule.NO_IDENTITY
    if not (object_text.strip() or reference.strip()):
        return Kind.SUGGESTION, Rule.NO_OBJECT
    if service_date and (filed_on - service_date).days > LATE_AFTER_DAYS:
        return Kind.SUGGESTION, Rule.LATE
    return Kind.COMPLAINT, Rule.COMPLAINT


# --- intake --------------------------------------------------------------------------------------


def next_tracking_number(year: int) -> str:
    prefix = f"ADU-{year}-"
    last = Complaint.objects.filter(tracking_number__startswith=prefix).aggregate(m=Max("tracking_number"))["m"]
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:05d}"


def complaint_file(*, data: dict, files: list | None = None, actor=None, channel: str = Channel.WEB,
                   received_at: datetime.datetime | None = None, language: str = "id") -> Complaint:
    """Record a complaint (public form or staff entry): rules, tracking number, clocks, acknowledgement."""
    received_at = received_at or timezone.now()
    fields = {k: (data.get(k) or "") for k in ("name", "email", "phone", "postal_address", "object_text",
                                                 "reference", "scheme_code", "message")}
    kind, rule = classify_by_rules(service_date=data.get("service_date"),
                                   filed_on=timezone.localtime(received_at).date(), **{
                                       k: fields[k] for k in ("name", "email", "phone", "postal_address",
                                                              "object_text", "reference")})
    for upload in files or []:
        validate_upload(upload)
    with transaction.atomic():
        complaint = _create_numbered(kind=kind, rule=rule, channel=channel, received_at=received_at,
                                     language=language, service_date=data.get("service_date"),
                                     recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                                     **fields)
        for upload in files or []:
            kind_of = validate_upload(upload)
            Attachment.objects.create(complaint=complaint, file=upload, original_name=upload.name[:255],
                                      kind=kind_of)
        audit_record(actor=actor, obj=complaint, action="complaints.complaint.received", to_state=Status.RECEIVED,
                     note=f"{Channel(channel).label}; {Rule(rule).label}")
        sla.start_clock(complaint, FOLLOWUP, at=received_at)
        sla.start_clock(complaint, ANSWER, at=received_at)
        Update.objects.create(complaint=complaint, kind=Update.Kind.ACKNOWLEDGED, created_at=received_at,
                              code="acknowledged", params={"kind": kind, "number": complaint.tracking_number})
        _mail_complainant(complaint, "complaints/email/acknowledged")
        _notify_officers(complaint)
    return complaint


def _create_numbered(**fields) -> Complaint:
    """Create with the next free tracking number; two filings at once retry on the unique number."""
    year = timezone.localtime(fields["received_at"]).year
    for attempt in range(5):
        try:
            with transaction.atomic():
                return Complaint.objects.create(tracking_number=next_tracking_number(year), **fields)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _mail_complainant(complaint: Complaint, template: str, extra: dict | None = None) -> None:
    if not complaint.email:
        return
    ctx = {"complaint": complaint, "tracking_url": absolute_url(complaint.tracking_url()), **(extra or {})}
    subject, body = render_message(template, ctx, complaint.language or settings.LANGUAGE_CODE)
    send_email_later(to=[complaint.email], subject=subject, body=body)


def officers():
    return User.objects.with_role(Role.COMPLAINT_OFFICER)


def supervisors():
    return User.objects.with_role(Role.SUPERVISOR)


def _notify_officers(complaint: Complaint) -> None:
    for officer in officers():
        notify(officer, template="complaints/email/new_complaint", context={"complaint": complaint},
               url=complaint.get_absolute_url(), key=f"complaint-new-{complaint.pk}-{officer.pk}")


# --- transitions ---------------------------------------------------------------------------------


def _public(complaint: Complaint, kind: str, *, code: str = "", params: dict | None = None, text: str = "") -> None:
    """A line on the tracking page: the portal's own (``code`` and ``params``, see UPDATE_MESSAGES), or what an
    officer wrote (``text``)."""
    Update.objects.create(complaint=complaint, kind=kind, code=code, params=params or {}, text=text)


@transaction.atomic
def complaint_classify(*, complaint: Complaint, actor, service: str, component: str, ip: str | None = None,
                       at: datetime.datetime | None = None) -> Complaint:
    """received → classified: the officer names the service and the component of the standard."""
    from .models import Component, Service

    note = f"{Service(service).label if service in Service.values else service}; " \
           f"{Component(component).label if component in Component.values else component}"
    c = transition(complaint, "classified", user=actor, reason=note, ip=ip, at=at, service=service,
                   component=component)
    sla.stop_clock(c, FOLLOWUP)  # followed up: the 3-working-day promise is kept or broken now
    _public(c, Update.Kind.PROGRESS, code="classified", params={"component": c.component})
    return c


@transaction.atomic
def complaint_start_analysis(*, complaint: Complaint, actor, ip: str | None = None) -> Complaint:
    """classified → in_analysis (a complaint, not a suggestion)."""
    c = transition(complaint, "analysis_started", user=actor, ip=ip)
    _public(c, Update.Kind.PROGRESS, code="analysing")
    return c


ANALYSIS_FIELDS = ("core_problem", "standard_concerned", "earlier_records", "planned_handling", "findings")


def complaint_record_analysis(*, complaint: Complaint, actor, ip: str | None = None, **values: str) -> Complaint:
    """Save the analysis steps (no status change); allowed while analysing or routed."""
    changes = {name: values[name] or "" for name in ANALYSIS_FIELDS if name in values}
    return transition(complaint, "analysis_recorded", user=actor, ip=ip, **changes)


def complaint_approve_apip(*, complaint: Complaint, actor, note: str, ip: str | None = None) -> Complaint:
    """The head (supervisor) records approval to hand the complaint to the internal auditor (APIP)."""
    return transition(complaint, "apip_approved", user=actor, reason=note, ip=ip, apip_approved_by=actor,
                      apip_approval_note=note)


@transaction.atomic
def complaint_route(*, complaint: Complaint, actor, route: str, detail: str = "",
                    ip: str | None = None) -> Complaint:
    """in_analysis → routed: inside the office, technical team/other agency, or APIP (with approval)."""
    note = f"{Route(route).label if route in Route.values else route} {detail}".strip()
    c = transition(complaint, "routed", user=actor, reason=note, ip=ip, route=route, route_detail=detail,
                   level=Level.OFFICER if route != Route.APIP else None)
    _public(c, Update.Kind.PROGRESS, code="routed", params={"route": route})
    return c


def complaint_escalate(*, complaint: Complaint, actor, note: str, ip: str | None = None) -> Complaint:
    """One level up the ladder (officer → section → division → head), with a written report."""
    complaint.refresh_from_db(fields=["level"])
    return transition(complaint, "escalated", user=actor, reason=note, ip=ip, level=(complaint.level or 0) + 1)


@transaction.atomic
def complaint_answer(*, complaint: Complaint, actor, answer: str, superior_report: str,
                     ip: str | None = None) -> Complaint:
    """routed → answered (or classified → answered for a suggestion): e-mail, tracking page, superior."""
    c = transition(complaint, "answered", user=actor, ip=ip, answer=answer, superior_report=superior_report)
    sla.stop_clock(c, FOLLOWUP)
    sla.stop_clock(c, ANSWER)
    _public(c, Update.Kind.ANSWER, text=answer)
    _mail_complainant(c, "complaints/email/answered")
    for boss in supervisors():
        notify(boss, template="complaints/email/superior_report", context={"complaint": c},
               url=c.get_absolute_url(), key=f"complaint-report-{c.pk}-{boss.pk}")
    return c


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor, note: str = "", ip: str | None = None) -> Complaint:
    """answered → closed; the complainant with a known e-mail is invited to the survey."""
    c = transition(complaint, "closed", user=actor, reason=note, ip=ip)
    if note:
        _public(c, Update.Kind.CLOSED, text=note)
    else:
        _public(c, Update.Kind.CLOSED, code="closed")
    if c.email:
        transaction.on_commit(lambda: service_delivered(
            kind="complaint", user=None, email=c.email, name=c.name, reference=f"complaint:{c.pk}",
            scheme_code=c.scheme_code, language=c.language))
    return c


@transaction.atomic
def complaint_post_progress(*, complaint: Complaint, actor, text: str, ip: str | None = None) -> Update:
    """A progress line on the tracking page while the report is open (audited, status unchanged)."""
    c = transition(complaint, "progress_posted", user=actor, reason=text[:300], ip=ip)
    return Update.objects.create(complaint=c, kind=Update.Kind.PROGRESS, text=text)


# --- satisfaction survey -------------------------------------------------------------------------


def survey_invite(*, reference: str, email: str = "", name: str = "", scheme_code: str = "",
                  language: str = "id", user=None) -> SurveyInvitation | None:
    """Create the one invitation for ``reference`` and e-mail its link; a repeat does nothing (returns None)."""
    email = email or getattr(user, "email", "") or ""
    if not email:
        return None
    try:
        with transaction.atomic():
            invitation = SurveyInvitation.objects.create(reference=reference, email=email, name=name,
                                                         scheme_code=scheme_code or "", language=language or "id")
    except IntegrityError:
        return None
    from django.urls import reverse

    ctx = {"invitation": invitation, "survey_url": absolute_url(reverse("complaints:survey", args=[invitation.token]))}
    subject, body = render_message("complaints/email/survey_invitation", ctx, invitation.language)
    send_email_later(to=[email], subject=subject, body=body)
    return invitation


def survey_answer(*, invitation: SurveyInvitation, scores: list[int], comment: str = "") -> SurveyResponse:
    """Record the one answer to ``invitation``; a second one is refused."""
    if len(scores) != 9 or any(s not in (1, 2, 3, 4) for s in scores):
        raise ComplaintError(_("Answer each of the nine questions with 1, 2, 3 or 4."))
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                invitation=invitation, source=SurveyResponse.Source.ONLINE, answered_on=timezone.localdate(),
                scheme_code=invitation.scheme_code, comment=comment,
                **{f"u{i + 1}": s for i, s in enumerate(scores)})
    except IntegrityError:
        raise ComplaintError(_("This survey has already been answered. Thank you.")) from None


def survey_import_paper(*, text: str, actor=None, file_name: str = "") -> tuple[int, list[str]]:
    """Import a paper-survey CSV: (imported count, errors). Any error → nothing is imported.

    A file already imported is refused: the same file (same bytes once line endings are set aside), or the same
    rows again in another file (same answers, in any order)."""
    from .skm import parse_paper_csv

    rows, errors = parse_paper_csv(text)
    if errors:
        return 0, errors
    file_hash, rows_hash = _paper_hashes(text, rows)
    earlier = PaperSurveyImport.objects.filter(Q(file_hash=file_hash) | Q(rows_hash=rows_hash)).first()
    if earlier:
        return 0, [_paper_refusal(earlier, same_file=earlier.file_hash == file_hash)]
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = PaperSurveyImport.objects.create(file_name=file_name[:255], file_hash=file_hash,
                                                          rows_hash=rows_hash, rows=len(rows),
                                                          imported_by=actor if getattr(actor, "pk", None) else None)
        except IntegrityError:  # the same file imported at the same moment by someone else
            return 0, [_("This file was imported a moment ago; it was not imported again.")]
        audit_record(actor=actor, obj=record, action="complaints.skm.paper_imported", note=f"{len(rows)}")
        SurveyResponse.objects.bulk_create([
            SurveyResponse(source=SurveyResponse.Source.PAPER, answered_on=r.answered_on, scheme_code=r.scheme_code,
                           comment=r.comment, **{f"u{i + 1}": s for i, s in enumerate(r.scores)})
            for r in rows
        ])
        transaction.on_commit(lambda: figures.forget(FIGURES))  # bulk_create sends no post_save
    return len(rows), []


def _paper_hashes(text: str, rows) -> tuple[str, str]:
    import hashlib

    normalised = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
    keys = sorted(f"{r.answered_on.isoformat()}|{r.scheme_code}|{','.join(map(str, r.scores))}|{r.comment.strip()}"
                  for r in rows)
    return (hashlib.sha256(normalised.encode()).hexdigest(),
            hashlib.sha256("\n".join(keys).encode()).hexdigest())


def _paper_refusal(earlier: PaperSurveyImport, *, same_file: bool) -> str:
    when = dates.wib(earlier.imported_at)
    if same_file:
        return _("This file was already imported on %(when)s (%(name)s, %(n)d answers): it was not imported again, "
                 "so no respondent is counted twice.") % {"when": when, "name": earlier.file_name or "—",
                                                           "n": earlier.rows}
    return _("These answers were already imported on %(when)s from %(name)s (%(n)d answers, the same rows in "
             "another file): they were not imported again.") % {"when": when, "name": earlier.file_name or "—",
                                                                 "n": earlier.rows}
