"""One date style wherever a person reads (issue 15): "23 November 2026", times in WIB; ISO only where a machine
reads (JSON, file names, cache keys, stored codes). The guard below fails when a template formats a date with
Django's ``|date:`` and a numeric style, or Python code formats one with strftime/isoformat/date_format outside
the allow-list (each entry says why that place is for machines)."""

import datetime
import pathlib
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from certportal import dates

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ("certportal", "applicants", "assessments", "complaints", "schemes", "agencies", "quality", "templates")
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
AT = datetime.datetime(2026, 8, 17, 7, 5, tzinfo=datetime.UTC)  # 14:05 in Jakarta


@pytest.mark.parametrize(("lang", "month"), [("id", "Agustus"), ("en", "August")])
def test_day_and_wib_read_the_same_from_a_date_a_datetime_and_an_iso_string(lang, month):
    with translation.override(lang):
        for value in (datetime.date(2026, 8, 17), AT, "2026-08-17", AT.isoformat()):
            assert dates.day(value) == f"17 {month} 2026"
        assert dates.wib(AT) == f"17 {month} 2026, 14:05 WIB"
        assert dates.wib(AT.isoformat()) == f"17 {month} 2026, 14:05 WIB"
        assert dates.wib(AT, "time") == "14:05 WIB"
        assert dates.month(datetime.date(2026, 8, 1)) == f"{month} 2026"


def test_a_datetime_late_in_the_utc_evening_is_the_next_day_in_jakarta():
    late = datetime.datetime(2026, 11, 22, 20, 0, tzinfo=datetime.UTC)  # 03:00 on the 23rd in Jakarta
    with translation.override("en"):
        assert dates.day(late) == "23 November 2026"
        assert dates.wib(late) == "23 November 2026, 03:00 WIB"


def test_nothing_to_show_is_empty_so_templates_can_default():
    assert dates.day(None) == dates.wib("") == ""
    with translation.override("id"):
        rendered = Template('{{ v|day|default:"—" }} {{ d|day }} {{ t|wib }}').render(Context(
            {"v": None, "d": datetime.date(2026, 11, 23), "t": AT}))
    assert rendered == "— 23 November 2026 17 Agustus 2026, 14:05 WIB"  # builtins: no {% load %} needed


def test_iso_days_inside_stored_notes_read_as_days_and_other_numbers_stay():
    with translation.override("id"):
        assert dates.dates_in_text("2026-11-23 → 2026-12-11 / 2027-01-05") == (
            "23 November 2026 → 11 Desember 2026 / 5 Januari 2027")
        assert dates.dates_in_text("SKK-2026-0001, NIP 198503142010011003") == "SKK-2026-0001, NIP 198503142010011003"


# --- the guard ---------------------------------------------------------------------------------------------------

# Django |date formats that name no day or month in digits (a weekday name, "November 2026").
ALLOWED_TEMPLATE_FORMATS = {"l", "F Y",
                            "H.i.s"}  # a time of day to the second (FR.IA.05's answer times): no day or month

# (path, a piece of the line, why a machine reads it). Anything else calling strftime/isoformat/date_format fails.
ALLOWED_PYTHON = [
    ("certportal/exports.py", "strftime(CSV_", "CSV cells: sortable dates a spreadsheet parses"),
    ("certportal/personal_data.py", "isoformat()", "the personal-data download is JSON"),
    ("certportal/backup.py", "isoformat()", "the backup manifest is JSON"),
    ("certportal/sla/calendar.py", "isoformat()", "a cache key"),
    ("certportal/sla/management/commands/workdays.py", "isoformat()", "command output for scripts"),
    ("certportal/sla/services.py", "isoformat()", "audit note stored language-neutral (read by any reader)"),
    ("certportal/sla/models.py", "isoformat()", "__str__ stored as the audit trail's object name"),
    ("certportal/sla/views.py", "isoformat()}.csv", "a file name"),
    ("certportal/sla/views.py", 'strftime("%Y-%m")', "a CSV cell (month, sortable)"),
    ("applicants/services.py", "isoformat()", "notification de-duplication keys"),
    ("applicants/effects.py", "isoformat()", "notification de-duplication keys"),
    ("agencies/roster_import.py", "isoformat()", "a roster row's cell kept in the preview (JSON), read as data"),
    ("agencies/roster_sample.py", "{born:%Y%m%d}", "the birth date inside a synthetic sample NIP"),
    ("agencies/models.py", "{self.at:%Y-%m-%d}", "__str__ of a roster change (the admin's object name)"),
    ("applicants/models.py", "isoformat()", "the personal-data download is JSON"),
    ("assessments/certificates/services/printing.py", "isoformat()", "the skipped list stored on the print job (JSON)"),
    ("assessments/certificates/services/issue.py", "isoformat()", "the certificate's frozen snapshot (JSON)"),
    ("assessments/certificates/services/register.py", "isoformat()",
     "the checked rows kept on the register import (JSON), read back as dates"),
    ("certportal/workbooks.py", "isoformat()",
     "a workbook's date cell as the text a CSV holds, parsed again by an import's row checks"),
    ("assessments/events/services/adoption_assessors.py", "isoformat()",
     "the checked rows kept on the adoption import (JSON), read back as dates"),
    ("assessments/events/services/adoption_sites.py", "isoformat()",
     "the checked rows kept on the adoption import (JSON), read back as dates"),
    ("assessments/certificates/services/verification.py", "isoformat()", "the public verification JSON"),
    ("assessments/certificates/credentials/document.py", "isoformat()", "validFrom/validUntil of a credential (JSON)"),
    ("assessments/certificates/credentials/status.py", "isoformat()", "a status list credential's date (JSON)"),
    ("assessments/certificates/credentials/vc2.py", "isoformat()", "a VC 2.0 credential's dates (JSON)"),
    ("assessments/certificates/credentials/keys.py", "%Y%m%dT%H%M%S%f}.jwk", "a key file's name"),
    ("assessments/certificates/services/reduction.py", "isoformat()", "the replacement's frozen snapshot (JSON)"),
    ("agencies/views/people_export.py", "isoformat()", "an export's file name"),
    ("quality/reports/figures.py", "isoformat()", "the report's frozen figures (JSON)"),
    ("complaints/services.py", "isoformat()", "a hash key for duplicate survey imports"),
    ("schemes/importers/kkni.py", "isoformat()", "the import preview stored as JSON"),
    ("certportal/audit/models.py", "{self.created_at:%Y-%m-%d %H:%M}", "the Django admin's name of a row"),
    ("applicants/models.py", "{self.at:%Y-%m-%d %H:%M}", "the Django admin's name of a row"),
    ("applicants/nik.py", "{birth_date:%m%y}", "the NIK's own digits (make_nik builds one for the demo)"),
    ("assessments/certificates/views/bnsp.py", 'strftime("%Y%m%d")', "a file name"),
    ("assessments/certificates/services/surveillance.py", "{due.isoformat()}", "audit note stored language-neutral "
     "(shown through |dates_in_text)"),
    ("certportal/lsp/services.py", "isoformat()", "the licence's dates as the audit trail stores them (language-neutral, "
     "shown through |dates_in_text)"),
    ("certportal/sla/selectors.py", "today.isoformat()", "a cache key"),
    ("assessments/certificates/api.py", "isoformat()", "the employers' API answers in JSON with ISO dates"),
    ("assessments/certificates/services/holder.py", "isoformat()", "audit note stored language-neutral"),
    ("assessments/instruments/services/written_test.py", "at.isoformat()", "the answer times frozen in the signed "
     "FR.IA.05 record (JSON)"),
    ("schemes/services.py", "v.isoformat()", "audit states stored language-neutral (shown through |dates_in_text)"),
    ("schemes/importers/skkni.py", "isoformat()", "the import preview stored as JSON"),
    ("quality/system/services.py", "isoformat()", "audit note stored language-neutral (shown through |dates_in_text)"),
    ("quality/system/duties.py", "isoformat()", "a duty's period in its notification key (never shown)"),
    ("schemes/importers/decree_life.py", "isoformat()", "the import preview stored as JSON"),
]
PY_PATTERN = re.compile(r"\.strftime\(|\.isoformat\(\)|date_format\(|\{[^{}]*:%[a-zA-Z]")
TEMPLATE_PATTERN = re.compile(r"""\|date:\s*(["'])(.*?)\1|\|date\s*[|}]|\|time(:|\s*[|}])""")


def _python_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in rel and "/tests/" not in rel:
                yield rel, path


def _template_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in (".html", ".txt") and "templates" in path.parts:
                yield path.relative_to(ROOT).as_posix(), path


def test_no_template_formats_a_date_in_digits():
    found = []
    for rel, path in _template_files():
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for m in TEMPLATE_PATTERN.finditer(line):
                if m.group(2) is None or m.group(2) not in ALLOWED_TEMPLATE_FORMATS:
                    found.append(f"{rel}:{n}: {m.group(0)} (use |day or |wib)")
    assert not found, "\n".join(found)


def test_no_python_formats_a_date_a_person_reads_outside_the_allow_list():
    found = []
    for rel, path in _python_files():
        if rel == "certportal/dates.py":
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if PY_PATTERN.search(line) and not any(rel == p and piece in line for p, piece, _ in ALLOWED_PYTHON):
                found.append(f"{rel}:{n}: {line.strip()} (use certportal.dates.day / wib)")
    assert not found, "\n".join(found)


def test_the_guard_notices_a_numeric_date_in_a_template():
    assert TEMPLATE_PATTERN.search('{{ x|date:"d-m-Y" }}').group(2) == "d-m-Y"
    assert TEMPLATE_PATTERN.search("{{ x|date }}")
    assert PY_PATTERN.search('msg % {"d": day.strftime("%d-%m-%Y")}')
    assert PY_PATTERN.search('f"{event.starts_at:%d-%m-%Y}"')


# A date cut from an ISO string ("2029-11-23T00:00:00Z"|slice:":10"), or a date, time or deadline handed to a
# sentence with no filter ({% blocktranslate with until=cert.expires_on %}): both showed "2029-11-23" beside
# "23 November 2029" on one page (issue 43: the credential check, the public verification of a renewed certificate).
ISO_CUT = re.compile(r"""\|slice:\s*["']:1[06]["']""")
DATE_NAMES = r"(?:\w+_on|\w+_at|\w*until|\w*deadline|\w*date|\w+_from|due)"
UNFILTERED_DATE = re.compile(rf"\{{%\s*blocktrans(?:late)?\b[^%]*?\b\w+=[\w.]*\.{DATE_NAMES}(?=[\s%])")


def test_no_template_shows_a_date_cut_from_iso_or_a_date_in_a_sentence_unfiltered():
    found = []
    for rel, path in _template_files():
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for m in (*ISO_CUT.finditer(line), *UNFILTERED_DATE.finditer(line)):
                if "sha256" not in line[max(0, m.start() - 40):m.end()]:  # a fingerprint's first digits, not a date
                    found.append(f"{rel}:{n}: {m.group(0)[-60:]} (use |day or |wib)")
    assert not found, "\n".join(found)


def test_the_guard_notices_an_iso_cut_and_a_date_handed_to_a_sentence_unfiltered():
    assert ISO_CUT.search('{{ check.facts.valid_until|slice:":10" }}')
    assert UNFILTERED_DATE.search("{% blocktranslate with number=data.renewed_by until=data.expires_on %}")
    assert UNFILTERED_DATE.search("{% blocktranslate with who=x.name when=last_change.created_at %}")
    assert not UNFILTERED_DATE.search("{% blocktranslate with until=data.expires_on|day %}")
    assert not UNFILTERED_DATE.search("{% blocktranslate with label=in_force_on.label %}")
