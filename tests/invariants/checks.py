"""The invariants of the portal's records, each a function returning the violations it finds (plain sentences).

They read the database only (and, for printing and handover, what the action saw just before), so they hold
whatever the services look like inside. The rules that depend on names which the workflow core may change are
kept in the small helpers at the top (:func:`is_status_row`, :func:`decision_pending`, :func:`letter_current`):
adapt those, not the checks.
"""

from __future__ import annotations

import datetime
import functools
from typing import NamedTuple

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from applicants.models import Application, Status
from assessments.certificates.models import Certificate, Handover, PrintJob, ResultLetter
from assessments.events.models import Appeal, Event, EventAssessor, EventStep, Participant, UnitResult
from certportal.audit.models import AuditEntry

# Models whose status history must be readable from the audit trail (besides every machine the core knows).
STATUS_MODELS = [(Application, "status"), (Event, "status"), (Certificate, "status"), (Appeal, "status"),
                 (PrintJob, "status")]
DOMAIN_APPS = ("applicants", "assessments")


# --- the names that may change with the workflow core ------------------------------------------------------------

def _machine(model):
    try:
        from certportal.workflow import registry

        return registry.machine_for(model)
    except LookupError:
        return None


def status_models() -> list[tuple[type, str]]:
    found = list(STATUS_MODELS)
    from certportal.workflow import registry

    for machine in registry.machines():
        if machine.model._meta.app_label in DOMAIN_APPS and (machine.model, machine.field) not in found:
            found.append((machine.model, machine.field))
    return found


class _Row(NamedTuple):
    """The fields of an audit row the chain reads."""
    object_id: str
    action: str
    from_state: str
    to_state: str


@functools.cache
def _transition_codes(model) -> frozenset[str]:
    machine = _machine(model)
    return frozenset(machine.code(t.name) for t in machine.transitions) if machine else frozenset()


def is_status_row(entry: AuditEntry | _Row, model) -> bool:
    """An audit row that records a change of ``model``'s status: the old action "status", or a transition code of
    the model's registered machine. Rows of actions that keep the status (from == to) are not changes."""
    if entry.from_state == entry.to_state:
        return False
    return entry.action == "status" or entry.action in _transition_codes(model)


def decision_pending(participant: Participant) -> bool:
    """The participant waits for a (new) decision: none taken, or the workflow sent them back after a correction."""
    return not participant.decision or getattr(participant, "status", "") in {"awaiting_decision", "assessed"}


def letter_current(letter: ResultLetter) -> bool:
    """A result letter still standing (a withdrawn one is kept, marked)."""
    return not getattr(letter, "withdrawn_at", None) and getattr(letter, "status", "issued") != "withdrawn"


def _day(at: datetime.datetime) -> datetime.date:
    return timezone.localtime(at).date()


# --- 1. every status is a declared state ---------------------------------------------------------------------------

def _declared_fields() -> list[tuple[type, list[tuple]]]:
    """Per model of the domain apps, its fields with choices: (field, the values it may hold)."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        fields = [(f, [value for value, _label in f.flatchoices] + ([""] if f.blank else []))
                  for f in model._meta.concrete_fields if f.choices]
        if fields:
            found.append((model, fields))
    return found


def _outside(field, allowed) -> Q:
    bad = ~Q(**{f"{field.attname}__in": allowed})
    return bad & Q(**{f"{field.attname}__isnull": False}) if field.null else bad


def _compiled(queryset) -> tuple[str, tuple]:
    return queryset.query.sql_with_params()


@functools.cache
def _undeclared_questions() -> list[tuple[type, list[tuple], tuple[str, tuple]]]:
    """Per model with choices: its fields and the one question whether any row holds an undeclared value, compiled
    once (the checks run after every step of the invariants' machine, and compiling the questions again each time
    cost more than asking them)."""
    out = []
    for model, fields in _declared_fields():
        anywhere = Q()
        for f, allowed in fields:
            anywhere |= _outside(f, allowed)
        out.append((model, fields, _compiled(model._default_manager.filter(anywhere).values("pk")[:1])))
    return out


def undeclared_states() -> list[str]:
    """Every field with choices in the domain apps holds one of its declared values (or blank where allowed). One
    question per model (the checks run after every step of the invariants' machine); each field asked only then."""
    out = []
    with connection.cursor() as cursor:
        for model, fields, (sql, params) in _undeclared_questions():
            cursor.execute(sql, params)
            if cursor.fetchone() is None:
                continue
            for f, allowed in fields:
                for pk, value in model._default_manager.filter(_outside(f, allowed)).values_list("pk", f.attname)[:5]:
                    out.append(f"{model.__name__} #{pk}: {f.name} is {value!r}, not one of its declared states")
    return out


# --- 2. every status change has exactly one audit row with matching from/to --------------------------------------

@functools.cache
def _chain_questions() -> tuple[dict[int, tuple[type, str, str]], tuple[str, tuple], list[tuple[str, tuple]]]:
    """The status models by content type (model, field, default), the question for all their audit rows in order
    and one for each model's current statuses: compiled once, as :func:`_undeclared_questions`."""
    models = {}
    for model, field in status_models():
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        models[ct.pk] = (model, field, str(model._meta.get_field(field).default))
    fields = ("content_type_id", "object_id", "action", "from_state", "to_state")  # rows, not objects
    rows = _compiled(AuditEntry.objects.filter(content_type_id__in=list(models)).order_by("id").values_list(*fields))
    current = [_compiled(model._default_manager.order_by().values_list("pk", field))
               for model, field, _default in models.values()]
    return models, rows, current


def audit_trail_gaps() -> list[str]:
    """Read in order, the status rows of each object form one chain: it starts at creation (from "") or at the
    model's default state, each row leaves from where the previous one arrived, and it ends at the current status.
    A change without its row, a row written twice or a row with the wrong from/to breaks the chain."""
    out = []
    models, (sql, params), current = _chain_questions()
    rows: dict[int, dict[str, list[_Row]]] = {ct: {} for ct in models}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for ct, *values in cursor.fetchall():
            entry = _Row(*values)
            if is_status_row(entry, models[ct][0]):
                rows[ct].setdefault(entry.object_id, []).append(entry)
        for (ct, (model, _field, default)), (sql, params) in zip(models.items(), current, strict=True):
            cursor.execute(sql, params)
            for pk, current_status in cursor.fetchall():
                out += _chain_breaks(model, pk, current_status, default, rows[ct].get(str(pk), []))
    return out


def _chain_breaks(model, pk, current: str, default: str, chain: list[_Row]) -> list[str]:
    out, at = [], None
    for entry in chain:
        expected = (("", default) if at is None else (at,))
        if entry.from_state not in expected:
            out.append(f"{model.__name__} #{pk}: audit row “{entry.action}” {entry.from_state!r} → "
                       f"{entry.to_state!r} does not leave from {expected[-1]!r}")
        at = entry.to_state
    at = default if at is None else at
    if at != current:
        out.append(f"{model.__name__} #{pk} is {current!r} but its audit trail ends at {at!r}")
    return out


# --- 3. a decision agrees with the current results ---------------------------------------------------------------

DECIDED_K = {Status.COMPETENT, Status.CERTIFIED, Status.HANDED_OVER}
DECIDED_BK = {Status.NOT_YET_COMPETENT, Status.APPEALED, Status.HANDED_OVER}


def decisions_against_results() -> list[str]:
    """The stored recommendation is the one the current results give; a decision standing (not pending) is that
    recommendation or carries the note that explains the difference; the application and the current result
    letter say what the latest decision says."""
    from assessments.events.services.results import recommend

    out = []
    latest = {}
    for p in Participant.objects.select_related("application", "event").order_by("id"):
        latest[p.application_id] = p
        if not p.results.exists():
            continue
        now = recommend(p)
        if p.recommendation and p.recommendation != now:
            out.append(f"participant #{p.pk}: recommendation {p.recommendation} but the current results give {now}")
        if decision_pending(p):
            continue
        if p.decision != now and not p.decision_note.strip():
            out.append(f"participant #{p.pk}: decision {p.decision} stands against the current results ({now}), "
                       f"unexplained and with no new decision pending")
        for letter in ResultLetter.objects.filter(participant=p):
            if letter_current(letter) and letter.outcome != p.decision:
                out.append(f"result letter {letter.number} says {letter.outcome}, the decision is {p.decision}")
    for p in latest.values():
        if decision_pending(p):
            continue
        expected = DECIDED_K if p.decision == "K" else DECIDED_BK
        if p.application.status not in expected:
            out.append(f"application #{p.application_id} is {p.application.status!r} after the decision "
                       f"{p.decision} of participant #{p.pk}")
    return out


# --- 4. no certificate without a K decision ------------------------------------------------------------------------

def certificate_stands(cert: Certificate, today: datetime.date | None = None) -> bool:
    """Valid as the holder and the public read it: issued (expired or not), or suspended with the suspension run
    out by its date (:meth:`Certificate.state` then says valid). A suspended or withdrawn one does not stand."""
    today = today or timezone.localdate()
    if cert.status == Certificate.Status.ISSUED:
        return True
    return cert.status == Certificate.Status.SUSPENDED and cert.state(today) == "valid"


def certificates_without_k() -> list[str]:
    """A certificate standing (:func:`certificate_stands`) rests on a K decision that stands: taken, not pending
    again, and agreeing with the current results (or explained). A suspended or withdrawn certificate may rest on
    a pending or BK decision (a result corrected after the decision suspends it until the new one); every
    certificate names its participant's application. A certificate imported from the LSP's paper register has no
    participant here: it rests on the register (the paper original is the record)."""
    from assessments.events.services.results import recommend

    out = []
    for cert in Certificate.objects.filter(participant__isnull=False).select_related("participant"):
        p = cert.participant
        if cert.application_id != p.application_id:
            out.append(f"certificate {cert.number} names another application than its participant's")
        if not certificate_stands(cert):
            continue
        if p.decision != "K" or decision_pending(p):
            out.append(f"certificate {cert.number} is {cert.status} ({cert.state()}) but participant #{p.pk}'s "
                       f"decision is {p.decision or 'not taken'}" + (" (pending again)" if p.decision else ""))
        elif recommend(p) != "K" and not p.decision_note.strip():
            out.append(f"certificate {cert.number} is {cert.status} on a K decision that participant #{p.pk}'s "
                       f"current results (BK) no longer support")
    return out


DECISION_ROWS = {"assessments.participant.decided_competent": "K",
                 "assessments.participant.decided_not_yet_competent": "BK",
                 "assessments.participant.result_corrected": "pending",
                 "assessments.participant.appeal_dismissed": "BK",
                 "assessments.participant.reassessment_granted": "BK"}


def reinstated_without_k() -> list[str]:
    """A certificate is never reinstated (its suspension lifted) while its participant's decision is not K: read
    in the order the audit rows were written, the participant's last decision row before each reinstatement is a
    K decision (not BK, not a correction that left the new decision pending)."""
    out = []
    cert_ct = ContentType.objects.get_for_model(Certificate, for_concrete_model=False)
    p_ct = ContentType.objects.get_for_model(Participant, for_concrete_model=False)
    certs = dict(Certificate.objects.values_list("pk", "participant_id"))
    numbers = dict(Certificate.objects.values_list("pk", "number"))
    for entry in AuditEntry.objects.filter(content_type=cert_ct, action="assessments.certificate.reinstated"):
        participant_id = certs.get(int(entry.object_id))
        if participant_id is None:
            continue
        last = AuditEntry.objects.filter(content_type=p_ct, object_id=str(participant_id), id__lt=entry.id,
                                         action__in=list(DECISION_ROWS)).order_by("-id").first()
        state = DECISION_ROWS[last.action] if last else "not taken"
        if state != "K":
            out.append(f"certificate {numbers[int(entry.object_id)]} was reinstated (audit row #{entry.id}) while "
                       f"participant #{participant_id}'s decision was {state}")
    return out


# --- 5. nothing suspended, withdrawn or expired printed or handed over -----------------------------------------

def certificate_states(event: Event | None = None, day: datetime.date | None = None) -> dict[str, str]:
    """number → state today (valid / suspended / withdrawn / expired), taken just before printing or handing over."""
    qs = Certificate.objects.all() if event is None else Certificate.objects.filter(participant__event=event)
    return {c.number: c.state(day) for c in qs}


def printed_invalid(printed_text: str, states_before: dict[str, str]) -> list[str]:
    """``printed_text``: the batch PDF read back; ``states_before``: :func:`certificate_states` before the job. A
    certificate counts as printed when its verification code is (its number may be printed on its replacement)."""
    codes = dict(Certificate.objects.filter(number__in=list(states_before)).values_list("number", "verification_code"))
    return [f"certificate {number} was printed in a batch although it was {state}"
            for number, state in states_before.items() if state != "valid" and codes[number] in printed_text]


def handed_over_invalid(handover: Handover | None, states_before: dict[str, str]) -> list[str]:
    if handover is None or handover.certificate_id is None:
        return []
    number = handover.certificate.number
    state = states_before.get(number, "valid")
    return [f"certificate {number} was handed over although it was {state}"] if state != "valid" else []


# --- 6. no document dated before its test ------------------------------------------------------------------------

@functools.cache
def _early_questions() -> list[tuple[str, tuple]]:
    """Whether any document, signature, step, decision or result is dated before its test, one question per kind
    asked in the database and compiled once (as :func:`_undeclared_questions`): the rows are read only when one
    answers yes."""
    def day(path):
        return TruncDate(path, tzinfo=timezone.get_current_timezone())  # the portal's day (Jakarta), as ``_day``

    before = F("participant__event__starts_at")
    found = [ResultLetter.objects.filter(issued_on__lt=day("participant__event__starts_at")),
             Certificate.objects.filter(participant__isnull=False, issued_on__lt=day("participant__event__starts_at")),
             Handover.objects.filter(Q(certificate__isnull=False, handed_at__lt=F("certificate__" + before.name))
                                     | Q(certificate__isnull=True, handed_at__lt=F("result_letter__" + before.name))),
             EventAssessor.objects.filter(signed_report_at__lt=F("event__starts_at")),
             EventStep.objects.filter(number__gte=5, done_at__lt=F("event__starts_at")),
             Participant.objects.filter(decided_at__lt=F("event__starts_at")),
             UnitResult.objects.filter(carried_over=False, recorded_at__lt=before)]
    return [_compiled(qs.order_by().values("pk")[:1]) for qs in found]


def documents_before_test() -> list[str]:
    with connection.cursor() as cursor:
        for sql, params in _early_questions():
            cursor.execute(sql, params)
            if cursor.fetchone() is not None:
                return _documents_before_test()
    return []


def _documents_before_test() -> list[str]:
    out = []
    for letter in ResultLetter.objects.select_related("participant__event"):
        if letter.issued_on < _day(letter.participant.event.starts_at):
            out.append(f"result letter {letter.number} is dated {letter.issued_on}, before the test on "
                       f"{_day(letter.participant.event.starts_at)}")
    for cert in Certificate.objects.filter(participant__isnull=False).select_related("participant__event"):
        if cert.issued_on < _day(cert.participant.event.starts_at):
            out.append(f"certificate {cert.number} is dated {cert.issued_on}, before the test on "
                       f"{_day(cert.participant.event.starts_at)}")
    for h in Handover.objects.select_related("certificate__participant__event", "result_letter__participant__event"):
        doc = h.certificate or h.result_letter
        if h.handed_at < doc.participant.event.starts_at:
            out.append(f"{doc.number} was handed over on {_day(h.handed_at)}, before the test on "
                       f"{_day(doc.participant.event.starts_at)}")
    for link in EventAssessor.objects.filter(signed_report_at__isnull=False).select_related("event"):
        if link.signed_report_at < link.event.starts_at:
            out.append(f"event #{link.event_id}: the assessor signed the official report on "
                       f"{_day(link.signed_report_at)}, before the test on {_day(link.event.starts_at)}")
    for step in EventStep.objects.filter(number__gte=5, done_at__isnull=False).select_related("event"):
        if step.done_at < step.event.starts_at:
            out.append(f"event #{step.event_id}: SOP step {step.number} done on {_day(step.done_at)}, before the "
                       f"test on {_day(step.event.starts_at)}")
    for p in Participant.objects.filter(decided_at__isnull=False).select_related("event"):
        if p.decided_at < p.event.starts_at:
            out.append(f"participant #{p.pk}: decided on {_day(p.decided_at)}, before the test on "
                       f"{_day(p.event.starts_at)}")
    for r in UnitResult.objects.filter(carried_over=False).select_related("participant__event"):
        if r.recorded_at < r.participant.event.starts_at:
            out.append(f"participant #{r.participant_id}: result {r.result} recorded on {_day(r.recorded_at)}, "
                       f"before the test on {_day(r.participant.event.starts_at)}")
    return out


# --- 7. the SLA clock agrees with the application's status ------------------------------------------------------

RUNNING = "running"
PAUSED = "paused"
STOPPED = "stopped"
CANCELLED = "cancelled"
CLOCK_BY_STATUS = {  # the clock states each application status allows (None: no clock yet)
    Status.DRAFT: {None}, Status.SUBMITTED: {None},
    Status.RETURNED: {None, PAUSED}, Status.RESUBMITTED: {None, RUNNING},
    **{s: {RUNNING} for s in (Status.COMPLETE, Status.VERIFIED, Status.PARTICIPANT, Status.SCHEDULED,
                              Status.ASSESSED, Status.COMPETENT, Status.NOT_YET_COMPETENT, Status.APPEALED,
                              Status.CERTIFIED)},
    Status.HANDED_OVER: {STOPPED},
    Status.REJECTED: {None, CANCELLED}, Status.WITHDRAWN: {None, CANCELLED},
}


def _clock_state(clock) -> str | None:
    if clock is None:
        return None
    if clock.outcome == clock.Outcome.OPEN:
        return PAUSED if clock.paused_since else RUNNING
    return CANCELLED if clock.outcome == clock.Outcome.CANCELLED else STOPPED


def sla_against_status() -> list[str]:
    from certportal.sla import services as sla

    out = []
    for app in Application.objects.all():
        state = _clock_state(sla.clock_for(app, "certification"))
        allowed = CLOCK_BY_STATUS.get(app.status, set())
        if app.completed_at and None in allowed:
            allowed = allowed - {None}
        if state not in allowed:
            out.append(f"application #{app.pk} is {app.status!r} but its service clock is {state or 'not started'}"
                       f" (expected {' or '.join(sorted(str(a) for a in allowed)) or 'none'})")
    for appeal in Appeal.objects.all():
        state = _clock_state(sla.clock_for(appeal, "appeal"))
        expected = {RUNNING} if appeal.status == Appeal.Status.FILED else {STOPPED}
        if state not in expected:
            out.append(f"appeal #{appeal.pk} is {appeal.status!r} but its service clock is {state or 'not started'}")
    return out


def kept_counts_against_applications() -> list[str]:
    """The counts per scheme, unit and status that PostgreSQL's triggers keep (the queue's tabs, the recap) are
    those of the applications themselves (SQLite keeps none)."""
    from django.db import connection
    from django.db.models import Count

    from applicants.models import StatusCount

    if connection.vendor != "postgresql":
        return []
    kept = {(s, u, st): n for s, u, st, n in StatusCount.objects.values_list("scheme", "org_unit", "status", "n") if n}
    counted = {(s, u, st): n for s, u, st, n in Application.objects.values_list("scheme", "org_unit", "status")
               .annotate(n=Count("id")).order_by()}
    return [f"{key[2]} applications of scheme #{key[0]}, unit {key[1]!r}: {kept.get(key, 0)} kept, {counted.get(key, 0)} "
            f"counted" for key in sorted(set(kept) | set(counted), key=str) if kept.get(key, 0) != counted.get(key, 0)]


ALL = (undeclared_states, audit_trail_gaps, decisions_against_results, certificates_without_k,
       reinstated_without_k, documents_before_test, sla_against_status, kept_counts_against_applications)


def violations() -> list[str]:
    """Every invariant that reads the database alone, over every row."""
    return [message for check in ALL for message in check()]


# --- FR.MAPA.01: no assessment without a validated plan, no K decision without the plan's signed records ---------

PAST_STEP_3 = ("confirmed", "held", "report_signed", "reviewed", "archived")


def events_without_plan() -> list[str]:
    """Every event past SOP step 3 keeps an assessment plan validated by a second assessor."""
    out = []
    for event in Event.objects.filter(status__in=PAST_STEP_3).select_related("plan").order_by("id"):
        plan = event.plan
        if plan is None or not plan.validated_by_id or plan.validated_by_id == plan.made_by_id:
            out.append(f"event #{event.pk} ({event.status}) has no assessment plan validated by a second assessor")
    return out


def k_without_records() -> list[str]:
    """Every K decision on a plan rests, in each unit assessed K, on a signed record of every instrument the plan
    names for the participant's group, or the unit's K says why the evidence suffices."""
    from assessments.instruments.models import InstrumentRecord, PlanEvidence
    from assessments.instruments.services.plans import participant_group

    out = []
    for p in Participant.objects.filter(decision="K", event__plan__isnull=False).select_related(
            "event", "application").order_by("id"):
        signed = set(InstrumentRecord.objects.filter(participant=p, status=InstrumentRecord.Status.SIGNED)
                     .values_list("unit_id", "instrument"))
        for row in p.results.filter(result="K", evidence_gap_reason="", carried_over=False):
            planned = PlanEvidence.objects.filter(plan_id=p.event.plan_id, unit_id=row.unit_id,
                                                  group=participant_group(p)).values_list("instrument", flat=True)
            missing = [code for code in planned if (row.unit_id, code) not in signed]
            if missing:
                out.append(f"participant #{p.pk} decided K without signed {', '.join(missing)} in unit #{row.unit_id}")
    return out
