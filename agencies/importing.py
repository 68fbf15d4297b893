"""The agency officer's XLSX of staff to propose: the template, reading the file, checking every row.

Nothing is saved here: :func:`read_rows` checks the file (size, that it is an XLSX at all, what it unpacks to) and
reads the first sheet as values (a formula is kept as its text, never calculated); :func:`check_rows` gives each
row its problems in the reader's language — NIP format and the portal's NIP rules (``applicants.nip``), a NIP twice
in the file, someone already certified in the scheme or already proposed in the round, the scheme's eligibility
rules. The officer sees the preview and proposes the rows without problems (``services.cohort_propose``).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from applicants.models import ApplicantProfile
from applicants.nip import nip_problems, service_years
from applicants.rules import eligibility_of
from certportal.exports import FORMULA_TRIGGERS, Sheet
from certportal.workbooks import WorkbookRefused

from . import roster
from .selectors import already_proposed
from .workflow import AgencyError

MAX_ROWS = 500  # proposals per file
MAX_LINES = 2000  # lines of the sheet, blank ones included
MAX_UNPACKED = 10 * 1024 * 1024
CELL_MAX = 200

COLUMNS = [
    ("nip", gettext_lazy("NIP")),
    ("name", gettext_lazy("Name")),
    ("email", gettext_lazy("E-mail")),
    ("education", gettext_lazy("Education")),
    ("rank", gettext_lazy("Rank (golongan)")),
]
REQUIRED = ("nip", "name", "email")
# Headers people write instead of the template's, in either language (normalised: lower case, words only).
ALIASES = {"surel": "email", "email": "email", "e mail": "email", "alamat e mail": "email", "alamat surel": "email",
           "nama lengkap": "name", "nama": "name", "nip": "nip", "pendidikan terakhir": "education",
           "pangkat": "rank", "golongan": "rank", "pangkat golongan": "rank"}


@dataclass
class Row:
    line: int
    nip: str = ""
    name: str = ""
    email: str = ""
    education: str = ""
    rank: str = ""
    problems: list[str] = field(default_factory=list)
    standing: str = ""  # agencies.roster: ours, or unknown (the person confirms on the invitation)

    @property
    def ok(self) -> bool:
        return not self.problems


def rows_to_session(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]


def rows_from_session(raw: list[dict]) -> list[Row]:
    return [Row(**r) for r in raw]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _headers() -> dict[str, str]:
    names = dict(ALIASES)
    for language in ("id", "en"):
        with override(language):
            names.update({_norm(str(label)): key for key, label in COLUMNS})
    return names


def template_sheets() -> list[Sheet]:
    header = [str(label) for _key, label in COLUMNS]
    example = ["198503142010011003", "Budi Santoso, S.E.", "budi.santoso@example.go.id", "S1", "III/b"]
    help_rows = [
        [str(COLUMNS[0][1]), _("Required. 18 digits; the column is formatted as text so no digit is lost (a NIP "
                               "pasted from elsewhere: paste the values only).")],
        [str(COLUMNS[1][1]), _("Required. The full name with academic titles.")],
        [str(COLUMNS[2][1]), _("Required. The invitation to register or log in is sent here.")],
        [str(COLUMNS[3][1]), _("Needed when the person has no profile in the portal yet: SMA, D3, S1, S2...")],
        [str(COLUMNS[4][1]), _("Needed when the person has no profile in the portal yet: III/a, III/b...")],
        ["", _("At most %(max)d people per file. A cell starting with = + - or @ is refused, never calculated.")
         % {"max": MAX_ROWS}],
    ]
    return [Sheet(_("Proposals"), header, [example]),
            Sheet(_("How to fill it in"), [_("Column"), _("What to write")], help_rows)]


def write_template(out) -> None:
    """The template workbook, written to the binary file ``out``: the whole NIP column is formatted as text (the
    column's own format, and each of its cells down to the last row a file may have), so a NIP typed on any line
    keeps its 18 digits in Excel; the other cells as :func:`template_sheets` gives them."""
    from certportal.exports import write_form_xlsx

    write_form_xlsx(out, template_sheets(), widths=[(22, 32, 32, 14, 16), (22, 90)], text_rows=MAX_ROWS)


def read_rows(upload) -> list[Row]:
    """The rows of an uploaded workbook, or :class:`AgencyError` saying why the file is refused."""
    from certportal.files import max_upload_bytes

    if upload.size > max_upload_bytes():
        raise AgencyError(_("The file is %(size).1f MB; the limit is %(limit).0f MB.") % {
            "size": upload.size / 1024 / 1024, "limit": max_upload_bytes() / 1024 / 1024})
    data, name = upload.read(), str(upload.name)[:100]
    if not data.startswith(b"PK\x03\x04"):
        raise AgencyError(_("“%(name)s” is not an Excel workbook (.xlsx); its content was checked, not its "
                            "name.") % {"name": name})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
                raise AgencyError(_("The workbook unpacks to more than %(max)s MB; a list of staff is far "
                                    "smaller.") % {"max": MAX_UNPACKED // 1024 // 1024})
        return _read(data)
    except AgencyError:
        raise
    except WorkbookRefused as exc:
        raise AgencyError(str(exc)) from None
    except Exception:  # noqa: BLE001 - whatever cannot be read as a workbook is not a workbook we accept
        raise AgencyError(_("“%(name)s” could not be read as an Excel workbook (.xlsx).") % {"name": name}) from None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = getattr(value, "text", None)  # an array formula carries its formula as text
    return (text if isinstance(text, str) else str(value)).strip()[:CELL_MAX + 1]


def _columns(first) -> dict[str, int]:
    known, columns = _headers(), {}
    for index, value in enumerate(first[:30]):
        key = known.get(_norm(_cell(value)))
        if key and key not in columns:
            columns[key] = index
    missing = [str(label) for key, label in COLUMNS if key in REQUIRED and key not in columns]
    if missing:
        raise AgencyError(_("The first row must name the columns of the template; missing: %(names)s.") % {
            "names": ", ".join(missing)})
    return columns


def _read(data: bytes) -> list[Row]:
    from certportal.workbooks import xlsx_rows

    lines = xlsx_rows(data)
    rows: list[Row] = []
    try:
        columns = _columns(next(lines, None) or ())
        for number, line in enumerate(lines, start=2):
            if number > MAX_LINES:
                raise AgencyError(_("The sheet has more than %(max)d lines.") % {"max": MAX_LINES})
            raw = {key: (line[i] if i < len(line) else None) for key, i in columns.items()}
            cells = {key: _cell(value) for key, value in raw.items()}
            if not any(cells.values()):
                continue
            if len(rows) >= MAX_ROWS:
                raise AgencyError(_("The file has more than %(max)d people; propose them in parts.") % {
                    "max": MAX_ROWS})
            row = Row(line=number, **{k: cells.get(k, "") for k in ("nip", "name", "email", "education", "rank")})
            row.problems.extend(_cell_problems(raw, cells))
            rows.append(row)
    finally:
        lines.close()
    if not rows:
        raise AgencyError(_("The file has no people below its header row."))
    return rows


def _cell_problems(raw: dict, cells: dict) -> list[str]:
    problems = []
    for key, text in cells.items():
        if text.startswith(FORMULA_TRIGGERS):
            label = dict(COLUMNS)[key]
            problems.append(_("The %(column)s cell is a formula (“%(text)s”); type the value itself.") % {
                "column": label, "text": text[:40]})
        elif len(text) > CELL_MAX:
            problems.append(_("The %(column)s cell is longer than %(max)d characters.") % {
                "column": dict(COLUMNS)[key], "max": CELL_MAX})
    if isinstance(raw.get("nip"), (int, float)) and len(cells.get("nip", "")) >= 16:
        problems.append(_("The NIP was stored as a number, which keeps only 15 digits; format the NIP column as "
                          "text and type it again."))
    return problems


@dataclass
class _Known:
    """What the portal knows of the file's NIPs, read once for every row (:func:`check_rows`)."""

    standing: dict[str, str]
    ours_proposed: set[str]
    proposed: set[str]  # by any agency: named only for the agency's own people
    certified: set[str]
    profiles: dict


def _known(nips: list[str], *, agency, funded_round, scheme, today: datetime.date) -> _Known:
    from assessments.certificates.models import Certificate

    return _Known(
        standing=roster.standings(agency, nips),
        ours_proposed=already_proposed(funded_round, scheme, nips, agency=agency),
        proposed=already_proposed(funded_round, scheme, nips),
        certified=set(Certificate.objects.filter(holder_nip__in=nips, scheme_code=scheme.code,
                                                 status=Certificate.Status.ISSUED, expires_on__gte=today)
                      .values_list("holder_nip", flat=True)),
        profiles={p.nip: p for p in ApplicantProfile.objects.filter(nip__in=nips)})


def check_rows(rows: list[Row], *, agency, funded_round, scheme, today: datetime.date) -> list[Row]:
    """Every row's problems: format, NIP rules, duplicates, whose person the NIP is, certified, proposed,
    eligibility. A NIP of another agency's person gets :data:`agencies.roster.NOT_OURS` and nothing else: no word
    about them (certified, proposed elsewhere, their profile) reaches this agency."""
    for row in rows:
        row.nip = row.nip.replace(" ", "")
    known = _known([r.nip for r in rows], agency=agency, funded_round=funded_round, scheme=scheme, today=today)
    seen: dict[str, int] = {}
    for row in rows:
        if row.problems:
            continue  # a formula or a mangled NIP: nothing more is read from the row
        row.problems.extend(_field_problems(row, today))
        if row.nip in seen:
            row.problems.append(_("The NIP is also on line %(line)d of the file.") % {"line": seen[row.nip]})
        seen.setdefault(row.nip, row.line)
        if not row.problems:
            row.problems.extend(_standing_problems(row, known, scheme, today))
    return rows


def _standing_problems(row: Row, known: _Known, scheme, today: datetime.date) -> list[str]:
    row.standing = known.standing.get(row.nip, roster.OTHER)
    if row.standing == roster.OTHER:
        return [str(roster.NOT_OURS)]
    person = row.name or row.nip
    if row.nip in known.certified:  # only a NIP of the agency's own people, or unknown, comes this far
        return [_("%(name)s already holds a valid certificate of %(scheme)s.") % {"name": person,
                                                                                   "scheme": scheme.code}]
    if row.nip in known.ours_proposed:
        return [_("%(name)s is already proposed by your agency for %(scheme)s in this round.") % {
            "name": person, "scheme": scheme.code}]
    if row.nip in known.proposed:  # one of ours, whom another agency proposed before they moved here
        return [_("%(name)s is already proposed for %(scheme)s in this round.") % {"name": person,
                                                                                  "scheme": scheme.code}]
    profile = known.profiles.get(row.nip) if row.standing == roster.OURS else None
    return _eligibility(row, scheme, profile, today)


def _field_problems(row: Row, today: datetime.date) -> list[str]:
    person = row.name or _("this person")
    problems = [_("NIP %(nip)s: %(problem)s") % {"nip": row.nip or "—", "problem": p}
                for p in nip_problems(row.nip, today=today, person=person)]
    if not row.name:
        problems.append(_("The name is missing."))
    try:
        validate_email(row.email)
    except ValidationError:
        problems.append(_("“%(email)s” is not an e-mail address.") % {"email": row.email or "—"})
    return problems


def _eligibility(row: Row, scheme, profile, today: datetime.date) -> list[str]:
    """The scheme's rules, from the person's profile when they have one, else from the row and the NIP (a
    perangkat daerah's staff are civil servants of the government its rules name)."""
    if profile is not None:
        data = profile.snapshot()
    else:
        years = service_years(row.nip, today=today) or 0
        government = next((r.government for r in scheme.requirements.all() if r.government), "")
        data = {"employment_status": "pns", "education": row.education.upper(), "rank": row.rank,
                "years_of_service": years, "employer_government": government, "years_in_government": years}
    return [_("Not eligible: %(reason)s") % {"reason": p}
            for p in eligibility_of(scheme, data, person=row.name or row.nip)]
