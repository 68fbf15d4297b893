"""Reader for SKKNI decrees (the official PDF annex, or its text): the "Daftar Unit Kompetensi" table.

SKKNI decrees share one layout but every one differs in small ways. The reader survives the classes seen on the
ministry's real decrees (fixtures/skkni/ holds four of them):

* the list's heading with its section letter and extra spaces ("B.    Daftar Unit Kompetensi"), a "DAFTAR UNIT
  KOMPETENSI" caption under it, a header in capitals without "Kompetensi" ("NO KODE UNIT JUDUL UNIT"), and an earlier
  table with the same header (the "Kemasan Standar Kompetensi"): the list is the first table after the heading;
* titles that wrap onto further lines, that are split around a page break (page numbers "15" or "- 15 -" and the
  repeated header are skipped) or around the code line (words above the code are given to the row whose title they
  begin, by the unit's own heading when there is one), row numbers printed apart from the code or run into it;
* the next section's heading printed on the last row's line ("… C. Uraian Unit Kompetensi"): it ends the list;
* the row of column numbers printed under the header ("1 2 3", "(1) (2) (3)"), again after a page break: skipped;
* extra spaces from justified text (collapsed) and spaces it lost ("HariTua": restored from the unit's own heading
  when that heading has the same letters);
* a dot missing or added in a code ("J.63OPR00001.2", "J.591.200.004.01"): read, and reported with the code as printed.

Which title is kept: the table's, as printed (whitespace collapsed, a final full stop dropped). Where the unit's own
"KODE UNIT / JUDUL UNIT" heading (in "Uraian Unit Kompetensi") disagrees with the table, on the code or the title,
the table wins and a warning names both. Pages without text (the scanned decree body, the signature page) are
reported; a file with no text at all, or whose list runs over a page without text, is refused with the reason and
nothing is written. Saving is one transaction: a decree is imported whole or not at all. Control characters in
the text (NUL and what the input guard refuses in a value) are dropped, with a warning naming the pages
(:func:`read_text`).
"""

import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certportal.inputguard import CONTROL_IN_VALUE

from ..codes import CODE_RE, normalise, parse_code
from .decree_life import read_life, signed_on
from .kkni import clean, title_case

# A page without a text layer, as pdf_text marks it (a text file cannot produce it by accident: it holds \f).
NO_TEXT_MARK = "\f[no text on page %d]"
# Control characters that separate words: dropped from a text layer, each leaves a space (:func:`_storable`).
SEPARATORS = "\x0b\x1c\x1d\x1e\x1f\x85"
NO_TEXT_RE = re.compile(r"^\f\[no text on page (\d+)\]$")
HEAD_RE = re.compile(r"KEPUTUSAN\s+MENTERI\s+[A-Z][A-Z\s]*?\s+REPUBLIK\s+INDONESIA\s+NOMOR\s*:?\s*(\d+)\s+TAHUN\s+"
                     r"(\d{4})\s+TENTANG\s+(.+?)(?=\n\s*BAB\s+I\b|\n[ \t]*\n[ \t]*\n|\Z)", re.S)
# Codes as the tables print them: new style "N.78PHI00.001.3", KBLI style "M.741000.001.01", with a dot missing,
# added ("J.591.200.004.01") or spaces inside.
CODE_PAT = (r"[A-Z]\s?\.?\s?(?:\d{2}[A-Z]{3}\d{2}|\d{3}\s?\.\s?\d{3}|\d{4,6}[A-Z0-9]{0,2})"
            r"\s?\.?\s?\d{3}\s?\.\s?\d{1,2}(?!\d)")
TABLE_START_RE = re.compile(r"^\s*(?:[A-Z]\.\s*)?Daftar\s+Unit\s+Kompetensi\s*$", re.I)
TABLE_HEADER_RE = re.compile(r"^\s*NO\.?\s+KODE\s+UNIT\s+JUDUL(?:\s+UNIT)?(?:\s+KOMPETENSI)?\s*$", re.I)
SECTION_WORDS = r"(?:Uraian|Pemetaan|Kemasan|Daftar|Peta|Pengertian|Penutup|Standar|Kualifikasi|Jenjang)"
TABLE_END_RE = re.compile(r"^\s*(?:[A-Z]\.\s+" + SECTION_WORDS + r"\b|Uraian\s+Unit\s+Kompetensi|BAB\s+[IVX]+\b|"
                          r"KODE\s+UNIT\s*:)", re.I)
INLINE_END_RE = re.compile(r"\s+[A-Z]\.\s+Uraian\s+Unit\s+Kompetensi\b.*$", re.I)
PAGE_NUMBER_RE = re.compile(r"^\s*(?:-\s*\d{1,3}\s*-|\d{1,3}\.?|halaman\s+\d{1,3}(?:\s+dari\s+\d{1,3})?)\s*$", re.I)
# The row of column numbers many decrees print under the header ("1 2 3", "(1) (2) (3)"), again after a page break.
COLUMN_NUMBERS_RE = re.compile(r"^\s*(?:\(?\d\)?\.?\s*){2,6}$")
ROW_RE = re.compile(r"^\s*(?:(\d{1,3})\s*\.?\s*)?(" + CODE_PAT + r")\s*(.*)$")
HEADING_RE = re.compile(r"KODE\s+UNIT\s*:\s*(" + CODE_PAT + r")(?:\s*\n\s*JUDUL\s+UNIT\s*:\s*(.+?)"
                        r"(?=\n\s*DESKRIPSI\s+UNIT|\n\s*KODE\s+UNIT|\Z))?", re.I | re.S)
VERB_RE = re.compile(r"^(?:Me|Ber|Ter|Di)[a-z]+\b")  # unit titles begin with a verb: Melakukan, Menyusun, …
LOOK_AHEAD_LINES = 10


class SkkniFormatError(ValueError):
    """Not an SKKNI decree of the expected layout, or not readable. Nothing is written."""


@dataclass
class SkkniResult:
    parsed: dict
    changed: bool
    message: str


@dataclass
class _Row:
    number: int | None
    printed: str
    own: str  # text on the code's own line
    before: list[str] = field(default_factory=list)  # lines above the code that begin its title
    after: list[str] = field(default_factory=list)  # lines below the code (wrapped title)

    @property
    def title(self) -> str:
        return _tidy(" ".join([*self.before, self.own, *self.after]))


def pdf_text(data: bytes, progress=None) -> str:
    """The PDF's text, pages joined by newlines; a page without text is marked so the parser can say so.
    ``progress(done, total)`` is called after each page (a background import's progress and sign of life). What
    cannot be stored is dropped (:func:`read_text` also says where)."""
    return _pdf_joined(_pdf_pages(data, progress))[0]


def _pdf_pages(data: bytes, progress=None) -> list[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            if progress:
                progress(len(pages), len(reader.pages))
    except Exception as exc:  # pypdf raises many kinds on damaged files
        from django.db import InterfaceError, OperationalError

        if isinstance(exc, (OperationalError, InterfaceError)):
            raise  # the progress update met a database that blinks: the job's task retries
        raise SkkniFormatError(_("The PDF could not be read: %(error)s") % {"error": exc}) from exc
    return pages


def _pdf_joined(pages: list[str]) -> tuple[str, list[int]]:
    """The pages' text without what cannot be stored, joined; and the pages that held such characters."""
    cleaned = [_storable(page) for page in pages]
    pages = [text for text, _dropped in cleaned]
    if not any(p.strip() for p in pages):
        raise SkkniFormatError(_("The PDF has no text at all (its %(n)s pages are scanned images): it cannot be "
                                 "read, nothing was imported. Import a PDF with a text layer.") % {"n": len(pages)})
    text = "\n".join(p if p.strip() else NO_TEXT_MARK % i for i, p in enumerate(pages, start=1))
    return text, [i for i, (_text, dropped) in enumerate(cleaned, start=1) if dropped]


def _storable(text: str) -> tuple[str, int]:
    """``text`` without the characters PostgreSQL (NUL) or the input guard (other control characters, lone
    surrogates: ``certportal.inputguard.CONTROL_IN_VALUE``) refuses, and how many went. A decree's text layer is
    machine output, so they are dropped with a warning rather than refused (docs/security.md); those that separate
    (vertical tab, the information separators, NEL) become a space, so two words stay two. A form feed is a page
    break (pdftotext writes one between pages): a line break, nothing lost, not counted."""
    return CONTROL_IN_VALUE.subn(lambda m: " " if m.group() in SEPARATORS else "", text.replace("\f", "\n"))


def read_text(data: bytes, progress=None) -> tuple[str, str | None]:
    """The decree's text (a PDF's text layer, or a text file) as it can be stored, and the warning for the review
    when characters that cannot be stored were dropped from it (None when none were)."""
    if data.startswith(b"%PDF"):
        text, pages = _pdf_joined(_pdf_pages(data, progress))
        if not pages:
            return text, None
        return text, ngettext(
            "Page %(pages)s of the PDF has control characters (such as NUL) in its text layer; they were dropped, "
            "so check the unit titles read from it.",
            "Pages %(pages)s of the PDF have control characters (such as NUL) in their text layer; they were "
            "dropped, so check the unit titles read from them.", len(pages)) % {"pages": ", ".join(map(str, pages))}
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        decoded = data.decode("cp1252", errors="replace")
    text, dropped = _storable(decoded)
    if not dropped:
        return text, None
    return text, ngettext("The text had %(count)s control character (such as NUL); it was dropped.",
                          "The text had %(count)s control characters (such as NUL); they were dropped.",
                          dropped) % {"count": dropped}


def text_of(data: bytes, progress=None) -> str:
    return read_text(data, progress)[0]


def parse_skkni(text: str) -> dict:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    blank = [int(m.group(1)) for m in re.finditer(r"^\f\[no text on page (\d+)\]$", text, re.M)]
    head = HEAD_RE.search(text)
    if not head:
        raise SkkniFormatError(_("No decree heading (\"KEPUTUSAN MENTERI ... NOMOR ... TAHUN ... TENTANG ...\") "
                                 "was found: this does not look like an SKKNI decree.") + _scanned_note(blank))
    title = title_case(head.group(3))
    if "standar kompetensi kerja" not in title.lower():
        raise SkkniFormatError(_("This decree does not set competency standards (its title is \"%(title)s\").")
                               % {"title": title})
    warnings: list[str] = []
    if blank:
        warnings.append(_("Pages %(pages)s have no text (scanned images) and were not read; the unit list was read "
                          "from the pages with text.") % {"pages": ", ".join(map(str, blank))})
    headings = _headings(text)
    rows = _rows(text, blank)
    _place_split_lines(rows, headings)
    units = _units(rows, headings, warnings)
    _compare_headings(units, headings, warnings)
    signed = signed_on(" ".join(text.split()))
    life = read_life(text, signed)  # where the decree's text says when it is in force, reviewed, what it revokes
    return {"decree": {"number": head.group(1), "year": int(head.group(2)), "title": title,
                       "issued_on": signed.isoformat() if signed else None, **life},
            "units": [{"code": u["code"], "title": u["title"]} for u in units], "warnings": warnings}


def _scanned_note(blank: list[int]) -> str:
    if not blank:
        return ""
    return " " + _("Pages %(pages)s have no text (scanned images); a decree whose text is only on scanned pages "
                   "cannot be read.") % {"pages": ", ".join(map(str, blank))}


def _canonical(printed: str) -> str:
    """The code in its catalogue spelling: spaces out, a dot added inside a KBLI field removed."""
    compact = re.sub(r"\s+", "", printed)
    compact = re.sub(r"^([A-Z])\.?(\d{3})\.(\d{3})\.", r"\1.\2\3.", compact)
    return normalise(compact)


def _tidy(title: str) -> str:
    return clean(title).rstrip(" .")


def _headings(text: str) -> dict[tuple, dict]:
    """The units' own "KODE UNIT : … / JUDUL UNIT : …" headings, by unit identity (sector, field, number)."""
    found: dict[tuple, dict] = {}
    for m in HEADING_RE.finditer(text):
        code = _canonical(m.group(1))
        parsed = parse_code(code)
        if parsed:
            found.setdefault(parsed.key, {"code": code, "printed": re.sub(r"\s+", "", m.group(1)),
                                          "title": _tidy(m.group(2) or "")})
    return found


def _table_start(lines: list[str]) -> int:
    """Index of the first line after the "Daftar Unit Kompetensi" heading that is closely followed by a row."""
    for i, line in enumerate(lines):
        if TABLE_START_RE.match(line) and any(ROW_RE.match(ln) for ln in lines[i + 1:i + 1 + LOOK_AHEAD_LINES]):
            return i + 1
    raise SkkniFormatError(_("The unit list (\"Daftar Unit Kompetensi\") was not found."))


def _rows(text: str, blank: list[int]) -> list[_Row]:
    lines = text.split("\n")
    rows: list[_Row] = []
    pending: list[str] = []  # lines since the last code line: the last row's wrap or the next row's first words
    for raw in lines[_table_start(lines):]:
        page = NO_TEXT_RE.match(raw)
        if page:
            raise SkkniFormatError(_("The unit list runs onto page %(page)s, which has no text (a scanned image): "
                                     "it cannot be read whole, nothing was imported.") % {"page": page.group(1)})
        s = raw.strip()
        if not s or TABLE_HEADER_RE.match(s) or TABLE_START_RE.match(s) or PAGE_NUMBER_RE.match(s) or _numbers(s):
            continue
        if TABLE_END_RE.match(s):
            break
        cut = INLINE_END_RE.sub("", s)
        m = ROW_RE.match(cut)
        if m:
            if rows:
                rows[-1].after = pending
            else:
                rows_before = pending
            rows.append(_Row(int(m.group(1)) if m.group(1) else None, re.sub(r"\s+", "", m.group(2)),
                             clean(m.group(3))))
            if len(rows) == 1:
                rows[0].before = rows_before
            pending = []
        else:
            pending.append(clean(cut))
        if cut != s:
            break
    if not rows:
        raise SkkniFormatError(_("The unit list (\"Daftar Unit Kompetensi\") has no rows."))
    rows[-1].after = pending
    return rows


def _numbers(line: str) -> bool:
    """The header's row of column numbers: 1, 2, 3, … in order (not a unit, not a title's words)."""
    if not COLUMN_NUMBERS_RE.match(line):
        return False
    numbers = [int(n) for n in re.findall(r"\d", line)]
    return numbers == list(range(1, len(numbers) + 1))


def _key(title: str) -> str:
    return re.sub(r"[^0-9a-z]", "", title.casefold())


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _key(a), _key(b)).ratio()


def _place_split_lines(rows: list[_Row], headings: dict) -> None:
    """A title may start above its code line (vertically centred cells): move those lines from the previous row.

    Only when the row's own line does not begin a title (empty, or a lower-case continuation). The split is where the
    previous row's title best matches its own heading; without headings, at the last line that begins with a verb.
    """
    for prev, row in zip(rows, rows[1:], strict=False):
        if (row.own and not row.own[:1].islower()) or not prev.after:
            continue
        if not row.own and not row.after:
            row.before, prev.after = prev.after, []  # the whole gap is this row's title (code printed below it)
            continue
        lines = prev.after
        split = _split_by_heading(prev, row, lines, headings)
        if split is None and not row.own and VERB_RE.match(row.after[0]):
            continue  # the code line stands alone and its title follows it (a wrapped cell): nothing moves
        if split is None:
            starts = [i for i, ln in enumerate(lines) if VERB_RE.match(ln)]
            split = starts[-1] if starts else len(lines)
        prev.after, row.before = lines[:split], lines[split:]


def _split_by_heading(prev: _Row, row: _Row, lines: list[str], headings: dict) -> int | None:
    want_prev = _heading_for(prev, headings)
    want_row = _heading_for(row, headings)
    if not want_prev and not want_row:
        return None
    best, best_score = None, -1.0
    for i in range(len(lines) + 1):
        a = _tidy(" ".join([*prev.before, prev.own, *lines[:i]]))
        b = _tidy(" ".join([*lines[i:], row.own, *row.after]))
        score = (_similarity(a, want_prev) if want_prev else 0) + (_similarity(b, want_row) if want_row else 0)
        if score > best_score:
            best, best_score = i, score
    return best


def _heading_for(row: _Row, headings: dict) -> str:
    parsed = parse_code(_canonical(row.printed))
    heading = headings.get(parsed.key) if parsed else None
    return heading["title"] if heading else ""


def _units(rows: list[_Row], headings: dict, warnings: list[str]) -> list[dict]:
    units = []
    for position, row in enumerate(rows, start=1):
        code = _canonical(row.printed)
        if row.number is not None and row.number != position:
            warnings.append(_("Row %(n)s (%(code)s) is the table's row %(pos)s: row numbers skip or repeat.")
                            % {"n": row.number, "code": row.printed, "pos": position})
        if not CODE_RE.fullmatch(row.printed):
            warnings.append(_("Unit code \"%(code)s\" is misprinted; read as %(norm)s.")
                            % {"code": row.printed, "norm": code})
        title = row.title
        parsed = parse_code(code)
        heading = headings.get(parsed.key) if parsed else None
        if heading and title and _restore_spaces(title, heading["title"]):
            title = _restore_spaces(title, heading["title"])
        if not title:
            warnings.append(_("Unit %(code)s has no title in the table.") % {"code": code})
        units.append({"code": code, "title": title, "key": parsed.key if parsed else None})
    return units


def _restore_spaces(title: str, heading: str) -> str:
    """The table's title with the spaces justified text lost ("HariTua"), if the heading has the same letters."""
    if title.replace(" ", "").casefold() != heading.replace(" ", "").casefold() or title.count(" ") >= heading.count(" "):
        return ""
    out, letters = [], iter(title.replace(" ", ""))
    for ch in heading:
        out.append(" " if ch == " " else next(letters))
    return "".join(out)


def _compare_headings(units: list[dict], headings: dict, warnings: list[str]) -> None:
    if not headings:
        return
    table_keys = set()
    style_only: list[str] = []  # same words, other letter case, spaces or punctuation
    for unit in units:
        if unit["key"] is None:
            continue
        table_keys.add(unit["key"])
        heading = headings.get(unit["key"])
        if heading is None:
            warnings.append(_("Unit %(code)s is in the table but has no \"KODE UNIT\" heading of its own.")
                            % {"code": unit["code"]})
            continue
        if heading["code"] != unit["code"] or heading["printed"] != unit["code"]:
            warnings.append(_("Unit %(code)s: the table says %(code)s but its own \"KODE UNIT\" heading says "
                              "%(heading)s; the table is used.") % {"code": unit["code"], "heading": heading["printed"]})
        if not heading["title"] or heading["title"] == unit["title"]:
            continue
        if _key(heading["title"]) == _key(unit["title"]):
            style_only.append(unit["code"])
        else:
            warnings.append(_("Unit %(code)s: the table's title \"%(table)s\" differs from its own heading's "
                              "\"%(heading)s\"; the table's title is used.")
                            % {"code": unit["code"], "table": unit["title"], "heading": heading["title"]})
    if style_only:
        warnings.append(ngettext(
            "The table's title of %(n)s unit differs from its own heading only in letter case, spaces or "
            "punctuation (%(codes)s); the table's spelling is used.",
            "The table's titles of %(n)s units differ from their own headings only in letter case, spaces or "
            "punctuation (%(codes)s); the table's spelling is used.", len(style_only))
            % {"n": len(style_only), "codes": ", ".join(style_only)})
    for key, heading in headings.items():
        if key not in table_keys:
            warnings.append(_("Unit %(code)s has a \"KODE UNIT\" heading but is not in the table.")
                            % {"code": heading["printed"]})


def read_file(path) -> dict:
    text, dropped = read_text(Path(path).read_bytes())
    return with_warning(parse_skkni(text), dropped)


def with_warning(parsed: dict, warning: str | None) -> dict:
    """The parse with the reading's warning first among its own (what was dropped from the text)."""
    if warning:
        parsed["warnings"] = [warning, *parsed["warnings"]]
    return parsed


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
        life_changed = apply_life(decree, d)
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
        if new_decree or created or updated or life_changed:
            audit_record(actor=actor, obj=decree, action="skkni_imported", to_state=str(decree),
                         note=_("%(c)s units created, %(u)s updated") % {"c": created, "u": updated})
    label = f"{d['number']}/{d['year']}"
    if not (new_decree or created or updated or life_changed):
        return SkkniResult(parsed, False, _("Decree %(decree)s is already imported with exactly this content: "
                                            "nothing changed.") % {"decree": label})
    return SkkniResult(parsed, True, _("Decree %(decree)s: %(c)s units created, %(u)s updated.")
                       % {"decree": label, "c": created, "u": updated})


def apply_life(decree, d: dict) -> bool:
    """Set what the decree's text states of its life (signed, in force, review, revokes); leave what it does not say
    as the LSP admin recorded it. True when something changed (the decree is saved)."""
    import datetime

    changed = False
    for name in ("issued_on", "in_force_on", "review_due_on"):
        value = datetime.date.fromisoformat(d[name]) if d.get(name) else None
        if value and getattr(decree, name) != value:
            setattr(decree, name, value)
            changed = True
    if d.get("revokes") and sorted(decree.revokes or []) != d["revokes"]:
        decree.revokes, changed = d["revokes"], True
    if changed:
        decree.save()
    return changed
