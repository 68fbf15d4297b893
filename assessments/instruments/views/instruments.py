"""Issue 19: the instrument records (FR.IA.01–11 but FR.IA.05) and FR.AK.02.

- ``/asesmen/peserta/<id>/instrumen/<unit>/<form>/`` (``form``: ``ia01``, ``ia08``, ``ia07``...): the participant's
  own assessor fills the record (save the draft, sign); the LSP admin and quality management read it, as does the
  assessor once it is signed or when they may no longer fill it.
- ``/asesmen/instrumen/<id>/fr-ia.pdf``: a signed record laid out like BNSP's paper form (from its snapshot).
- ``/asesmen/peserta/<id>/fr-ak-02.pdf``: FR.AK.02, the units with the instruments behind each result.

Readers: :func:`assessments.instruments.selectors.instrument_participants_visible_to` (the participant's own assessor, LSP
admins, quality management). :func:`participant_context` adds the evidence lines per unit to the staff
participant page (``_participant_instruments.html``); :func:`unit_evidence` is what the results section reads.
"""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.events.selectors import get_or_403
from assessments.events.services.results import units_to_assess
from assessments.instruments.models.plans import CandidateGroup, Instrument
from assessments.instruments.models.records import InstrumentRecord
from assessments.instruments.selectors import (
    instrument_participants_visible_to,
    instrument_records_visible_to,
)
from assessments.instruments.services import entries
from assessments.instruments.services import instruments as service
from assessments.instruments.services.plans import participant_group, planned_rows
from assessments.instruments.workflow.instruments import fill_refusal
from certportal.accounts.models import Role
from certportal.pdf import pdf_response
from certportal.permissions import role_required
from certportal.workflow.views import run_form

READERS = (Role.ASSESSOR, Role.LSP_ADMIN, Role.QUALITY)
SLUGS = {code.replace(".", "").lower(): code for code in Instrument.values}


def slug(code: str) -> str:
    return code.replace(".", "").lower()


def record_url(participant_id: int, unit_id: int, code: str) -> str:
    return reverse("assessments:instrument-record", args=[participant_id, unit_id, slug(code)])


# --- the evidence lines of a participant, per unit ----------------------------------------------------------


def unit_evidence(user, participant) -> dict:
    """{unit id: {"state": EvidenceState, "lines": [...]}} for the units the event's plan names ({} without a plan);
    each line with its state, and the links this ``user`` may follow (fill, read, PDF). Kept on the participant
    for the rest of the request (the instruments section and the results section read the same)."""
    cached = getattr(participant, "_instrument_evidence", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    out = {}
    if participant.event.plan_id:
        reader = _reads_records(user, participant)
        may_fill = fill_refusal_any(participant, user) is None
        states = service.evidence_by_unit([participant], plan_rows=planned_rows(participant))  # read once a request
        for (_pid, unit_id), state in states.items():
            out[unit_id] = {"state": state, "lines": [_line(participant, line, reader, may_fill)
                                                      for line in state.lines]}
    participant._instrument_evidence = (user.pk, out)
    return out


def fill_refusal_any(participant, user) -> str | None:
    """The participant-wide part of the rule (own assessor, the day, FR.AK.01, present)."""
    from assessments.events.workflow.participants import _recordable

    return _recordable(participant, user, timezone.now())


def _line(participant, line, reader: bool, may_fill: bool) -> dict:
    state = service.line_state(line)
    code = line.row.instrument
    fill = may_fill and code != Instrument.IA05 and state in ("none", "draft")
    record = line.record
    return {"line": line, "code": code, "label": Instrument(code).label, "state": state,
            "state_label": service.LINE_STATES[state],
            "url": record_url(participant.pk, line.row.unit_id, code) if reader and (fill or record) else "",
            "fill": fill,
            "pdf": reverse("assessments:instrument-pdf", args=[record.pk]) if reader and line.signed else ""}


def grid_evidence(participants) -> dict:
    """{(participant id, unit id): {"lines", "gap", "missing"}} for the results grid, whose readers (the assessor
    of these participants, the LSP admin) may all open the records: two queries whatever the size."""
    out = {}
    for (pid, unit_id), state in service.evidence_by_unit(participants).items():
        lines = [{"code": line.row.instrument, "state": service.line_state(line),
                  "state_label": service.LINE_STATES[service.line_state(line)],
                  "url": record_url(pid, unit_id, line.row.instrument) if line.record
                  or line.row.instrument != Instrument.IA05 else ""} for line in state.lines]
        out[(pid, unit_id)] = {"lines": lines, "gap": not state.complete,
                               "missing": [f"FR.{line.row.instrument}" for line in state.missing]}
    return out


def _reads_records(user, participant) -> bool:
    """Whether ``user`` may read ``participant``'s instrument records: asked once a request (the results section and
    the instruments section both ask), kept on the participant as :func:`unit_evidence` keeps its answer."""
    cached = getattr(participant, "_reads_records", None)
    if cached is None or cached[0] != user.pk:
        cached = (user.pk, instrument_participants_visible_to(user).filter(pk=participant.pk).exists())
        participant._reads_records = cached
    return cached[1]


def participant_context(user, participant) -> dict:
    """The instruments section of the staff participant page (only for those who may read the records)."""
    if not _reads_records(user, participant):
        return {}
    evidence = unit_evidence(user, participant)
    units = [{"unit": unit, **evidence[unit.pk]} for unit in units_to_assess(participant) if unit.pk in evidence]
    return {"instr_readable": True, "instr_planned": bool(participant.event.plan_id), "instr_units": units,
            "instr_refusal": fill_refusal_any(participant, user) if participant.assessor
            and participant.assessor.user_id == user.pk else "",
            "instr_ak02_url": reverse("assessments:ak02-pdf", args=[participant.pk])}


def event_context(user, event) -> dict:
    return {}


def my_context(user, participant) -> dict:
    return {}


# --- one record ---------------------------------------------------------------------------------------------


class RecordForm(forms.Form):
    """The fields besides the rows (the rows are read by key from the POST: :func:`_posted_values`)."""

    version = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    notes = forms.CharField(label=gettext_lazy("Notes and feedback to the participant"), required=False,
                            max_length=entries.NOTES_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    signed_name = forms.CharField(label=gettext_lazy("Your full name, typed as your signature"), required=False,
                                  max_length=200)
    action = forms.ChoiceField(choices=[("save", "save"), ("sign", "sign")], required=False)

    def __init__(self, *args, instrument: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, required in entries.DETAIL_FIELDS.get(instrument, ()):
            self.fields[f"detail_{name}"] = forms.CharField(label=label, required=False,
                                                            max_length=entries.DETAIL_MAX)
            self.fields[f"detail_{name}"].needed_to_sign = required

    def details(self) -> dict:
        return {name[len("detail_"):]: value for name, value in self.cleaned_data.items()
                if name.startswith("detail_")}

    def detail_fields(self):
        return [self[name] for name in self.fields if name.startswith("detail_")]


def _row_fields(kind: str, row: dict) -> tuple[str, ...]:
    return (*entries.ROW_FIELDS[kind], *(("text",) if row.get("own") else ()))


def _posted_values(post, kind: str, rows: list[dict]) -> dict:
    """{row key: {field: raw text}} for the fields of each row present in the POST (and the added question)."""
    values = {}
    for row in rows:
        got = {f: post[f"{f}_{row['key']}"] for f in _row_fields(kind, row) if f"{f}_{row['key']}" in post}
        if got:
            values[row["key"]] = got
    if kind == "bank":
        new = {f: post.get(f"{f}_{entries.NEW_KEY}", "") for f in ("text", "answer", "satisfactory")}
        if new["text"].strip():
            values[entries.NEW_KEY] = new
    return values


def _shown(rows: list[dict], values: dict) -> list[dict]:
    """The rows as the page shows them: after a refusal, with what was typed still in them."""
    out = []
    for row in rows:
        row = dict(row)
        for field, raw in values.get(row["key"], {}).items():
            row[field] = {"ya": True, "tidak": False}.get(raw) if field in entries.YES_NO else raw
        out.append(row)
    return out


def _instrument(form_slug: str) -> str:
    code = SLUGS.get(form_slug)
    if code is None:
        raise Http404
    return code


def _groups(kind: str, rows: list[dict]) -> list[dict]:
    """IA.01's rows by element (a fieldset each); the other forms are one group."""
    if kind != "kuk":
        return [{"title": "", "rows": rows}]
    groups = []
    for row in rows:
        if not groups or groups[-1]["title"] != row.get("element"):
            groups.append({"title": row.get("element"), "number": row.get("element_no"), "rows": []})
        groups[-1]["rows"].append(row)
    return groups


@role_required(*READERS)
def instrument_record(request, pk, unit, form):
    participant = get_or_403(instrument_participants_visible_to(request.user), pk=pk)
    instrument = _instrument(form)
    unit = get_object_or_404(units_to_assess(participant), pk=unit)
    record = InstrumentRecord.objects.filter(participant=participant, unit=unit, instrument=instrument).first()
    kind = entries.kind_of(instrument)
    here = record_url(participant.pk, unit.pk, instrument)
    post = request.POST if request.method == "POST" else None
    initial = {"version": service.version_of(record), "notes": record.notes if record else "",
               **{f"detail_{k}": v for k, v in (record.details if record else {}).items()}}
    record_form = RecordForm(post, instrument=instrument, initial=initial)
    posted = {}

    def call(data):
        rows = entries.record_rows(participant, unit, instrument, record)
        posted.update(_posted_values(request.POST, kind, rows))
        record_input = service.RecordInput(values=posted, details=record_form.details(), notes=data["notes"],
                                           version=data["version"])
        if data["action"] == "sign":
            return service.record_sign(participant, unit=unit, instrument=instrument, actor=request.user,
                                       data=record_input, signed_name=data["signed_name"])
        return service.record_save(participant, unit=unit, instrument=instrument, actor=request.user,
                                   data=record_input)

    def success(saved: InstrumentRecord) -> str:
        if saved.status == InstrumentRecord.Status.SIGNED:
            return _("FR.%(code)s for unit %(unit)s is signed: %(outcome)s.") % {
                "code": instrument, "unit": unit.code, "outcome": saved.get_outcome_display().lower()}
        return _("The draft is saved.")

    def redirect_to(saved: InstrumentRecord) -> str:
        if saved.status == InstrumentRecord.Status.SIGNED:
            return reverse("assessments:participant", args=[participant.pk]) + "#instruments"
        return here

    return run_form(request, record_form, call, success=success, redirect_to=redirect_to,
                    template="assessments/instrument_record.html",
                    context=lambda: _page(request, participant, unit, instrument, posted))


def _page(request, participant, unit, instrument: str, posted: dict) -> dict:
    """The record page: the form to fill (the participant's own assessor, when they may), else the record read
    only; after a refused POST, with what was typed still in it."""
    kind = entries.kind_of(instrument)
    current = InstrumentRecord.objects.filter(participant=participant, unit=unit, instrument=instrument).first()
    signed = bool(current and current.status == InstrumentRecord.Status.SIGNED)
    refusal = None if signed else fill_refusal(participant, unit.pk, instrument, request.user, timezone.now())
    own = bool(participant.assessor_id and participant.assessor.user_id == request.user.pk)
    rows = entries.shown_rows(instrument, entries.record_rows(participant, unit, instrument, current))
    if request.method == "POST":
        rows = _shown(rows, posted or _posted_values(request.POST, kind, rows))
    elif kind == "bank" and refusal is None and not signed:
        service.bank_shown(participant, unit=unit, instrument=instrument, actor=request.user, rows=rows)
    if kind == "portfolio":
        rows = [{**row, "checks": [{"name": c, "label": label, "value": row.get(c)} for c, label in CHECK_LABELS]}
                for row in rows]
    return {
        "p": participant, "event": participant.event, "unit": unit, "code": instrument, "kind": kind,
        "label": Instrument(instrument).label, "record": current, "rows": rows, "groups": _groups(kind, rows),
        "editable": refusal is None and not signed, "refusal": refusal if own else "", "checks": CHECK_LABELS,
        "new_row": {k: request.POST.get(f"{k}_new", "") for k in ("text", "answer")}
        if request.method == "POST" else {},
        "self_assessment": entries.self_assessment_rows(participant.application, unit) if kind == "portfolio" else [],
        "plan_rows": [r for r in planned_rows(participant, unit.pk) if r.instrument == instrument],
        "group_label": CandidateGroup(participant_group(participant)).label,
        "details": [(label, (current.details or {}).get(name, "")) for name, label, _required
                    in entries.DETAIL_FIELDS.get(instrument, ())] if current else [],
        "back": reverse("assessments:participant", args=[participant.pk]) + "#instruments",
        "pdf": reverse("assessments:instrument-pdf", args=[current.pk]) if signed else ""}


# FR.IA.08's rules of evidence (V A T M: valid, asli, terkini, memadai)
CHECK_LABELS = [("valid", pgettext_lazy("evidence", "Valid")), ("authentic", pgettext_lazy("evidence", "Authentic")),
                ("current", pgettext_lazy("evidence", "Current")),
                ("sufficient", pgettext_lazy("evidence", "Sufficient"))]


# --- PDFs ---------------------------------------------------------------------------------------------------


@role_required(*READERS)
def instrument_pdf(request, pk):
    from assessments.instruments.paperwork.instruments import render_record

    record = get_or_403(instrument_records_visible_to(request.user), pk=pk)
    if record.status != InstrumentRecord.Status.SIGNED:
        raise Http404  # a draft has no paper form: it is printed once signed
    return pdf_response(render_record(record), f"fr-{slug(record.instrument)}-{record.participant_id}-"
                                               f"{record.unit.code}.pdf")


@role_required(*READERS)
def ak02_pdf(request, pk):
    from assessments.instruments.paperwork.instruments import render_ak02

    participant = get_or_403(instrument_participants_visible_to(request.user), pk=pk)
    return pdf_response(render_ak02(participant), f"fr-ak-02-{participant.pk}.pdf")


urls = [
    path("peserta/<int:pk>/instrumen/<int:unit>/<slug:form>/", instrument_record, name="instrument-record"),
    path("instrumen/<int:pk>/fr-ia.pdf", instrument_pdf, name="instrument-pdf"),
    path("peserta/<int:pk>/fr-ak-02.pdf", ak02_pdf, name="ak02-pdf"),
]
