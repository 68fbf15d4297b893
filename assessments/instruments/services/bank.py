"""The question bank per unit and instrument (``BankItem``): confidential, read by LSP admins, the assessors whose
scope includes the scheme and its keepers (``selectors.bank_schemes_visible_to``), its keys read and its items
written by the keepers and the assessors of an event of the scheme (``selectors.bank_key_schemes``), every access
audited; who keeps it: :mod:`.bank_keepers`.

- :func:`item_problems` says what is wrong with one item (the form and the import share it), :func:`bank_item_save`
  adds or edits one, :func:`bank_item_set_active` takes one out of use (or back): items are never deleted, a test
  already taken keeps the questions it drew (``WrittenTest.questions`` freezes them).
- :func:`bank_accessed` writes the audit row of a page that shows bank content (``assessments.bankitem.viewed``...).
- The XLSX import: :func:`template_sheets` (the downloadable layout), :func:`read_bank_xlsx` (checks the file
  before reading it, reads the first sheet as values: a formula is kept as its text and never evaluated),
  :func:`check_rows` (per-row problems in the reader's language), :func:`bank_import_apply` (adds the rows without
  problems, in one transaction).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from assessments.errors import AssessmentError
from assessments.instruments.models.plans import BANK_INSTRUMENTS, BankItem, Instrument
from certportal import figures
from certportal.audit.services import audit_record
from certportal.workbooks import WorkbookRefused

TEXT_MAX = 2000  # a question, a task's scenario, a product to review
OPTION_MAX = 500
EXPECTED_MAX = 4000
TOOLS_MAX = 1000
MIN_OPTIONS, MAX_OPTIONS = 2, 6
LETTERS = "ABCDEF"
MAX_MINUTES = 480
WITH_EXPECTED = (Instrument.IA03, Instrument.IA06, Instrument.IA07, Instrument.IA09, Instrument.IA10,
                 Instrument.IA11)

# The import: at most this many questions per file, and what the file may be (an XLSX is a ZIP: refuse one that
# unpacks to more than MAX_UNPACKED, or whose sheet runs past MAX_LINES lines, blank ones included).
MAX_ROWS = 500
MAX_LINES = 5000
MAX_UNPACKED = 20 * 1024 * 1024
COUNT_FIGURES = "assessments.bank.counts"  # the items per unit and instrument, kept (certportal.figures)


def bank_units(scheme) -> list:
    """The scheme's units in its order."""
    return [su.unit for su in scheme.scheme_units.select_related("unit").order_by("position")]


def bank_counts(scheme) -> dict[tuple[int, str], dict]:
    """{(unit id, instrument): {"active": n, "inactive": m}} for the scheme's units: counted off the items' index
    (hundreds of items per unit and instrument), kept a minute (:mod:`certportal.figures`) and forgotten whenever an
    item is saved or deleted (``wiring``), so the scheme's grid and a unit's pages do not count them on every
    view."""
    from schemes.models import SchemeUnit

    def count() -> dict:
        units = SchemeUnit.objects.filter(scheme=scheme).values("unit_id")
        rows = (BankItem.objects.filter(unit_id__in=units).order_by().values("unit_id", "instrument")
                .annotate(active=Count("is_active", filter=Q(is_active=True)),
                          inactive=Count("is_active", filter=Q(is_active=False))))
        return {(r["unit_id"], r["instrument"]): {"active": r["active"], "inactive": r["inactive"]} for r in rows}

    return figures.kept(COUNT_FIGURES, scheme.pk, count)


def bank_accessed(*, actor, obj, action: str, note: str = "") -> None:
    """The audit row of a bank page shown, a template or an import read (``assessments.bankitem.<verb>``)."""
    audit_record(actor=actor, obj=obj, action=f"assessments.bankitem.{action}", note=note)


# --- one item --------------------------------------------------------------------------------------------------


@dataclass
class ItemData:
    """What an item says, as typed on the form or read from a row of the import."""

    text: str = ""
    options: list[str] = field(default_factory=list)
    key: int | None = None
    expected: str = ""
    tools: str = ""
    minutes: int | None = None
    criterion_id: int | None = None

    def cleaned(self) -> ItemData:
        options = [o.strip() for o in self.options]
        while options and not options[-1]:
            options.pop()
        return ItemData(self.text.strip(), options, self.key, self.expected.strip(), self.tools.strip(),
                        self.minutes, self.criterion_id)


def unit_criteria(unit):
    from schemes.models import PerformanceCriterion

    return PerformanceCriterion.objects.filter(element__unit=unit).select_related("element").order_by(
        "element__position", "id")


def item_problems(unit, instrument: str, data: ItemData) -> list[str]:
    """Why this item cannot go into the bank (translated; [] when it can)."""
    problems = []
    if instrument not in BANK_INSTRUMENTS:
        return [_("FR.%(code)s has no question bank (use one of %(codes)s).") % {
            "code": instrument, "codes": ", ".join(BANK_INSTRUMENTS)}]
    if not data.text:
        problems.append(_("The question or task is empty."))
    elif len(data.text) > TEXT_MAX:
        problems.append(_("The question or task is longer than %(limit)d characters.") % {"limit": TEXT_MAX})
    if instrument == Instrument.IA05:
        problems += _choice_problems(data)
    elif data.options or data.key is not None:
        problems.append(_("Only multiple-choice questions (FR.IA.05) have options and a key."))
    if instrument in WITH_EXPECTED and not data.expected:
        problems.append(_("Give the expected answer (for a product: the criteria)."))
    if len(data.expected) > EXPECTED_MAX:
        problems.append(_("The expected answer is longer than %(limit)d characters.") % {"limit": EXPECTED_MAX})
    if len(data.tools) > TOOLS_MAX:
        problems.append(_("The tools and materials are longer than %(limit)d characters.") % {"limit": TOOLS_MAX})
    if instrument == Instrument.IA02 and not (data.minutes and 1 <= data.minutes <= MAX_MINUTES):
        problems.append(_("Give the time for the task, from 1 to %(max)d minutes.") % {"max": MAX_MINUTES})
    if data.criterion_id is not None and not unit_criteria(unit).filter(pk=data.criterion_id).exists():
        problems.append(_("The KUK is not one of this unit's performance criteria."))
    return problems


def _choice_problems(data: ItemData) -> list[str]:
    problems = []
    if not MIN_OPTIONS <= len(data.options) <= MAX_OPTIONS:
        problems.append(_("A multiple-choice question has from %(min)d to %(max)d options.") % {
            "min": MIN_OPTIONS, "max": MAX_OPTIONS})
    if any(not o for o in data.options):
        problems.append(_("Fill the options in order, without a gap (A, B, C...)."))
    if any(len(o) > OPTION_MAX for o in data.options):
        problems.append(_("An option is longer than %(limit)d characters.") % {"limit": OPTION_MAX})
    if len({o.casefold() for o in data.options if o}) < len([o for o in data.options if o]):
        problems.append(_("Two options are the same."))
    if data.key is None:
        problems.append(_("Choose the correct option (the key)."))
    elif not 0 <= data.key < len(data.options):
        problems.append(_("The key %(key)s is not one of the options.") % {"key": LETTERS[data.key]
                                                                           if 0 <= data.key < len(LETTERS) else "?"})
    return problems


def bank_item_save(unit, *, actor, instrument: str, data: ItemData, item: BankItem | None = None) -> BankItem:
    """Add an item to ``unit``'s bank for ``instrument``, or change ``item`` (its unit and instrument stay)."""
    if item is not None:
        unit, instrument = item.unit, item.instrument
    data = data.cleaned()
    problems = item_problems(unit, instrument, data)
    if problems:
        raise AssessmentError(" ".join(problems))
    values = {"text": data.text, "options": data.options if instrument == Instrument.IA05 else [],
              "key": data.key if instrument == Instrument.IA05 else None, "expected": data.expected,
              "tools": data.tools, "minutes": data.minutes, "criterion_id": data.criterion_id}
    with transaction.atomic():
        if item is None:
            item = BankItem.objects.create(unit=unit, instrument=instrument, created_by=actor,
                                           position=_next_position(unit, instrument), **values)
            action = "created"
        else:
            item = BankItem.objects.select_for_update().get(pk=item.pk)
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
            action = "edited"
        audit_record(actor=actor, obj=unit, action=f"assessments.bankitem.{action}",
                     note=f"FR.{instrument} #{item.pk}")
    return item


def _next_position(unit, instrument: str) -> int:
    top = BankItem.objects.filter(unit=unit, instrument=instrument).aggregate(n=Max("position"))["n"]
    return (top or 0) + 1


def bank_item_set_active(item: BankItem, *, actor, active: bool) -> BankItem:
    """Take an item out of use (it is no longer drawn or offered; tests that drew it keep it), or back in use."""
    with transaction.atomic():
        item = BankItem.objects.select_for_update().select_related("unit").get(pk=item.pk)
        if item.is_active == active:
            raise AssessmentError(_("This item is already in use.") if active else
                                  _("This item is already out of use."))
        item.is_active = active
        item.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, obj=item.unit, action="assessments.bankitem." + (
            "reactivated" if active else "deactivated"), note=f"FR.{item.instrument} #{item.pk}")
    return item


# --- the XLSX import -------------------------------------------------------------------------------------------

# (key, header as the template writes it). A file is read by its header row, in Indonesian or English.
COLUMNS = [
    ("unit", gettext_lazy("Unit code")),
    ("instrument", gettext_lazy("Instrument")),
    ("kuk", gettext_lazy("KUK number")),
    ("text", gettext_lazy("Question or task")),
    ("option_a", gettext_lazy("Option A")), ("option_b", gettext_lazy("Option B")),
    ("option_c", gettext_lazy("Option C")), ("option_d", gettext_lazy("Option D")),
    ("option_e", gettext_lazy("Option E")), ("option_f", gettext_lazy("Option F")),
    ("key", gettext_lazy("Key")),
    ("expected", gettext_lazy("Expected answer or criteria")),
    ("tools", gettext_lazy("Tools and materials")),
    ("minutes", gettext_lazy("Time (minutes)")),
]
REQUIRED_COLUMNS = ("unit", "instrument", "text")
CELL_KEEP = {"text": TEXT_MAX + 1, "expected": EXPECTED_MAX + 1, "tools": TOOLS_MAX + 1,
             **{f"option_{letter.lower()}": OPTION_MAX + 1 for letter in LETTERS}}


def _headers() -> dict[str, str]:
    """{normalised header: column key}, in both languages."""
    names = {}
    for language in ("id", "en"):
        with override(language):
            names.update({_norm(str(label)): key for key, label in COLUMNS})
    return names


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def template_sheets():
    """The downloadable template: the header row to fill, and a second sheet that explains every column with an
    example (only the first sheet is read back)."""
    from certportal.exports import Sheet

    header = [str(label) for _key, label in COLUMNS]
    help_rows = [
        [str(COLUMNS[0][1]), _("Required. The unit's code as the scheme lists it."), "N.821100.001.02"],
        [str(COLUMNS[1][1]), _("Required. One of %(codes)s.") % {"codes": ", ".join(BANK_INSTRUMENTS)}, "IA.05"],
        [str(COLUMNS[2][1]), _("Optional. The number of a performance criterion of the unit."), "1.1"],
        [str(COLUMNS[3][1]), _("Required. At most %(limit)d characters.") % {"limit": TEXT_MAX},
         _("Which document states the service standard?")],
        [_("Option A to F"), _("FR.IA.05 only: from %(min)d to %(max)d options, in order, at most %(limit)d "
                               "characters each.") % {"min": MIN_OPTIONS, "max": MAX_OPTIONS, "limit": OPTION_MAX},
         _("The service pledge")],
        [str(COLUMNS[10][1]), _("FR.IA.05 only: the letter of the correct option."), "A"],
        [str(COLUMNS[11][1]), _("Required for IA.03, IA.06, IA.07, IA.09, IA.10 and IA.11 (for a product: the "
                                "criteria)."), ""],
        [str(COLUMNS[12][1]), _("FR.IA.02: the tools and materials of the task."), ""],
        [str(COLUMNS[13][1]), _("FR.IA.02: the time for the task, from 1 to %(max)d minutes.") % {
            "max": MAX_MINUTES}, "30"],
        ["", _("At most %(max)d questions per file. A cell starting with = + - or @ is kept as text, never "
               "calculated.") % {"max": MAX_ROWS}, ""],
    ]
    return [Sheet(_("Question bank"), header, []),
            Sheet(_("How to fill it in"), [_("Column"), _("What to write"), _("Example")], help_rows)]


@dataclass
class ImportRow:
    """One row of the file as read (text only; the numbers are parsed by :func:`check_rows`)."""

    line: int
    unit: str = ""
    instrument: str = ""
    kuk: str = ""
    text: str = ""
    options: list[str] = field(default_factory=list)
    key: str = ""
    expected: str = ""
    tools: str = ""
    minutes: str = ""
    problems: list[str] = field(default_factory=list)
    # filled by check_rows
    unit_id: int | None = None
    code: str = ""  # the instrument's code, normalised

    @property
    def ok(self) -> bool:
        return not self.problems


def read_bank_xlsx(upload) -> list[ImportRow]:
    """The rows of an uploaded bank workbook. Checked before it is read: the size limit, that it is a ZIP (XLSX) at
    all, and what it unpacks to; then the first sheet is read row by row, values only (a formula cell gives its
    text), at most :data:`MAX_ROWS` questions and :data:`MAX_LINES` lines."""
    from certportal.files import max_upload_bytes

    if upload.size > max_upload_bytes():
        raise AssessmentError(_("The file is %(size).1f MB; the limit is %(limit).0f MB.") % {
            "size": upload.size / 1024 / 1024, "limit": max_upload_bytes() / 1024 / 1024})
    data = upload.read()
    name = str(upload.name)[:100]
    if not data.startswith(b"PK\x03\x04"):
        raise AssessmentError(_("“%(name)s” is not an Excel workbook (.xlsx); its content was checked, not its "
                                "name.") % {"name": name})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise AssessmentError(_("The workbook unpacks to more than %(max)s MB; a question bank is far "
                                    "smaller.") % {"max": MAX_UNPACKED // 1024 // 1024})
        return _read_rows(data)
    except AssessmentError:
        raise
    except WorkbookRefused as exc:
        raise AssessmentError(str(exc)) from None
    except Exception:  # noqa: BLE001 - whatever cannot be read as a workbook is not a workbook we accept
        raise AssessmentError(_("“%(name)s” could not be read as an Excel workbook (.xlsx).") % {
            "name": name}) from None


def _cell(value) -> str:
    """A cell as text: numbers without a trailing .0, a formula as the text typed (never its result)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = getattr(value, "text", None)  # an array formula object carries its formula as text
    return (text if isinstance(text, str) else str(value)).strip()


def _read_rows(data: bytes) -> list[ImportRow]:
    from certportal.workbooks import xlsx_rows

    lines = xlsx_rows(data)
    try:
        first = next(lines, None) or ()
        known = _headers()
        columns: dict[str, int] = {}
        for index, value in enumerate(first[:40]):
            key = known.get(_norm(_cell(value)))
            if key and key not in columns:
                columns[key] = index
        missing = [str(label) for key, label in COLUMNS if key in REQUIRED_COLUMNS and key not in columns]
        if missing:
            raise AssessmentError(_("The first row must name the columns of the template; missing: %(names)s.")
                                  % {"names": ", ".join(missing)})
        rows = []
        for number, line in enumerate(lines, start=2):
            if number > MAX_LINES:
                raise AssessmentError(_("The sheet has more than %(max)d lines; import at most %(rows)d questions "
                                        "at a time.") % {"max": MAX_LINES, "rows": MAX_ROWS})
            # a cell is kept up to one character past its limit: enough to say it is too long, never more
            cells = {key: _cell(line[i])[:CELL_KEEP.get(key, 100)] if i < len(line) else ""
                     for key, i in columns.items()}
            if not any(cells.values()):
                continue
            if len(rows) >= MAX_ROWS:
                raise AssessmentError(_("The file has more than %(max)d questions; import them in parts.") % {
                    "max": MAX_ROWS})
            rows.append(ImportRow(
                line=number, unit=cells.get("unit", ""), instrument=cells.get("instrument", ""),
                kuk=cells.get("kuk", ""), text=cells.get("text", ""),
                options=[cells.get(f"option_{letter.lower()}", "") for letter in LETTERS],
                key=cells.get("key", ""), expected=cells.get("expected", ""), tools=cells.get("tools", ""),
                minutes=cells.get("minutes", "")))
    finally:
        lines.close()
    if not rows:
        raise AssessmentError(_("The file has no questions below its header row."))
    return rows


def instrument_code(text: str) -> str:
    """"IA.05", "FR.IA.05", "ia05", "5" → "IA.05"; "" when it names no instrument."""
    digits = re.sub(r"^(FR)?\W*(IA)?\W*", "", text.strip().upper())
    if not digits.isdigit():
        return ""
    code = f"IA.{int(digits):02d}"
    return code if code in Instrument.values else ""


def check_rows(scheme, rows: list[ImportRow]) -> list[ImportRow]:
    """Each row with its problems (translated): an unknown unit or instrument, an unknown KUK, a key outside the
    options, texts too long or empty, a number that is none, the same question twice or already in the bank."""
    units = {u.code.casefold(): u for u in bank_units(scheme)}
    criteria: dict[int, dict[str, int]] = {}
    seen: set[tuple[int, str, str]] = set()
    existing = {(unit_id, code, text.casefold()) for unit_id, code, text in BankItem.objects.filter(
        unit__in=list(units.values()), is_active=True).values_list("unit_id", "instrument", "text")}
    for row in rows:
        row.problems = []
        unit = units.get(row.unit.strip().casefold())
        row.code = instrument_code(row.instrument)
        if unit is None:
            row.problems.append(_("Unit “%(code)s” is not a unit of this scheme.") % {"code": row.unit[:60]})
        if not row.code:
            row.problems.append(_("“%(value)s” is not an instrument (write e.g. IA.05).") % {
                "value": row.instrument[:20]})
        if unit is None or not row.code:
            continue
        row.unit_id = unit.pk
        data = _row_data(row, unit, criteria)
        if data is None:
            continue
        row.problems += item_problems(unit, row.code, data.cleaned())
        signature = (unit.pk, row.code, data.text.strip().casefold())
        if signature in existing:
            row.problems.append(_("This question is already in the bank."))
        elif signature in seen:
            row.problems.append(_("The same question is on an earlier row."))
        seen.add(signature)
    return rows


def _row_data(row: ImportRow, unit, criteria: dict) -> ItemData | None:
    """The row's item, or None with the row's problems set (a number or a letter that is none)."""
    key = None
    if row.key:
        letter = row.key.strip().upper()
        if len(letter) != 1 or letter not in LETTERS:
            row.problems.append(_("The key “%(value)s” is not a letter from A to F.") % {"value": row.key[:10]})
        else:
            key = LETTERS.index(letter)
    minutes = None
    if row.minutes:
        if not row.minutes.isdigit() or len(row.minutes) > 4:
            row.problems.append(_("The time “%(value)s” is not a number of minutes.") % {"value": row.minutes[:10]})
        else:
            minutes = int(row.minutes)
    criterion_id = None
    if row.kuk:
        if unit.pk not in criteria:
            criteria[unit.pk] = {c.position.strip(): c.pk for c in unit_criteria(unit)}
        criterion_id = criteria[unit.pk].get(row.kuk.strip())
        if criterion_id is None:
            row.problems.append(_("KUK %(number)s is not a performance criterion of unit %(code)s.") % {
                "number": row.kuk[:10], "code": unit.code})
    if row.problems:
        return None
    return ItemData(text=row.text, options=row.options, key=key, expected=row.expected, tools=row.tools,
                    minutes=minutes, criterion_id=criterion_id)


def rows_to_session(rows: list[ImportRow]) -> list[dict]:
    return [{k: v for k, v in asdict(r).items() if k not in ("problems", "unit_id", "code")} for r in rows]


def rows_from_session(raw: list[dict]) -> list[ImportRow]:
    return [ImportRow(**r) for r in raw]


def bank_import_apply(scheme, rows: list[ImportRow], *, actor, source: str = "") -> int:
    """Add every row without a problem (checked again: the bank may have changed since the preview) in one
    transaction; one audit row per unit. Returns how many were added."""
    rows = [r for r in check_rows(scheme, rows) if r.ok]
    if not rows:
        raise AssessmentError(_("No row of the file can be added; correct the rows and import it again."))
    units = {u.pk: u for u in bank_units(scheme)}
    added: dict[int, list[str]] = {}
    with transaction.atomic():
        for row in rows:
            unit = units[row.unit_id]
            data = _row_data(row, unit, {}).cleaned()
            item = BankItem.objects.create(
                unit=unit, instrument=row.code, created_by=actor, position=_next_position(unit, row.code),
                text=data.text, options=data.options if row.code == Instrument.IA05 else [],
                key=data.key if row.code == Instrument.IA05 else None, expected=data.expected, tools=data.tools,
                minutes=data.minutes, criterion_id=data.criterion_id)
            added.setdefault(unit.pk, []).append(f"FR.{row.code} #{item.pk}")
        for unit_id, items in added.items():
            audit_record(actor=actor, obj=units[unit_id], action="assessments.bankitem.imported",
                         note=_("%(count)d items from %(file)s: %(items)s") % {
                             "count": len(items), "file": source or "XLSX", "items": ", ".join(items)})
    return len(rows)
