"""check_eligibility: one plain message per failing rule of the scheme."""

import pytest

from schemes.services import check_eligibility
from tests.applicants.factories import scheme_with_parts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

OK = {"employment_status": "pns", "education": "S1", "rank": "III/b", "years_of_service": 4}


def test_an_applicant_meeting_every_rule_is_eligible():
    scheme = scheme_with_parts(units=0, documents=0)
    assert check_eligibility(scheme, **OK) == []
    assert check_eligibility(scheme, **{**OK, "education": "D4", "rank": "IV/a", "years_of_service": 20}) == []


@pytest.mark.parametrize(("change", "message"), [
    ({"employment_status": "pppk"}, "only open to: Civil servant (PNS)"),
    ({"education": "D3"}, "Your education (D3) is below the minimum required, S1."),
    ({"education": ""}, "not filled in"),
    ({"rank": "III/a"}, "Your rank (III/a) is below the minimum required, III/b."),
    ({"years_of_service": 3}, "You have 3 years of service; this scheme asks for at least 4."),
])
def test_each_failing_rule_gives_one_message(change, message):
    problems = check_eligibility(scheme_with_parts(units=0, documents=0), **{**OK, **change})
    assert len(problems) == 1 and message in problems[0]


def test_all_failing_rules_are_listed_in_order():
    problems = check_eligibility(scheme_with_parts(units=0, documents=0), employment_status="other",
                                 education="SMA", rank="II/d", years_of_service=1)
    assert len(problems) == 4


def test_messages_are_translated():
    from django.utils import translation

    with translation.override("id"):
        problems = check_eligibility(scheme_with_parts(units=0, documents=0), **{**OK, "rank": "II/a"})
    assert "II/a" in problems[0] and "rank" not in problems[0]
