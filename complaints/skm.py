"""The satisfaction survey (*Survei Kepuasan Masyarakat*) of PermenPANRB 14/2017: elements, wording, index.

The nine elements (U1–U9) and the four answers of each follow the regulation's questionnaire. The index is the
mean of the nine element means times 25 (each element weighs 1/9); it is rounded to two decimals only at the very
end, so it is computed with exact fractions.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certportal.inputguard import CONTROL_IN_VALUE

# (code, element, question, (answer 1, answer 2, answer 3, answer 4))
ELEMENTS = [
    ("u1", _("Requirements"),
     _("How well do the service requirements fit the kind of service?"),
     (_("Not appropriate"), _("Less appropriate"), _("Appropriate"), _("Very appropriate"))),
    ("u2", _("System, mechanism and procedure"),
     _("How easy is the service procedure at this unit?"),
     (_("Not easy"), _("Less easy"), _("Easy"), _("Very easy"))),
    ("u3", _("Completion time"),
     _("How fast is the service delivered?"),
     (_("Not fast"), _("Less fast"), _("Fast"), _("Very fast"))),
    ("u4", _("Cost"),
     _("How fair is the cost or tariff of the service?"),
     (_("Very expensive"), _("Fairly expensive"), _("Cheap"), _("Free of charge"))),
    ("u5", _("Product"),
     _("How well does the product you received match the one listed in the service standard?"),
     (_("Not appropriate"), _("Less appropriate"), _("Appropriate"), _("Very appropriate"))),
    ("u6", _("Staff competence"),
     _("How competent are the staff in delivering the service?"),
     (_("Not competent"), _("Less competent"), _("Competent"), _("Very competent"))),
    ("u7", _("Staff conduct"),
     _("How polite and friendly are the staff?"),
     (_("Not polite and friendly"), _("Less polite and friendly"), _("Polite and friendly"),
      _("Very polite and friendly"))),
    ("u8", _("Complaint handling"),
     _("How are complaints, suggestions and feedback from service users handled?"),
     (_("Not available"), _("Available but not working"), _("Working but not optimally"), _("Well managed"))),
    ("u9", _("Facilities"),
     _("How good are the facilities and infrastructure?"),
     (_("Bad"), _("Adequate"), _("Good"), _("Very good"))),
]
CODES = [code for code, *_rest in ELEMENTS]
WEIGHT = Fraction(1, 9)
TWO_PLACES = Decimal("0.01")

# (grade, lowest index, quality of service) — PermenPANRB 14/2017, conversion table.
GRADES = [
    ("A", Decimal("88.31"), _("Very good")),
    ("B", Decimal("76.61"), _("Good")),
    ("C", Decimal("65.00"), _("Poor")),
    ("D", Decimal("25.00"), _("Very poor")),
]


def grade_for(index: Decimal | None) -> tuple[str, str]:
    """(letter, quality) for a rounded index; D below 65.00."""
    if index is None:
        return "", ""
    for letter, lowest, quality in GRADES:
        if index >= lowest:
            return letter, str(quality)
    return "D", str(GRADES[-1][2])


def round2(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class IndexResult:
    respondents: int
    means: list[Fraction] = field(default_factory=list)  # one per element, exact
    index: Decimal | None = None
    grade: str = ""
    quality: str = ""

    def elements(self, weakest: int = 3) -> list[dict]:
        """Rows for pages and reports; the ``weakest`` lowest means are flagged."""
        if not self.means:
            return []
        lowest = sorted(range(9), key=lambda i: (self.means[i], i))[:weakest]
        return [
            {"code": code.upper(), "element": str(label), "mean": round2(self.means[i]),
             "weakest": i in lowest}
            for i, (code, label, *_rest) in enumerate(ELEMENTS)
        ]


def compute_index(score_rows) -> IndexResult:
    """``score_rows``: iterable of nine scores each. Means per element, index = mean of means × 25."""
    totals = [0] * 9
    n = 0
    for row in score_rows:
        n += 1
        for i, score in enumerate(row):
            totals[i] += int(score)
    if n == 0:
        return IndexResult(respondents=0)
    means = [Fraction(t, n) for t in totals]
    index = round2(sum(m * WEIGHT for m in means) * 25)
    letter, quality = grade_for(index)
    return IndexResult(respondents=n, means=means, index=index, grade=letter, quality=quality)


def compute_from_sums(n: int, sums: list[int]) -> IndexResult:
    """The same computation from database aggregates (count and the nine sums)."""
    if not n:
        return IndexResult(respondents=0)
    means = [Fraction(int(s), n) for s in sums]
    index = round2(sum(m * WEIGHT for m in means) * 25)
    letter, quality = grade_for(index)
    return IndexResult(respondents=n, means=means, index=index, grade=letter, quality=quality)


# --- paper survey import -------------------------------------------------------------------------

HEADER = ["date", "scheme", *CODES, "comment"]


@dataclass
class ParsedRow:
    line: int
    answered_on: datetime.date
    scheme_code: str
    scores: list[int]
    comment: str


def parse_paper_csv(text: str) -> tuple[list[ParsedRow], list[str]]:
    """Rows and errors ("line N: ..."). Callers import nothing unless the error list is empty."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    rows, errors = [], []
    try:
        header = next(reader)
    except StopIteration:
        return [], [gettext("The file is empty.")]
    if [h.strip().lower() for h in header] not in (HEADER, HEADER[:-1]):
        return [], [gettext("Line 1: the header must be %(header)s.") % {"header": ",".join(HEADER)}]
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if any(CONTROL_IN_VALUE.search(c) for c in cells):  # NUL never reaches the database (issue 42)
            errors.append(gettext("Line %(line)d: %(problem)s") % {"line": line, "problem": gettext(
                "it holds a control character (such as NUL) or a broken character.")})
            continue
        row, problem = _parse_cells(cells, line)
        if problem:
            errors.append(gettext("Line %(line)d: %(problem)s") % {"line": line, "problem": problem})
        else:
            rows.append(row)
    if not rows and not errors:
        errors.append(gettext("The file has no answers."))
    return rows, errors


def _parse_cells(cells: list[str], line: int) -> tuple[ParsedRow | None, str]:
    if len(cells) < 11 or len(cells) > 12:
        return None, gettext("expected 11 or 12 columns, found %(n)d.") % {"n": len(cells)}
    try:
        day = datetime.date.fromisoformat(cells[0].strip())
    except ValueError:
        return None, gettext("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": cells[0]}
    scores = []
    for code, cell in zip(CODES, cells[2:11], strict=True):
        value = cell.strip()
        if value not in {"1", "2", "3", "4"}:
            return None, gettext("%(element)s must be 1, 2, 3 or 4, not “%(value)s”.") % {
                "element": code.upper(), "value": value}
        scores.append(int(value))
    comment = cells[11].strip() if len(cells) == 12 else ""
    return ParsedRow(line, day, cells[1].strip(), scores, comment), ""


# --- periods -------------------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    end_month = 3 * quarter
    end = (datetime.date(year + 1, 1, 1) if end_month == 12 else datetime.date(year, end_month + 1, 1))
    return start, end - datetime.timedelta(days=1)


def period_bounds(year: int, quarter: int | None) -> tuple[datetime.date, datetime.date]:
    if quarter:
        return quarter_bounds(year, quarter)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
