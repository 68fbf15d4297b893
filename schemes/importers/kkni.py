"""Reader for ministerial decrees setting KKNI qualifications (the shape of Kepmenaker 3/2021, seed 004).

The text is a PDF conversion. The reader survives what such conversions do, and reports every irregularity of
the document itself as a warning naming the section and the unit, never mending it silently:

* tables split across pages with the header ("DAFTAR UNIT KOMPETENSI ... PERSYARATAN KOMPETENSI") repeated;
* the code and the title in one cell (space- instead of tab-separated);
* a title wrapped onto the next line (joined; the prerequisite cell ends the row);
* a prerequisite naming a different version of a unit the qualification lists;
* a prerequisite naming a unit the qualification does not list;
* the same unit number with different versions in different qualifications;
* the same unit code with different titles in different qualifications (letter case, spacing, hyphenation or
  wording): every such code is reported with the qualifications and titles; the catalogue keeps the first;
* a unit listed both as core and as elective;
* lettering slips in the rule lines ("c./d." instead of "a./b."), totals that do not add up, fewer listed
  units than the rule asks for, row numbers that skip.

A text that is not such a decree, or is cut short (sections announced in the decree's diktum but missing, a
section without its packaging rule or unit table, no closing signature), raises :class:`KkniFormatError`.
Rows keep codes exactly as printed; titles have markup removed and spaces collapsed.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..codes import CODE_RE, LOOSE_CODE_RE, normalise, parse_code
from .decree_life import read_life

MONTHS = {m: i for i, m in enumerate(["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
                                      "september", "oktober", "november", "desember"], start=1)}
SMALL_WORDS = {"dan", "di", "ke", "dari", "yang", "untuk", "atau", "pada", "dengan", "bagi", "dalam", "tentang"}
NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
                "sembilan": 9, "sepuluh": 10, "sebelas": 11}

ROMAN_RE = re.compile(r"^([IVX]+)\.\s+SUBBIDANG\s+(.+?)\s+KELOMPOK\s+(.+?)\s*$")
SECTION_RE = re.compile(r"^-?\s*([A-Z])\.\s+JENJANG\s+KUALIFIKASI\s+(\d+)\s+KELOMPOK\s+(.+?)\s*$")
PART_RE = re.compile(r"^-?\s*(\d)\.\s+(Kodifikasi|Deskripsi|Sikap Kerja|Peran Kerja|Kemungkinan Jabatan|"
                     r"Aturan Pengemasan)\s*$", re.I)
TOTAL_RE = re.compile(r"^(\d+)\s*\(([^)]*)\)\s*unit kompetensi\s+(?:yang\s+)?harus", re.I)
SPLIT_RE = re.compile(r"^-?\s*([a-z])\.\s*(\d+)\s*\(([^)]*)\)\s*unit kompetensi\s+(inti|pilihan)", re.I)
HEADER_RE = re.compile(r"^DAFTAR UNIT KOMPETENSI\b", re.I)
KIND_RE = re.compile(r"^KOMPETENSI\s+(INTI|PILIHAN)\s*$", re.I)
ROW_RE = re.compile(r"^(\d{1,3})\.\s*(" + LOOSE_CODE_RE.pattern + r")(?=\s)(.*)$")
PREREQ_TAIL_RE = re.compile(r"(?:^|\t|\s)(Tidak\s+ada|(?:" + LOOSE_CODE_RE.pattern + r")(?:[\s,;]+(?:"
                            + LOOSE_CODE_RE.pattern + r"))*)\s*[.;]?\s*$", re.I)
CODES_ONLY_RE = re.compile(r"^\s*(?:" + LOOSE_CODE_RE.pattern + r"[\s,;]*)+$")
DIKTUM_RE = re.compile(r"Subbidang\s+(.+?)\s+Kelompok\s+(.+?)\s+jenjang\s+([\d,\s]+(?:dan\s+\d+)?)", re.I)


class KkniFormatError(ValueError):
    """The text is not a KKNI decree of the expected shape, or is incomplete. Nothing is written."""


@dataclass
class Row:
    code: str
    title: str
    prerequisites: list[str]
    number: int

    def as_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "prerequisites": self.prerequisites}


@dataclass
class Section:
    letter: str
    level: int
    subfield: str
    group: str
    lines: list[str] = field(default_factory=list)
    core: list[Row] = field(default_factory=list)
    elective: list[Row] = field(default_factory=list)
    data: dict = field(default_factory=dict)


def clean(text: str) -> str:
    """Remove markup (HTML tags, markdown emphasis) and collapse spaces."""
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)
    text = text.replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def title_case(upper: str) -> str:
    words = clean(upper).lower().split(" ")
    return " ".join(w if (i and w in SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def parse_kkni(text: str) -> dict:
    """Parse a decree into ``{"decree", "qualifications", "warnings", "title_variants"}`` (module docstring)."""
    if not text or not text.strip():
        raise KkniFormatError(_("The file is empty."))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [ln.rstrip() for ln in text.split("\n")]
    warnings: list[str] = []
    decree = _parse_decree(text)
    expected = _expected_sections(text)
    sections = _split_sections(lines, warnings)
    if not sections:
        raise KkniFormatError(_("No qualification sections (\"A. JENJANG KUALIFIKASI ...\") were found: this does "
                                "not look like a KKNI qualifications decree."))
    _check_complete(sections, expected, lines)
    for sec in sections:
        _parse_section(sec, warnings)
    variants = _cross_checks(sections, warnings)
    return {
        "decree": decree,
        "qualifications": [_section_dict(s) for s in sections],
        "warnings": warnings,
        "title_variants": variants,
    }


def _parse_decree(text: str) -> dict:
    head = re.search(r"KEPUTUSAN\s+MENTERI\s+([A-Z ]+?)\s+REPUBLIK\s+INDONESIA\s+NOMOR\s+(\d+)\s+TAHUN\s+(\d{4})"
                     r"\s+TENTANG\W*\s+(.+?)\n\s*\n", text.replace("**", ""), re.S)
    if not head:
        raise KkniFormatError(_("No decree heading (\"KEPUTUSAN MENTERI ... NOMOR ... TAHUN ... TENTANG ...\") was "
                                "found: this does not look like a ministerial decree."))
    if "JENJANG KUALIFIKASI" not in head.group(4).upper():
        raise KkniFormatError(_("This decree is not about KKNI qualification levels (its title is \"%(title)s\").")
                              % {"title": clean(head.group(4))})
    issued_on = None
    when = re.search(r"pada\s+tanggal\s+(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    if when and when.group(2).lower() in MONTHS:
        issued_on = datetime.date(int(when.group(3)), MONTHS[when.group(2).lower()], int(when.group(1)))
    return {
        "kind": "kkni",
        "number": head.group(2),
        "year": int(head.group(3)),
        "title": title_case(head.group(4)),
        "issued_by": title_case(f"Menteri {head.group(1)} Republik Indonesia"),
        "issued_on": issued_on.isoformat() if issued_on else None,
        **read_life(text, issued_on),  # KEEMPAT–KEENAM: in force, review, what it revokes
    }


def _expected_sections(text: str) -> list[tuple[str, str, int]] | None:
    """What the diktum KEDUA announces: (subfield, group, level) in order; None when the diktum is absent."""
    m = re.search(r"KEDUA\s*:(.+?)KETIGA\s*:", text, re.S)
    if not m:
        return None
    found = []
    for sub, group, levels in DIKTUM_RE.findall(m.group(1)):
        for lv in re.findall(r"\d+", levels):
            found.append((clean(sub).lower(), clean(group).lower(), int(lv)))
    return found or None


def _split_sections(lines: list[str], warnings: list[str]) -> list[Section]:
    sections: list[Section] = []
    subfield = group = ""
    start = next((i for i, ln in enumerate(lines) if ln.strip().upper() == "LAMPIRAN"), 0)
    for ln in lines[start:]:
        stripped = ln.strip()
        roman = ROMAN_RE.match(stripped)
        sec = SECTION_RE.match(stripped)
        if roman:
            subfield, group = title_case(roman.group(2)), title_case(roman.group(3))
            continue
        if sec:
            letter, level, sec_group = sec.group(1), int(sec.group(2)), title_case(sec.group(3))
            if group and sec_group.lower() != group.lower():
                warnings.append(_("Section %(letter)s: its heading names the group \"%(a)s\" but it stands under "
                                  "\"%(b)s\".") % {"letter": letter, "a": sec_group, "b": group})
            sections.append(Section(letter=letter, level=level, subfield=subfield, group=group or sec_group))
            continue
        if sections:
            sections[-1].lines.append(ln)
    return sections


def _check_complete(sections: list[Section], expected, lines: list[str]) -> None:
    if expected is not None and len(sections) < len(expected):
        got = ", ".join(s.letter for s in sections)
        raise KkniFormatError(_("The decree announces %(n)s qualifications but only %(m)s were found (%(got)s): "
                                "the file looks cut short.") % {"n": len(expected), "m": len(sections), "got": got})
    for sec in sections:
        if not any(PART_RE.match(ln.strip()) and "pengemasan" in ln.lower() for ln in sec.lines):
            raise KkniFormatError(_("Section %(letter)s has no packaging rule (\"Aturan Pengemasan\"): the file "
                                    "looks cut short or damaged.") % {"letter": sec.letter})
    tail = "\n".join(sections[-1].lines).upper()
    if not re.search(r"MENTERI\s+\w+\s*\n\s*REPUBLIK INDONESIA,?\s*\n(?:\s*\n)*\s*[A-Z][A-Z .,']{3,}\s*$",
                     tail.rstrip()):
        raise KkniFormatError(_("The last section (%(letter)s) is not followed by the minister's closing "
                                "signature: the file looks cut short.") % {"letter": sections[-1].letter})


def _parts(sec: Section) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    current = None
    for ln in sec.lines:
        m = PART_RE.match(ln.strip())
        if m:
            current = m.group(2).lower()
            parts[current] = []
        elif current:
            parts[current].append(ln)
    return parts


def _paragraphs(lines: list[str]) -> str:
    text = "\n".join(ln.strip() for ln in lines).strip()
    return "\n\n".join(clean(p) for p in re.split(r"\n\s*\n", text) if clean(p))


def _parse_section(sec: Section, warnings: list[str]) -> None:
    parts = _parts(sec)
    cod = clean(" ".join(ln for ln in parts.get("kodifikasi", []) if ln.strip()))
    m = re.match(r"^([A-Z]\.?\d{2}[0-9A-Z]+)\s+Kualifikasi\s+(\d+)\s+(.*)$", cod)
    code_prefix = m.group(1) if m else ""
    if not m:
        warnings.append(_("Section %(letter)s: the codification line could not be read (\"%(line)s\").")
                        % {"letter": sec.letter, "line": cod})
    else:
        if int(m.group(2)) != sec.level:
            warnings.append(_("Section %(letter)s: the codification line says level %(a)s but the heading says "
                              "%(b)s.") % {"letter": sec.letter, "a": m.group(2), "b": sec.level})
        names = re.search(r"Subbidang\s+(.+?)\s+Kelompok\s+(.+)$", m.group(3))
        if names and (names.group(1).lower() != sec.subfield.lower() or names.group(2).lower() != sec.group.lower()):
            warnings.append(_("Section %(letter)s: the codification line names subfield \"%(s)s\", group \"%(g)s\" "
                              "but the section stands under subfield \"%(s2)s\", group \"%(g2)s\"; the headings "
                              "are used.") % {"letter": sec.letter, "s": names.group(1), "g": names.group(2),
                                              "s2": sec.subfield, "g2": sec.group})
    jobs = _jobs(parts.get("kemungkinan jabatan", []))
    rule = _rule(sec, parts.get("aturan pengemasan", []), warnings)
    _table(sec, parts.get("aturan pengemasan", []), warnings)
    sec.data = {
        "letter": sec.letter,
        "title": f"Jenjang Kualifikasi {sec.level} Kelompok {sec.group}",
        "subfield": sec.subfield,
        "group": sec.group,
        "level": sec.level,
        "code_prefix": code_prefix,
        "codification_line": cod,
        "description": _paragraphs(parts.get("deskripsi", [])),
        "work_attitudes": _paragraphs(parts.get("sikap kerja", [])),
        "work_role": _paragraphs(parts.get("peran kerja", [])),
        "jobs": jobs,
        **rule,
    }


def _jobs(lines: list[str]) -> list[str]:
    jobs = []
    for ln in lines:
        s = ln.strip()
        if s.lower().startswith("catatan"):
            break
        m = re.match(r"^-?\s*[a-z]\.\s+(.+)$", s)
        if m:
            jobs.append(clean(m.group(1)))
        elif s and jobs:
            jobs[-1] = clean(jobs[-1] + " " + s)
    return jobs


def _count(number: str, words: str, sec: Section, warnings: list[str]) -> int:
    value = int(number)
    first = words.strip().lower().split(" ")[0] if words.strip() else ""
    if first in NUMBER_WORDS and NUMBER_WORDS[first] != value and "belas" not in words.lower():
        warnings.append(_("Section %(letter)s: the rule says %(n)s in figures but \"%(w)s\" in words.")
                        % {"letter": sec.letter, "n": value, "w": words})
    return value


def _rule(sec: Section, lines: list[str], warnings: list[str]) -> dict:
    total = core = elective = None
    letters = []
    for ln in lines:
        s = clean(ln)
        m = TOTAL_RE.match(s)
        if m and total is None:
            total = _count(m.group(1), m.group(2), sec, warnings)
            continue
        m = SPLIT_RE.match(s)
        if m:
            letters.append(m.group(1))
            value = _count(m.group(2), m.group(3), sec, warnings)
            if m.group(4).lower() == "inti":
                core = value
            else:
                elective = value
        if HEADER_RE.match(s):
            break
    if total is None or core is None or elective is None:
        raise KkniFormatError(_("Section %(letter)s: the packaging rule (total, core and elective counts) could not "
                                "be read.") % {"letter": sec.letter})
    if letters and letters != ["a", "b"][: len(letters)]:
        warnings.append(_("Section %(letter)s: the rule lines are lettered %(got)s instead of a., b. (lettering "
                          "slip).") % {"letter": sec.letter, "got": ", ".join(f"{x}." for x in letters)})
    if core + elective != total:
        warnings.append(_("Section %(letter)s: the rule asks for %(t)s units but %(c)s core + %(e)s elective = "
                          "%(s)s.") % {"letter": sec.letter, "t": total, "c": core, "e": elective,
                                       "s": core + elective})
    return {"total_required": total, "core_required": core, "elective_required": elective}


def _split_row(rest: str) -> tuple[str, list[str]] | None:
    """Title and prerequisites from what follows the code; None when the prerequisite cell has not come yet."""
    m = PREREQ_TAIL_RE.search(rest)
    if not m:
        return None
    title = clean(rest[: m.start(1)])
    cell = m.group(1)
    prereqs = [] if cell.lower().startswith("tidak") else [re.sub(r"\s+", "", c) for c in
                                                             LOOSE_CODE_RE.findall(cell)]
    return title, prereqs


def _table(sec: Section, lines: list[str], warnings: list[str]) -> None:
    kind = None
    pending: list | None = None  # [number, code, text-so-far] of a row whose prerequisite cell is not read yet
    started = False
    for ln in lines:
        s = ln.strip()
        if not s:
            continue
        if HEADER_RE.match(s):
            started = True
            continue
        if not started:
            continue
        k = KIND_RE.match(s)
        if k:
            kind = "core" if k.group(1).upper() == "INTI" else "elective"
            continue
        row = ROW_RE.match(s)
        if row:
            if pending:
                _pending_failed(sec, pending, warnings)
            if kind is None:
                raise KkniFormatError(_("Section %(letter)s: unit %(code)s comes before the \"KOMPETENSI INTI\" "
                                        "heading.") % {"letter": sec.letter, "code": row.group(2)})
            pending = [int(row.group(1)), row.group(2), row.group(3)]
        elif pending:
            pending[2] += "\t" + s
        elif CODES_ONLY_RE.match(s) and (sec.elective or sec.core):
            last = (sec.elective if kind == "elective" else sec.core)[-1]
            last.prerequisites += [re.sub(r"\s+", "", c) for c in LOOSE_CODE_RE.findall(s)]
            continue
        else:
            continue
        split = _split_row(pending[2])
        if split:
            _add_row(sec, kind, pending[0], pending[1], split, warnings)
            pending = None
    if pending:
        _pending_failed(sec, pending, warnings)
    if not sec.core:
        raise KkniFormatError(_("Section %(letter)s lists no core units: the file looks cut short or damaged.")
                              % {"letter": sec.letter})


def _pending_failed(sec: Section, pending: list, warnings: list[str]) -> None:
    raise KkniFormatError(_("Section %(letter)s: the row of unit %(code)s has no prerequisite cell (\"Tidak ada\" "
                            "or unit codes): the table is damaged or cut short.")
                          % {"letter": sec.letter, "code": pending[1]})


def _add_row(sec: Section, kind: str, number: int, code: str, split, warnings: list[str]) -> None:
    title, prereqs = split
    code = code.strip()
    rows = sec.core if kind == "core" else sec.elective
    label = _("core") if kind == "core" else _("elective")
    expected = len(rows) + 1
    if number != expected:
        warnings.append(_("Section %(letter)s: %(kind)s row %(n)s (%(code)s) follows row %(prev)s; row numbers "
                          "skip or repeat.") % {"letter": sec.letter, "kind": label, "n": number, "code": code,
                                                "prev": expected - 1})
    if not CODE_RE.fullmatch(code):
        warnings.append(_("Section %(letter)s: unit code \"%(code)s\" is misprinted (read as %(norm)s).")
                        % {"letter": sec.letter, "code": code, "norm": normalise(code)})
    for p in prereqs:
        if not CODE_RE.fullmatch(p):
            warnings.append(_("Section %(letter)s: unit %(code)s names a misprinted prerequisite \"%(p)s\".")
                            % {"letter": sec.letter, "code": code, "p": p})
    rows.append(Row(code=code, title=title, prerequisites=prereqs, number=number))


def _section_dict(sec: Section) -> dict:
    return {**sec.data, "core": [r.as_dict() for r in sec.core], "elective": [r.as_dict() for r in sec.elective]}


def _cross_checks(sections: list[Section], warnings: list[str]) -> list[dict]:
    for sec in sections:
        _section_checks(sec, warnings)
    return _decree_checks(sections, warnings)


def _section_checks(sec: Section, warnings: list[str]) -> None:
    d = sec.data
    if len(sec.core) != d["core_required"]:
        warnings.append(_("Section %(letter)s: the rule asks for %(n)s core units but %(m)s are listed; all listed "
                          "core units are required.") % {"letter": sec.letter, "n": d["core_required"],
                                                         "m": len(sec.core)})
    if len(sec.elective) < d["elective_required"]:
        warnings.append(_("Section %(letter)s: the rule asks for %(n)s elective units but only %(m)s are listed.")
                        % {"letter": sec.letter, "n": d["elective_required"], "m": len(sec.elective)})
    listed: dict = {}
    for kind, rows in (("core", sec.core), ("elective", sec.elective)):
        for r in rows:
            parsed = parse_code(r.code)
            if parsed is None:
                continue
            if parsed.key in listed:
                other_kind, other = listed[parsed.key]
                warnings.append(_("Section %(letter)s: unit %(code)s is listed twice (%(a)s %(c1)s and %(b)s "
                                  "%(c2)s); it counts once, as %(a)s.") % {
                    "letter": sec.letter, "code": r.code, "a": _(other_kind), "b": _(kind), "c1": other.code,
                    "c2": r.code})
                continue
            listed[parsed.key] = (kind, r)
    for r in sec.core + sec.elective:
        for p in r.prerequisites:
            pp = parse_code(p)
            if pp is None:
                continue
            hit = listed.get(pp.key)
            if hit is None:
                warnings.append(_("Section %(letter)s: unit %(code)s requires %(p)s, which this qualification does "
                                  "not list.") % {"letter": sec.letter, "code": r.code, "p": p})
            elif normalise(hit[1].code) != normalise(p):
                warnings.append(_("Section %(letter)s: unit %(code)s requires %(p)s but the qualification lists "
                                  "%(listed)s (version mismatch).") % {"letter": sec.letter, "code": r.code, "p": p,
                                                                      "listed": hit[1].code})


def _decree_checks(sections: list[Section], warnings: list[str]) -> list[dict]:
    """The same unit number printed with different versions, and the same code with different titles.

    Titles are compared exactly (letter case, spaces, hyphens and wording all count): the unit catalogue keeps one
    title per code, the first printed in decree order (section A first, core before elective; see ``_unit_for``),
    while each qualification's listing keeps the title as that section prints it (``title_as_printed``).
    """
    by_number: dict = {}
    by_code: dict = {}
    for sec in sections:
        for r in sec.core + sec.elective:
            parsed = parse_code(r.code)
            if parsed is None:
                continue
            by_number.setdefault(parsed.key, []).append((sec.letter, r))
            by_code.setdefault(normalise(r.code), []).append((sec.letter, r))
    for entries in by_number.values():
        versions: dict = {}
        for letter, r in entries:
            versions.setdefault(normalise(r.code), []).append(letter)
        if len(versions) > 1:
            detail = "; ".join(f"{code} ({', '.join(dict.fromkeys(ls))})" for code, ls in versions.items())
            warnings.append(_("Unit %(number)s is printed with different versions: %(detail)s.")
                            % {"number": ".".join(parse_code(entries[0][1].code).key), "detail": detail})
    variants = []
    for code, entries in by_code.items():
        titles: dict = {}
        for letter, r in entries:
            titles.setdefault(r.title, []).append(letter)
        if len(titles) > 1:
            warnings.append(title_variants_warning(code, titles))
            kept = next(iter(titles))
            variants.append({"code": code, "kept": kept, "titles": [
                {"title": t, "qualifications": list(dict.fromkeys(ls)),
                 "difference": "" if t == kept else title_difference(kept, t)} for t, ls in titles.items()]})
    return variants


def title_difference(kept: str, other: str) -> str:
    """How two printings of a title differ: letter case, spacing, hyphenation, or wording."""
    if kept.casefold() == other.casefold():
        return _("letter case")
    squeeze = re.compile(r"\s+")
    if squeeze.sub("", kept).casefold() == squeeze.sub("", other).casefold():
        return _("spacing")
    if squeeze.sub("", kept.replace("-", "")).casefold() == squeeze.sub("", other.replace("-", "")).casefold():
        return _("hyphenation")
    return _("wording")


def title_variants_warning(code: str, titles: dict[str, list[str]]) -> str:
    """One warning naming every title a code carries, the qualifications printing each, and the title kept."""
    kept = next(iter(titles))
    detail = "; ".join(
        f"\"{t}\" ({_('qualifications') if len(ls) > 1 else _('qualification')} {', '.join(dict.fromkeys(ls))}"
        + ("" if t == kept else f", {title_difference(kept, t)}") + ")"
        for t, ls in titles.items())
    return _("Unit %(code)s is printed with different titles: %(detail)s. The unit catalogue keeps the first, "
             "\"%(kept)s\", unless the unit was already in the catalogue; each qualification shows its own "
             "printing.") % {"code": code, "detail": detail, "kept": kept}


# --- loading into the database --------------------------------------------------------------------------------


