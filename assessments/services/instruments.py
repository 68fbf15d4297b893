"""The instruments an assessor fills per participant and unit (FR.IA.01–11 but FR.IA.05), and what FR.AK.02 reads
from them.

A record's rows (``InstrumentRecord.entries``, shapes in its docstring) are built by the portal, never posted:

- FR.IA.01 (observation checklist): every KUK of every element of the unit (key ``c<criterion id>``): achieved
  Ya/Tidak and a note (*penilaian lanjut*);
- FR.IA.08 (portfolio verification): every document of the participant's dossier with current files (key
  ``d<document id>``): valid, authentic (*asli*), current (*terkini*), sufficient (*memadai*) and a note; the
  participant's FR.APL.02 answers for the unit are shown beside it and frozen with it;
- the bank instruments (IA.02, 03, 06, 07, 09, 10, 11): every active question-bank item of the unit and instrument
  (key ``i<item id>``: the question, task or product with what is expected, the answer or observation recorded,
  satisfactory Ya/Tidak). The assessor may add questions of their own (key ``o<n>``, ``"own": true``: the text is
  theirs, kept in the entries), which is how a unit whose bank has no item for the instrument is assessed.

Once a row is in a draft it stays there (a bank item retired while the record is filled is still the one that
was asked); rows added since (a new bank item) are appended. Saving compares the version the form was opened with
(``updated_at``): a save from a second tab or device made meanwhile is never overwritten silently — the later
save is refused and says so. Signing (typed name = the assessor's own, time, client address) computes the outcome
(:func:`outcome_of`), freezes the snapshot the PDF prints, and the record is never changed again
(:mod:`assessments.workflow.instruments`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import ApplicationDocument, DocumentFile, SelfAssessment
from certportal import dates
from certportal.audit.services import audit_record
from certportal.net import current_client_ip
from certportal.workflow import transition

from ..models import Participant
from ..plan_models import BankItem, Instrument
from ..record_models import InstrumentRecord
from ..workflow.instruments import fill_refusal
from .base import AssessmentError
from .plans import EvidenceLine, EvidenceState, planned_rows
from .results import units_to_assess
from .signature import own_name_matches

FORM_VERSION = "1"
CHECKS = ("valid", "authentic", "current", "sufficient")
NOTE_MAX, ANSWER_MAX, NOTES_MAX, QUESTION_MAX, DETAIL_MAX, OWN_MAX = 1000, 5000, 5000, 2000, 200, 30
NEW_KEY = "new"  # the blank row of a bank form where the assessor adds a question of their own

# What each paper form is titled (printed in Indonesian, as BNSP's forms are).
FORM_TITLES = {
    Instrument.IA01: "CEKLIS OBSERVASI AKTIVITAS DI TEMPAT KERJA ATAU TEMPAT KERJA SIMULASI",
    Instrument.IA02: "TUGAS PRAKTIK DEMONSTRASI",
    Instrument.IA03: "PERTANYAAN UNTUK MENDUKUNG OBSERVASI",
    Instrument.IA05: "PERTANYAAN TERTULIS PILIHAN GANDA",
    Instrument.IA06: "PERTANYAAN TERTULIS ESAI",
    Instrument.IA07: "PERTANYAAN LISAN",
    Instrument.IA08: "CEKLIS VERIFIKASI PORTOFOLIO",
    Instrument.IA09: "PERTANYAAN WAWANCARA",
    Instrument.IA10: "KLARIFIKASI BUKTI PIHAK KETIGA",
    Instrument.IA11: "CEKLIS MENINJAU PRODUK",
}

# Besides the rows: who was asked (IA.10, required to sign) and the product reviewed (IA.11).
DETAIL_FIELDS = {
    Instrument.IA10: (("person_name", gettext_lazy("Name of the third party asked"), True),
                      ("person_role", gettext_lazy("Their role or relation to the participant"), True),
                      ("contact", gettext_lazy("How they were asked (contact)"), False)),
    Instrument.IA11: (("product", gettext_lazy("Product reviewed"), False),),
}


def kind_of(instrument: str) -> str:
    """``kuk`` (IA.01), ``portfolio`` (IA.08) or ``bank`` (the others)."""
    if instrument == Instrument.IA01:
        return "kuk"
    if instrument == Instrument.IA08:
        return "portfolio"
    return "bank"


ROW_FIELDS = {"kuk": ("achieved", "note"), "portfolio": (*CHECKS, "note"), "bank": ("answer", "satisfactory")}
YES_NO = {"achieved", "satisfactory", *CHECKS}
LIMITS = {"note": NOTE_MAX, "answer": ANSWER_MAX, "text": QUESTION_MAX}


def fillable_instruments() -> tuple[str, ...]:
    return tuple(code for code in Instrument.values if code != Instrument.IA05)


# --- the rows of a form -------------------------------------------------------------------------------------


def _criteria_rows(unit) -> list[dict]:
    rows = []
    for element in unit.elements.order_by("position").prefetch_related("criteria"):
        for c in element.criteria.all():
            rows.append({"key": f"c{c.pk}", "criterion": c.pk, "element": element.title, "element_no": element.position,
                         "number": c.position, "text": c.text, "achieved": None, "note": ""})
    return rows


def _document_rows(application) -> list[dict]:
    current = DocumentFile.objects.filter(superseded_at__isnull=True).order_by("uploaded_at", "id")
    docs = (ApplicationDocument.objects.filter(application=application).select_related("requirement")
            .prefetch_related(Prefetch("files", queryset=current)))
    return [{"key": f"d{d.pk}", "document": d.pk, "name": d.requirement.name,
             "files": [{"id": f.pk, "name": f.original_name, "version": f.version} for f in d.files.all()],
             **dict.fromkeys(CHECKS), "note": ""}
            for d in docs if d.files.all()]


def _bank_rows(unit, instrument: str) -> list[dict]:
    rows = []
    for item in BankItem.objects.filter(unit=unit, instrument=instrument, is_active=True).order_by("position", "id"):
        row = {"key": f"i{item.pk}", "item": item.pk, "text": item.text, "expected": item.expected, "answer": "",
               "satisfactory": None}
        if instrument == Instrument.IA02:
            row.update(tools=item.tools, minutes=item.minutes)
        rows.append(row)
    return rows


def template_rows(participant: Participant, unit, instrument: str) -> list[dict]:
    kind = kind_of(instrument)
    if kind == "kuk":
        return _criteria_rows(unit)
    if kind == "portfolio":
        return _document_rows(participant.application)
    return _bank_rows(unit, instrument)


def record_rows(participant: Participant, unit, instrument: str, record: InstrumentRecord | None) -> list[dict]:
    """The rows of the form: a signed record's as frozen; a draft's, with the rows added to the template since;
    without a record, the template."""
    if record is not None and record.status == InstrumentRecord.Status.SIGNED:
        return list(record.entries)
    kept = list(record.entries) if record is not None else []
    have = {row["key"] for row in kept}
    return kept + [row for row in template_rows(participant, unit, instrument) if row["key"] not in have]


def shown_rows(instrument: str, entries: list[dict]) -> list[dict]:
    """The rows as pages and PDFs print them: FR.IA.05's rows (the option chosen, whether it was correct) read as
    the other bank forms' (the answer, satisfactory)."""
    if kind_of(instrument) != "bank":
        return list(entries)
    return [{"tools": "", "minutes": None, "own": False, **row, "answer": row.get("answer", _chosen(row)),
             "satisfactory": row.get("satisfactory", row.get("correct"))} for row in entries]


def _chosen(row: dict) -> str:
    return f"{row['chosen']}. {row.get('chosen_text', '')}" if row.get("chosen") else ""


def self_assessment_rows(application, unit) -> list[dict]:
    """The participant's FR.APL.02 for the unit (per element where it has elements): answer and the evidence named."""
    rows = SelfAssessment.objects.filter(application=application, unit=unit).select_related("element")
    return [{"element": sa.element.title if sa.element else "", "answer": sa.answer,
             "answer_label": "K" if sa.answer == SelfAssessment.Answer.YES else "BK", "evidence": sa.evidence}
            for sa in rows]


# --- rules --------------------------------------------------------------------------------------------------


def _yes_no(raw) -> bool | None:
    if raw in (True, False, None):
        return raw
    value = str(raw).strip().lower()
    if value in ("", "none"):
        return None
    if value not in ("ya", "tidak"):
        raise AssessmentError(_("Answer Yes or No."))
    return value == "ya"


def _text(raw, limit: int) -> str:
    value = (raw or "").strip()
    if len(value) > limit:
        raise AssessmentError(_("A field can be at most %(limit)d characters long.") % {"limit": limit})
    return value


def _row_label(kind: str, index: int, row: dict) -> str:
    if kind == "kuk":
        return f"KUK {row.get('number') or index + 1}"
    if kind == "portfolio":
        return row.get("name", "")
    return str(index + 1)


def _answered(kind: str, row: dict) -> bool:
    if kind == "kuk":
        return row.get("achieved") is not None
    if kind == "portfolio":
        return all(row.get(check) is not None for check in CHECKS)
    return row.get("satisfactory") is not None


def sign_refusal(instrument: str, entries: list[dict], details: dict) -> str | None:
    """Why a record with these rows may not be signed yet (None: it may)."""
    kind = kind_of(instrument)
    if not entries and kind == "kuk":
        return _("The unit has no performance criteria (KUK) in the portal: the LSP admin records its elements and "
                 "KUK before the observation can be recorded.")
    if not entries and kind == "bank":
        return _("The question bank has no item for this unit and instrument: add at least one question of your "
                 "own, with the answer.")
    open_rows = [_row_label(kind, i, row) for i, row in enumerate(entries) if not _answered(kind, row)]
    if open_rows:
        return _("Answer every row before signing; not answered yet: %(rows)s.") % {"rows": ", ".join(open_rows[:10])}
    for name, label, required in DETAIL_FIELDS.get(instrument, ()):
        if required and not (details or {}).get(name):
            return _("Fill in “%(field)s” before signing.") % {"field": label}
    return None


def outcome_of(instrument: str, entries: list[dict]) -> str:
    """Sufficient when every KUK is achieved (IA.01), every document passes all four checks (IA.08), every item is
    satisfactory (the bank instruments); an empty record is never sufficient."""
    kind = kind_of(instrument)
    if kind == "kuk":
        ok = all(row.get("achieved") is True for row in entries)
    elif kind == "portfolio":
        ok = all(row.get(check) is True for row in entries for check in CHECKS)
    else:
        ok = all(row.get("satisfactory") is True for row in entries)
    ok = ok and bool(entries)
    return InstrumentRecord.Outcome.SATISFACTORY if ok else InstrumentRecord.Outcome.NOT_SATISFACTORY


def _merge(kind: str, rows: list[dict], values: dict) -> list[dict]:
    """The posted ``values`` ({row key: {field: raw text}}) put into the rows; a row not posted stays as it was;
    an own question emptied of its text is taken out; ``values["new"]`` with a text adds one."""
    out = []
    for row in rows:
        posted = values.get(row["key"])
        if posted is None:
            out.append(row)
            continue
        row = dict(row)
        if row.get("own"):
            row["text"] = _text(posted.get("text", row.get("text")), QUESTION_MAX)
            if not row["text"]:
                continue
        for field in ROW_FIELDS[kind]:
            if field in posted:
                raw = posted[field]
                row[field] = _yes_no(raw) if field in YES_NO else _text(raw, LIMITS[field])
        out.append(row)
    new = values.get(NEW_KEY) or {}
    text = _text(new.get("text", ""), QUESTION_MAX)
    if text and kind == "bank":
        numbers = [int(r["key"][1:]) for r in rows if r.get("own") and r["key"][1:].isdigit()]
        out.append({"key": f"o{max(numbers, default=0) + 1}", "own": True, "item": None, "text": text, "expected": "",
                    "answer": _text(new.get("answer", ""), ANSWER_MAX),
                    "satisfactory": _yes_no(new.get("satisfactory", ""))})
    if sum(1 for r in out if r.get("own")) > OWN_MAX:
        raise AssessmentError(_("At most %(n)d questions of your own per record.") % {"n": OWN_MAX})
    return out


def _details(instrument: str, posted: dict | None, record: InstrumentRecord | None) -> dict:
    details = dict(record.details) if record is not None else {}
    for name, _label, _required in DETAIL_FIELDS.get(instrument, ()):
        if posted is not None and name in posted:
            details[name] = _text(posted[name], DETAIL_MAX)
    return details


EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def json_moment(value) -> str:
    """A moment as the snapshot (JSON) keeps it; pages and PDFs print it with |wib / |long_datetime."""
    return DjangoJSONEncoder().default(value) if value else ""


def bank_shown(participant: Participant, *, unit, instrument: str, actor, rows: list[dict]) -> None:
    """The question bank is confidential and each access to it audited: the assessor filling a bank instrument
    is shown its items (``assessments.bankitem.viewed`` on the unit, as the bank's own pages write it)."""
    from .bank import bank_accessed

    items = [str(row["item"]) for row in rows if row.get("item") and not row.get("own")]
    if items:
        bank_accessed(actor=actor, obj=unit, action="viewed",
                      note=f"FR.{instrument} · {participant.name}: #{', #'.join(items)}")


# --- writing ------------------------------------------------------------------------------------------------


def version_of(record: InstrumentRecord | None) -> str:
    """What a form carries to prove it shows the record as saved last ("" before the first save)."""
    if record is None:
        return ""
    return str((record.updated_at - EPOCH) // datetime.timedelta(microseconds=1))  # to the microsecond


def _stale(record: InstrumentRecord | None) -> AssessmentError:
    when = dates.wib(record.updated_at) if record is not None else ""
    return AssessmentError(_(
        "This record was saved elsewhere (in another tab or on another device) at %(time)s, after you opened it. "
        "Your changes were not saved, so that neither version is lost: open the record again to see what was "
        "saved, then enter your changes.") % {"time": when})


def _check_unit(participant: Participant, unit) -> None:
    if not units_to_assess(participant).filter(pk=unit.pk).exists():
        raise AssessmentError(_("Unit %(code)s is not assessed in this sitting.") % {"code": unit.code})


def _locked_record(participant, unit, instrument: str, version: str) -> InstrumentRecord | None:
    record = (InstrumentRecord.objects.select_for_update()
              .filter(participant=participant, unit=unit, instrument=instrument).first())
    if record is not None and record.status == InstrumentRecord.Status.SIGNED:
        raise AssessmentError(_("This record is signed: a signed record is never changed."))
    if (version or "") != version_of(record):
        raise _stale(record)
    return record


@dataclass
class RecordInput:
    """What the assessor sent: ``values`` {row key: {field: raw text}} (``"ya"``/``"tidak"``/``""`` for the
    yes/no fields; ``"new"`` for an added question), ``details`` {name: text}, ``notes``, and ``version``."""

    values: dict
    details: dict | None = None
    notes: str = ""
    version: str = ""


def record_save(participant: Participant, *, unit, instrument: str, actor, data: RecordInput) -> InstrumentRecord:
    """Save the draft (``assessments.instrumentrecord.saved``; the first save creates it: ``...created``)."""
    return _write(participant, unit, instrument, actor, data, signed_name=None)


def record_sign(participant: Participant, *, unit, instrument: str, actor, data: RecordInput,
                signed_name: str) -> InstrumentRecord:
    """Save what was sent and sign (``assessments.instrumentrecord.signed``): all or nothing."""
    return _write(participant, unit, instrument, actor, data, signed_name=signed_name)


def _progress(kind: str, unit, entries: list[dict]) -> str:
    done = sum(1 for row in entries if _answered(kind, row))
    return f"{unit.code}: {done}/{len(entries)}"


def _write(participant, unit, instrument, actor, data: RecordInput, *, signed_name: str | None) -> InstrumentRecord:
    if instrument not in Instrument.values:
        raise AssessmentError(_("Unknown instrument."))
    kind = kind_of(instrument)
    with transaction.atomic():
        participant = (Participant.objects.select_for_update(of=("self",))
                       .select_related("event__test_site", "event__scheme", "application__scheme", "assessor__user")
                       .get(pk=participant.pk))
        _check_unit(participant, unit)
        refusal = fill_refusal(participant, unit.pk, instrument, actor, timezone.now())
        if refusal:
            raise AssessmentError(refusal)
        record = _locked_record(participant, unit, instrument, data.version)
        entries = _merge(kind, record_rows(participant, unit, instrument, record), data.values or {})
        details = _details(instrument, data.details, record)
        notes = _text(data.notes, NOTES_MAX)
        fields = {"entries": entries, "details": details, "notes": notes, "recorded_by": actor}
        if record is None:
            try:
                with transaction.atomic():
                    record = InstrumentRecord.objects.create(participant=participant, unit=unit, instrument=instrument,
                                                             **fields)
            except IntegrityError:  # a second tab's first save came first
                raise _stale(InstrumentRecord.objects.filter(participant=participant, unit=unit,
                                                             instrument=instrument).first()) from None
            audit_record(actor=actor, obj=record, action="assessments.instrumentrecord.created",
                         to_state=record.status, note=_progress(kind, unit, entries))
            if signed_name is None:
                return record
        if signed_name is None:
            return transition(record, "saved", user=actor, ip=current_client_ip(),
                              reason=_progress(kind, unit, entries), **fields)
        return _sign(record, participant, unit, actor, fields, signed_name)


def _sign(record, participant, unit, actor, fields: dict, signed_name: str) -> InstrumentRecord:
    signed_name = " ".join((signed_name or "").split())
    if not own_name_matches(signed_name, actor):
        raise AssessmentError(_("To sign, type your name as it is in your account: %(name)s.")
                              % {"name": actor.full_name})
    refusal = sign_refusal(record.instrument, fields["entries"], fields["details"])
    if refusal:  # said before the name's turn would hide it; the machine checks the same (validate)
        raise AssessmentError(refusal)
    now, ip = timezone.now(), current_client_ip()
    outcome = outcome_of(record.instrument, fields["entries"])
    snapshot = record_snapshot(record, participant, unit, actor, fields, outcome=outcome, signed_name=signed_name,
                               at=now, ip=ip)
    return transition(record, "signed", user=actor, ip=ip, at=now, reason=f"{unit.code}: {outcome}",
                      outcome=outcome, signed_name=signed_name, ip_address=ip, snapshot=snapshot, **fields)


def record_snapshot(record, participant, unit, actor, fields: dict, *, outcome: str, signed_name: str, at,
                    ip) -> dict:
    """What the PDF of the form prints, frozen when it is signed."""
    event, app = participant.event, participant.application
    rows = [{"type": r.evidence_type, "evidence": r.evidence}
            for r in planned_rows(participant, unit.pk) if r.instrument == record.instrument]
    snapshot = {
        "form": f"FR.{record.instrument}", "instrument": record.instrument, "version": FORM_VERSION,
        "title": FORM_TITLES.get(record.instrument, ""),
        "participant": {"name": participant.name, "nip": app.nip},
        "assessor": {"name": actor.full_name,
                     "registration": participant.assessor.registration_number if participant.assessor_id else ""},
        "scheme": {"code": app.scheme.code, "name": app.scheme.name},
        "unit": {"code": unit.code, "title": unit.title},
        "tuk": event.test_site.name, "event_starts_at": json_moment(event.starts_at),
        "plan": rows, "entries": fields["entries"], "details": fields["details"], "notes": fields["notes"],
        "outcome": outcome, "signed_name": signed_name, "signed_at": json_moment(at), "ip": ip or "",
    }
    if record.instrument == Instrument.IA08:
        snapshot["self_assessment"] = self_assessment_rows(app, unit)
    return snapshot


# --- what FR.AK.02 reads ------------------------------------------------------------------------------------

LINE_STATES = {
    "none": gettext_lazy("not recorded yet"),
    "draft": gettext_lazy("being filled in"),
    "sufficient": gettext_lazy("signed: sufficient"),
    "insufficient": gettext_lazy("signed: not sufficient"),
}


def line_state(line: EvidenceLine) -> str:
    if line.record is None:
        return "none"
    if not line.signed:
        return "draft"
    return "sufficient" if line.sufficient else "insufficient"


def evidence_by_unit(participants, *, plan_rows=None, records=None) -> dict:
    """{(participant id, unit id): EvidenceState} for every unit the plan names, in a fixed number of queries
    whatever the number of participants (the grid); ``plan_rows`` / ``records`` when already loaded."""
    from ..plan_models import PlanEvidence
    from .plans import participant_group

    participants = list(participants)
    plan_ids = {p.event.plan_id for p in participants if p.event.plan_id}
    if plan_rows is None:
        plan_rows = list(PlanEvidence.objects.filter(plan_id__in=plan_ids).order_by("unit_id", "position", "id"))
    if records is None:
        records = list(InstrumentRecord.objects.filter(participant__in=participants)
                       .defer("entries", "details", "snapshot", "notes"))
    rows_by = {}
    for row in plan_rows:
        rows_by.setdefault((row.plan_id, row.group), []).append(row)
    recs = {(r.participant_id, r.unit_id, r.instrument): r for r in records}
    out = {}
    for p in participants:
        if not p.event.plan_id:
            continue
        for row in rows_by.get((p.event.plan_id, participant_group(p)), []):
            state = out.setdefault((p.pk, row.unit_id), EvidenceState(True, []))
            state.lines.append(EvidenceLine(row, recs.get((p.pk, row.unit_id, row.instrument))))
    return out
