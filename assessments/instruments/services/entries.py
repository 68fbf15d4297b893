"""What an instrument record holds (FR.IA.01-11 but FR.IA.05): the kind of each instrument, the rows the portal
builds for it (the unit's KUK, the participant's dossier, the question bank), what a posted answer may be, when a
record may be signed (:func:`sign_refusal`) and what it concludes (:func:`outcome_of`). Read by the services that
save and sign records (:mod:`.instruments`) and by the record's machine (:mod:`assessments.instruments.workflow.instruments`)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import ApplicationDocument, DocumentFile, SelfAssessment
from assessments.errors import AssessmentError
from assessments.events.models import Participant
from assessments.instruments.models.plans import BankItem, Instrument
from assessments.instruments.models.records import InstrumentRecord

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

