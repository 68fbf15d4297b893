"""The instrument records and FR.AK.02 on paper: each form laid out like BNSP's (form code and version, the
participant, the assessor, the scheme, the TUK, the date, then the rows), always in Indonesian.

:func:`render_record` prints a signed record from its snapshot (frozen when it was signed: what it printed then,
it prints for ever). :func:`render_ak02` prints FR.AK.02 (*Rekaman Asesmen Kompetensi*) for one participant: per
unit the instruments behind the result (ticked per column), K/BK, the feedback to the participant, and the names."""

from __future__ import annotations

from django.utils import timezone

from assessments.events.models import Participant, Result
from assessments.events.services.results import recommend, units_to_assess
from assessments.instruments.models.plans import Instrument
from assessments.instruments.models.records import InstrumentRecord
from assessments.instruments.services.entries import CHECKS, FORM_TITLES, kind_of, shown_rows
from assessments.instruments.services.instruments import FORM_VERSION, evidence_by_unit, json_moment
from certportal.lsp.services import letterhead
from certportal.pdf import render_pdf

TEMPLATES = {"kuk": "assessments/pdf/ia01.html", "portfolio": "assessments/pdf/ia08.html",
             "bank": "assessments/pdf/ia_bank.html"}
AK02_VERSION = "1"

# FR.AK.02's columns of evidence, and the instruments that give each (Indonesian: printed as on the paper form).
AK02_COLUMNS = [
    ("Observasi Demonstrasi", {Instrument.IA01, Instrument.IA02}),
    ("Portofolio", {Instrument.IA08}),
    ("Pernyataan Pihak Ketiga", {Instrument.IA10}),
    ("Pertanyaan Wawancara", {Instrument.IA09}),
    ("Pertanyaan Lisan", {Instrument.IA03, Instrument.IA07}),
    ("Pertanyaan Tertulis", {Instrument.IA05, Instrument.IA06}),
    ("Reviu Produk", {Instrument.IA11}),
]
OUTCOME_WORDS = {InstrumentRecord.Outcome.SATISFACTORY: "memadai",
                 InstrumentRecord.Outcome.NOT_SATISFACTORY: "belum memadai"}


def _header(record: InstrumentRecord) -> dict:
    """What the top of the form prints: the snapshot's, or (a record another part of the portal signed without
    them, e.g. FR.IA.05) the same read from the record's participant."""
    p = record.participant
    app, event = p.application, p.event
    live = {"form": f"FR.{record.instrument}", "instrument": record.instrument, "version": FORM_VERSION,
            "title": FORM_TITLES.get(record.instrument, ""),
            "participant": {"name": p.name, "nip": app.nip},
            "assessor": {"name": p.assessor.user.full_name if p.assessor_id else "",
                         "registration": p.assessor.registration_number if p.assessor_id else ""},
            "scheme": {"code": app.scheme.code, "name": app.scheme.name},
            "unit": {"code": record.unit.code, "title": record.unit.title},
            "tuk": event.test_site.name, "event_starts_at": json_moment(event.starts_at), "plan": [],
            "entries": record.entries, "details": record.details, "notes": record.notes, "outcome": record.outcome,
            "signed_name": record.signed_name, "signed_at": json_moment(record.signed_at),
            "ip": record.ip_address or ""}
    return {**live, **(record.snapshot or {})}


def render_record(record: InstrumentRecord) -> bytes:
    """The PDF of a signed instrument record (a draft has none: ValueError)."""
    if record.status != InstrumentRecord.Status.SIGNED:
        raise ValueError("only a signed instrument record is printed")
    if record.instrument == Instrument.IA05:  # the browser test prints its own answer sheet (every unit)
        from assessments.instruments.paperwork.written_test import render_ia05

        return render_ia05(record.participant)
    s = _header(record)
    kind = kind_of(record.instrument)
    entries = shown_rows(record.instrument, s.get("entries") or [])
    if kind == "portfolio":
        entries = [{**row, "marks": [row.get(check) for check in CHECKS]} for row in entries]
    return render_pdf(TEMPLATES[kind], {
        "s": s, "entries": entries, "outcome_word": OUTCOME_WORDS.get(s.get("outcome"), "-"),
        "lsp": letterhead(), "printed_at": timezone.now(), "record": record}, language="id")


def _unit_rows(participant: Participant) -> list[dict]:
    results = {r.unit_id: r for r in participant.results.all()}
    states = evidence_by_unit([participant])
    signed = {(r.unit_id, r.instrument): r for r in InstrumentRecord.objects.filter(
        participant=participant, status=InstrumentRecord.Status.SIGNED).defer("snapshot", "entries")}
    rows = []
    for unit in units_to_assess(participant):
        used = {code for (unit_id, code) in signed if unit_id == unit.pk}
        state = states.get((participant.pk, unit.pk))
        result = results.get(unit.pk)
        rows.append({
            "unit": unit, "result": result,
            "ticks": [bool(used & codes) for _label, codes in AK02_COLUMNS],
            "other": bool(result and (result.evidence_gap_reason or not participant.event.plan_id)),
            "records": [{"code": code, "title": FORM_TITLES.get(code, ""),
                         "outcome": OUTCOME_WORDS.get(signed[(unit.pk, code)].outcome, "-"),
                         "notes": signed[(unit.pk, code)].notes} for code in sorted(used)],
            "missing": [f"FR.{line.row.instrument}" for line in state.missing] if state else [],
        })
    return rows


def render_ak02(participant: Participant) -> bytes:
    """FR.AK.02 for one participant, from the results and the signed instrument records as they stand."""
    participant = (Participant.objects.select_related("event__test_site", "application__scheme", "assessor__user")
                   .get(pk=participant.pk))
    rows = _unit_rows(participant)
    recorded = [r["result"].recorded_at for r in rows if r["result"]]
    recommendation = participant.recommendation or (recommend(participant) if recorded else "")
    return render_pdf("assessments/pdf/ak02.html", {
        "p": participant, "event": participant.event, "scheme": participant.application.scheme, "rows": rows,
        "columns": [label for label, _codes in AK02_COLUMNS], "recommendation": recommendation,
        "competent": recommendation == Result.K, "ended": max(recorded) if recorded else None,
        "follow_up": [r for r in rows if r["result"] and r["result"].result == Result.BK],
        "version": AK02_VERSION, "lsp": letterhead(), "printed_at": timezone.now()}, language="id")
