import datetime
import json
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from complaints import services, skm
from complaints.models import SurveyResponse
from complaints.queries import skm_index

from .factories import SurveyResponseFactory

# Three respondents, nine answers each (U1..U9).
WORKED = [
    [4, 3, 3, 4, 3, 3, 4, 2, 3],
    [3, 3, 2, 4, 3, 4, 4, 3, 3],
    [3, 2, 3, 4, 4, 3, 3, 2, 3],
]


def test_the_index_matches_the_worked_example_computed_by_hand():
    """Worked by hand:

    sums per element U1..U9 = 10, 8, 8, 12, 10, 10, 11, 7, 9 (total 85) over 3 respondents;
    means = 10/3, 8/3, 8/3, 4, 10/3, 10/3, 11/3, 7/3, 3 (3.33, 2.67, 2.67, 4.00, 3.33, 3.33, 3.67, 2.33, 3.00);
    mean of the nine means (weights 1/9 each) = 85/27 = 3.148148...;
    index = 85/27 x 25 = 2125/27 = 78.703703... -> 78.70 (rounded only at the end) -> grade B (76.61-88.30).
    Rounding the means first would give (28.33 / 9) x 25 = 78.69: wrong.
    """
    result = skm.compute_index(WORKED)
    assert result.respondents == 3
    assert result.means[0] == Fraction(10, 3) and result.means[7] == Fraction(7, 3)
    assert result.index == Decimal("78.70")
    assert result.grade == "B"
    weakest = [e["code"] for e in result.elements() if e["weakest"]]
    assert weakest == ["U2", "U3", "U8"]
    assert [str(e["mean"]) for e in result.elements()][:4] == ["3.33", "2.67", "2.67", "4.00"]


@pytest.mark.parametrize("index,grade", [
    ("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"), ("65.00", "C"),
    ("64.99", "D"), ("25.00", "D"),
])
def test_grades_follow_the_regulation_intervals(index, grade):
    assert skm.grade_for(Decimal(index))[0] == grade


@pytest.mark.django_db
def test_the_database_index_agrees_with_the_worked_example_and_counts_paper_answers_too():
    for i, row in enumerate(WORKED):
        SurveyResponseFactory.with_scores(row, answered_on=datetime.date(2026, 2, 1),
                                          source="paper" if i == 0 else "online")
    SurveyResponseFactory.with_scores([1] * 9, answered_on=datetime.date(2026, 4, 1))  # next quarter
    result = skm_index(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert (result.respondents, result.index, result.grade) == (3, Decimal("78.70"), "B")


@pytest.mark.django_db
def test_skm_index_command_prints_json():
    for row in WORKED:
        SurveyResponseFactory.with_scores(row, answered_on=datetime.date(2026, 2, 1))
    out = StringIO()
    call_command("skm_index", "--from", "2026-01-01", "--to", "2026-03-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["respondents"] == 3 and data["index"] == 78.7 and data["grade"] == "B"
    assert data["elements"][0] == {"element": "u1", "mean": 3.33}
    assert len(data["elements"]) == 9


GOOD_CSV = """date,scheme,u1,u2,u3,u4,u5,u6,u7,u8,u9,comment
2026-02-01,SS-02,4,3,3,4,3,3,4,2,3,Bagus
2026-02-02,,3,3,2,4,3,4,4,3,3,
2026-02-03,SS-02,3,2,3,4,4,3,3,2,3,"Ruang tunggu, kurang nyaman"
"""


@pytest.mark.django_db
def test_import_skm_command_imports_a_clean_file(tmp_path):
    path = tmp_path / "paper.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    out = StringIO()
    call_command("import_skm", str(path), stdout=out)
    assert "3 answers imported" in out.getvalue()
    assert SurveyResponse.objects.filter(source="paper").count() == 3
    assert SurveyResponse.objects.get(answered_on=datetime.date(2026, 2, 3)).comment == "Ruang tunggu, kurang nyaman"


@pytest.mark.django_db
def test_import_skm_lists_bad_rows_with_line_numbers_and_imports_nothing(tmp_path):
    bad = GOOD_CSV + "2026-13-01,SS-02,4,3,3,4,3,3,4,2,3,\n2026-02-05,SS-02,4,3,5,4,3,3,4,2,3,\n2026-02-06,SS-02,4,3\n"
    path = tmp_path / "paper.csv"
    path.write_text(bad, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_skm", str(path), stderr=err)
    text = err.getvalue()
    assert "5" in text.splitlines()[0] and "2026-13-01" in text
    assert any(line.startswith(("Baris 6", "Line 6")) and "U3" in line for line in text.splitlines())
    assert any(line.startswith(("Baris 7", "Line 7")) for line in text.splitlines())
    assert SurveyResponse.objects.count() == 0


def test_a_wrong_header_is_refused():
    rows, errors = skm.parse_paper_csv("tanggal,skema,a,b\n2026-01-01,x,1,2\n")
    assert rows == [] and len(errors) == 1


def test_quarters_cover_the_year():
    assert skm.quarter_bounds(2026, 1) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert skm.quarter_bounds(2026, 4) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["\x00", "\x1b"])
def test_a_line_with_a_control_character_is_refused_and_nothing_is_imported(bad):
    """NUL never reaches the database from a paper-survey file (issue 42): the line is named, nothing imported."""
    text = GOOD_CSV + f"2026-02-04,SS-02,4,3,3,4,3,3,4,2,3,Nama{bad}\n"
    count, errors = services.survey_import_paper(text=text, file_name="skm.csv")
    assert count == 0 and SurveyResponse.objects.count() == 0
    assert len(errors) == 1 and errors[0].startswith(("Baris 5", "Line 5")) and "NUL" in errors[0]
