"""Reading the province's roster (SIASN's "data utama", exported as XLSX or CSV) and checking every row.

Nothing is saved here. :func:`read` refuses a file that is not a roster at all (too large, neither an XLSX nor a
UTF-8 / Windows CSV, an XLSX whose XML declares entities or a DTD, a cell holding a control character: the cohort
import's checks, ``certportal.workbooks``) and yields its rows as :class:`Row`; :func:`check` gives each row its
problems in the reader's language: a NIP that is not 18 digits or was stored as a number, a formula (a cell
starting with = + - or @ is never calculated nor kept: the row is refused), a NIP twice in the file, an agency the
portal does not know, a rank that is no golongan, a value too long.

The columns are SIASN's names (``nipBaru``, ``nama``, ``gelarDepan``, ``gelarBelakang``, ``golRuangAkhir``,
``jabatanNama``, ``unorNama``, ``unorIndukNama``, ``instansiKerjaNama``, ``tkPendidikanTerakhir``,
``pendidikanTerakhirNama``, ``kedudukanPnsNama``), in any case and with spaces or underscores ("NIP BARU",
"unor_induk_nama"). The agency (perangkat daerah) is ``unorIndukNama``, else ``instansiKerjaNama``, matched to the
portal's list of agencies by name (case and spaces aside); an agency missing from the list is a row's problem, never
created from a file: the LSP admin keeps that list (a misspelt agency in an export would otherwise become a second
agency of the same people).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from applicants.models import Agency
from applicants.nip import nip_problems
from certportal.exports import FORMULA_TRIGGERS
from certportal.inputguard import CONTROL_IN_VALUE
from certportal.workbooks import WorkbookRefused
from schemes.constants import RANKS

from .models import RosterStatus

MAX_UNPACKED = 400 * 1024 * 1024  # what an XLSX of 100,000 rows unpacks to, with room
MAX_PART = 200 * 1024 * 1024
MAX_ROWS = 200_000

HEADERS = {
    "nipbaru": "nip", "nip": "nip", "nama": "name", "gelardepan": "front_title", "gelarbelakang": "back_title",
    "golruangakhir": "rank", "golongan": "rank", "jabatannama": "position", "unornama": "unit",
    "unorinduknama": "parent_unit", "instansikerjanama": "government",
    "tkpendidikanterakhir": "education", "pendidikanterakhirnama": "education_name",
    "kedudukanpnsnama": "standing",
}
FIELDS = ("nip", "name", "front_title", "back_title", "rank", "position", "unit", "parent_unit", "government",
          "education", "education_name", "standing")
LIMITS = {"nip": 18, "name": 200, "front_title": 60, "back_title": 100, "rank": 6, "position": 200, "unit": 300,
          "parent_unit": 200, "government": 200, "education": 100, "education_name": 200, "standing": 100}
EMPTY = {"-", "--", "—"}  # SIASN's exports write a dash for "none"


class RosterRefused(ValueError):
    """Why the whole file is refused, in the reader's language."""


@dataclass
class Row:
    line: int
    values: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    agency_id: int | None = None


def max_bytes() -> int:
    return int(settings.ROSTER_IMPORT_MAX_MB * 1024 * 1024)


def column_key(header) -> str:
    return HEADERS.get(re.sub(r"[^0-9a-z]", "", str(header or "").casefold()), "")


def _columns(first) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(list(first)[:60]):
        key = column_key(value)
        if key and key not in columns:
            columns[key] = index
    missing = [name for name, key in (("nipBaru", "nip"), ("nama", "name")) if key not in columns]
    if "parent_unit" not in columns and "government" not in columns:
        missing.append("unorIndukNama")
    if missing:
        raise RosterRefused(_("The first row must name SIASN's columns; missing: %(names)s.") % {
            "names": ", ".join(missing)})
    return columns


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()
    text = getattr(value, "text", None)  # an array formula carries its formula as text
    text = (text if isinstance(text, str) else str(value)).strip()
    return "" if text in EMPTY else " ".join(text.split())


def _csv_lines(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    if CONTROL_IN_VALUE.search(text):
        raise RosterRefused(_("The file holds a control character (such as NUL) or a broken character; export it "
                              "again."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_lines(data: bytes):
    from certportal.workbooks import xlsx_rows

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
            raise RosterRefused(_("The workbook unpacks to more than %(max)s MB.") % {
                "max": MAX_UNPACKED // 1024 // 1024})
    yield from xlsx_rows(data, max_part=MAX_PART)


def read(data: bytes, name: str):
    """The rows of an uploaded roster (a generator of :class:`Row`, values as text), or :class:`RosterRefused`
    (raised while iterating) saying why the whole file is refused."""
    if len(data) > max_bytes():
        raise RosterRefused(_("The file is %(size).1f MB; the limit is %(limit).0f MB.") % {
            "size": len(data) / 1024 / 1024, "limit": max_bytes() / 1024 / 1024})
    lines = _xlsx_lines(data) if data.startswith(b"PK\x03\x04") else _csv_lines(data)
    try:
        yield from _rows(lines)
    except (RosterRefused, WorkbookRefused) as exc:
        raise RosterRefused(str(exc)) from None
    except Exception:  # noqa: BLE001 - whatever cannot be read is not a roster we accept
        raise RosterRefused(_("“%(name)s” could not be read as an Excel workbook (.xlsx) or a CSV file.") % {
            "name": name[:100]}) from None


def _rows(lines):
    columns = _columns(next(lines, None) or ())
    count = 0
    for number, line in enumerate(lines, start=2):
        raw = {key: (line[i] if i < len(line) else None) for key, i in columns.items()}
        values = {key: cell_text(value) for key, value in raw.items()}
        if not any(values.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            raise RosterRefused(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        row = Row(line=number, values={key: values.get(key, "") for key in FIELDS})
        row.problems.extend(cell_problems(raw, row.values))
        yield row


def cell_problems(raw: dict, values: dict) -> list[str]:
    problems = []
    for key, text in values.items():
        if text.startswith(FORMULA_TRIGGERS):
            problems.append(_("The %(column)s cell is a formula (“%(text)s”); it was not calculated nor kept: type "
                              "the value itself.") % {"column": key, "text": text[:40]})
        elif len(text) > LIMITS[key]:
            problems.append(_("The %(column)s cell is longer than %(max)d characters.") % {
                "column": key, "max": LIMITS[key]})
    if isinstance(raw.get("nip"), (int, float)) and len(values.get("nip", "")) >= 16:
        problems.append(_("The NIP was stored as a number, which keeps only 15 digits; format the NIP column as "
                          "text and export it again."))
    return problems


def norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def agency_index() -> dict[str, int]:
    """The portal's agencies by normalised name."""
    return {norm(name): pk for pk, name in Agency.objects.values_list("pk", "name")}


RANK_RE = re.compile(r"^(IV|III|II|I)\s*/?\s*([a-eA-E])$")


def rank_of(text: str) -> str | None:
    """``III/b`` from "III/b", "iii/B", "III b"; "" for none; None for text that is no golongan."""
    if not text:
        return ""
    match = RANK_RE.match(text.strip().upper())
    rank = f"{match.group(1)}/{match.group(2).lower()}" if match else None
    return rank if rank in RANKS else None


EDUCATION = [(r"\bS\W?3\b|DOKTOR", "S3"), (r"\bS\W?2\b|MAGISTER|SPESIALIS", "S2"), (r"\bS\W?1\b|SARJANA", "S1"),
             (r"\bD\W?(IV|4)\b|DIPLOMA\W*(IV|4)", "D4"), (r"\bD\W?(III|3)\b|DIPLOMA\W*(III|3)", "D3"),
             (r"\bD\W?(II|2)\b|DIPLOMA\W*(II|2)", "D2"), (r"\bD\W?(I|1)\b|DIPLOMA\W*(I|1)", "D1"),
             (r"SLTA|SMA|SMK|SMEA|STM", "SMA"), (r"SLTP|SMP", "SMP"), (r"\bSD\b|SEKOLAH DASAR", "SD")]


def education_of(text: str) -> str:
    """The portal's level (SD ... S3) of SIASN's ``tkPendidikanTerakhir`` ("S-1/Sarjana", "Diploma III",
    "SLTA"); "" when it names none."""
    upper = text.upper()
    return next((code for pattern, code in EDUCATION if re.search(pattern, upper)), "")


def status_of(standing: str) -> str:
    """What SIASN's ``kedudukanPnsNama`` means here: retired (Pensiun), deceased (Meninggal/Wafat), left
    (Diberhentikan, Berhenti, Mutasi Keluar...); anything else, "Aktif" and a temporary suspension included,
    active."""
    text = standing.casefold()
    if "pensiun" in text:
        return RosterStatus.RETIRED
    if "meninggal" in text or "wafat" in text:
        return RosterStatus.DECEASED
    if "sementara" not in text and any(w in text for w in ("berhenti", "keluar", "pindah instansi", "pecat")):
        return RosterStatus.LEFT
    return RosterStatus.ACTIVE


def check(row: Row, *, agencies: dict[str, int], seen: dict[str, int], today: datetime.date) -> Row:
    """The row's problems besides its cells' (see the module); fills ``agency_id`` and the normalised rank,
    education and status in ``values``. ``seen`` gathers the file's NIPs (NIP → first line)."""
    v = row.values
    v["nip"] = v["nip"].replace(" ", "").replace("'", "")
    if row.problems:
        return row
    for problem in nip_problems(v["nip"], today=today, person=v["name"] or v["nip"]):
        row.problems.append(_("NIP %(nip)s: %(problem)s") % {"nip": v["nip"] or "—", "problem": problem})
    if v["nip"] in seen:
        row.problems.append(_("The NIP is also on line %(line)d of the file.") % {"line": seen[v["nip"]]})
    seen.setdefault(v["nip"], row.line)
    if not v["name"]:
        row.problems.append(_("The name (nama) is missing."))
    named = v["parent_unit"] or v["government"]
    row.agency_id = agencies.get(norm(named)) if named else None
    if row.agency_id is None:
        row.problems.append(_("The agency “%(name)s” is not on the portal's list of agencies: correct the file or "
                              "ask the LSP administrator to add the agency.") % {"name": named or "—"})
    rank = rank_of(v["rank"])
    if rank is None:
        row.problems.append(_("“%(rank)s” is not a rank (golongan) such as III/b.") % {"rank": v["rank"]})
    v["rank"] = rank or ""
    v["education_name"] = v["education_name"] or v["education"]
    v["education"] = education_of(v["education"] or v["education_name"])
    v["status"] = status_of(v["standing"])
    return row
