"""Reader for SKKNI decrees (the official PDF annex, or its text): the "Daftar Unit Kompetensi" table.

SKKNI decrees share one layout but differ in small ways, which the reader survives:

* titles that wrap onto the next line (joined), or whose first words sit on the line above the code;
* extra spaces from justified text (collapsed), page numbers and the table header repeated after page breaks;
* a dot missing in a code (read, and reported as a warning with the code as printed).

Where the table and a unit's own "KODE UNIT :" heading (in "Uraian Unit Kompetensi") disagree, the table wins and a
warning names both. A text without the decree heading or without the table is refused; nothing is written.
"""

import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from ..codes import CODE_RE, SKKNI_CODE_RE, normalise, parse_code
from .kkni import clean, title_case

HEAD_RE = re.compile(r"KEPUTUSAN\s+MENTERI\s+[A-Z ]+?\s+REPUBLIK\s+INDONESIA\s+NOMOR\s+(\d+)\s+TAHUN\s+(\d{4})\s+"
                     r"TENTANG\s+(.+?)(?=\n\s*BAB\s+I\b|\n\s*\n\s*\n|\Z)", re.S)
TABLE_START_RE = re.compile(r"Daftar\s+Unit\s+Kompetensi", re.I)
TABLE_HEADER_RE = re.compile(r"^\s*NO\.?\s+KODE\s+UNIT\s+JUDUL\s+UNIT", re.I)
TABLE_END_RE = re.compile(r"^\s*(?:[C-Z]\.\s+Uraian\s+Unit|BAB\s+[IVX]+\b|KODE\s+UNIT\s*:)", re.I)
ROW_RE = re.compile(r"^\s*(\d{1,3})\s*\.?\s+(" + SKKNI_CODE_RE.pattern + r")\s*(.*)$")
HEADING_RE = re.compile(r"KODE\s+UNIT\s*:\s*(" + SKKNI_CODE_RE.pattern + r")", re.I)


class SkkniFormatError(ValueError):
    """Not an SKKNI decree of the expected layout. Nothing is written."""


@dataclass
class SkkniResult:
    parsed: dict
    changed: bool
    message: str


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise SkkniFormatError(_("The PDF could not be read: %(error)s") % {"error": exc}) from exc


def text_of(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return pdf_text(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_skkni(text: str) -> dict:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    head = HEAD_RE.search(text)
    if not head:
        raise SkkniFormatError(_("No decree heading (\"KEPUTUSAN MENTERI ... NOMOR ... TAHUN ... TENTANG ...\") "
                                 "was found: this does not look like an SKKNI decree."))
    title = title_case(head.group(3))
    if "standar kompetensi kerja" not in title.lower():
        raise SkkniFormatError(_("This decree does not set competency standards (its title is \"%(title)s\").")
                               % {"title": title})
    warnings: list[str] = []
    units = _table(text, warnings)
    _compare_headings(text, units, warnings)
    return {"decree": {"number": head.group(1), "year": int(head.group(2)), "title": title},
            "units": units, "warnings": warnings}


def _table(text: str, warnings: list[str]) -> list[dict]:
    # The first "Daftar Unit Kompetensi" followed closely by a row (a table of contents may name it earlier).
    start = next((m for m in TABLE_START_RE.finditer(text)
                  if any(ROW_RE.match(ln) for ln in text[m.end():].split("\n")[:6])), None)
    if not start:
        raise SkkniFormatError(_("The unit list (\"Daftar Unit Kompetensi\") was not found."))
    rows: list[list] = []
    orphan: list[str] = []  # title words printed above a code whose own line has no title
    for line in text[start.end():].split("\n"):
        s = line.strip()
        if not s or TABLE_HEADER_RE.match(s) or re.fullmatch(r"\d{1,3}", s):
            continue
        if TABLE_END_RE.match(s):
            break
        m = ROW_RE.match(s)
        if m:
            title = clean(m.group(3))
            if not title and orphan:
                title = " ".join(orphan)
            orphan = []
            rows.append([int(m.group(1)), m.group(2), title])
        elif rows:
            rows[-1][2] = clean(rows[-1][2] + " " + s)
        else:
            orphan.append(clean(s))
    if not rows:
        raise SkkniFormatError(_("The unit list (\"Daftar Unit Kompetensi\") has no rows."))
    units = []
    for i, (number, code, title) in enumerate(rows, start=1):
        printed = re.sub(r"\s+", "", code)
        if number != i:
            warnings.append(_("Row %(n)s (%(code)s) follows row %(prev)s: row numbers skip or repeat.")
                            % {"n": number, "code": printed, "prev": i - 1})
        if not CODE_RE.fullmatch(printed):
            warnings.append(_("Unit code \"%(code)s\" is misprinted; read as %(norm)s.")
                            % {"code": printed, "norm": normalise(printed)})
        if not title:
            warnings.append(_("Unit %(code)s has no title in the table.") % {"code": printed})
        units.append({"code": normalise(printed), "title": title})
    return units


def _compare_headings(text: str, units: list[dict], warnings: list[str]) -> None:
    headings = {}
    for m in HEADING_RE.finditer(text):
        parsed = parse_code(m.group(1))
        if parsed:
            headings.setdefault(parsed.key, normalise(m.group(1)))
    if not headings:
        return
    table_keys = set()
    for unit in units:
        parsed = parse_code(unit["code"])
        if not parsed:
            continue
        table_keys.add(parsed.key)
        heading = headings.get(parsed.key)
        if heading is None:
            warnings.append(_("Unit %(code)s is in the table but has no \"KODE UNIT\" heading of its own.")
                            % {"code": unit["code"]})
        elif heading != unit["code"]:
            warnings.append(_("Unit %(code)s: the table says %(code)s but its own \"KODE UNIT\" heading says "
                              "%(heading)s; the table is used.") % {"code": unit["code"], "heading": heading})
    for key, heading in headings.items():
        if key not in table_keys:
            warnings.append(_("Unit %(code)s has a \"KODE UNIT\" heading but is not in the table.")
                            % {"code": heading})


def read_file(path) -> dict:
    return parse_skkni(text_of(Path(path).read_bytes()))


def save_skkni(parsed: dict, *, actor=None) -> SkkniResult:
    """Load the decree and its units in one transaction; re-running with the same content changes nothing."""
    from django.db import transaction

    from certportal.audit.services import audit_record

    from ..models import Decree, Unit

    d = parsed["decree"]
    created = updated = 0
    with transaction.atomic():
        decree, new_decree = Decree.objects.get_or_create(
            kind=Decree.Kind.SKKNI, number=d["number"], year=d["year"],
            defaults={"title": d["title"], "issued_by": "Menteri Ketenagakerjaan Republik Indonesia"})
        for u in parsed["units"]:
            parts = parse_code(u["code"])
            fields = {"sector": parts.sector, "field": parts.field, "number": parts.number,
                      "version": parts.version, "title": u["title"][:400], "decree": decree}
            unit = Unit.objects.filter(code=u["code"]).first()
            if unit is None:
                unit = Unit.objects.create(code=u["code"], **fields)
                created += 1
                audit_record(actor=actor, obj=unit, action="unit_imported", to_state=unit.code)
            elif any(getattr(unit, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(unit, k, v)
                unit.save()
                updated += 1
                audit_record(actor=actor, obj=unit, action="unit_updated_by_import", to_state=unit.code)
        if new_decree or created or updated:
            audit_record(actor=actor, obj=decree, action="skkni_imported", to_state=str(decree),
                         note=_("%(c)s units created, %(u)s updated") % {"c": created, "u": updated})
    label = f"{d['number']}/{d['year']}"
    if not (new_decree or created or updated):
        return SkkniResult(parsed, False, _("Decree %(decree)s is already imported with exactly this content: "
                                            "nothing changed.") % {"decree": label})
    return SkkniResult(parsed, True, _("Decree %(decree)s: %(c)s units created, %(u)s updated.")
                       % {"decree": label, "c": created, "u": updated})
