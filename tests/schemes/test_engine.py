"""The packaging-rule engine on real qualifications of Kepmenaker 3/2021, including the awkward ones."""

import json

import pytest
from django.core.management import CommandError, call_command

from schemes.engine import evaluate, qualifications_met, rule_for, scheme_refusals
from schemes.models import Qualification
from schemes.selectors import qualification_by_name

pytestmark = [pytest.mark.usefixtures("english")]

A_CORE = ["N.78SPS02.011.1", "N.78SPS02.019.2", "N.78SPS02.028.2", "N.78SPS02.035.1", "N.78SPS02.061.1"]
A_ELECTIVE = ["N.78SPS02.039.2", "N.78SPS02.041.2", "N.78SPS02.044.2", "N.78SPS02.060.2", "N.78SPS02.075.2",
              "N.78SPS02.078.2"]


def rule(letter):
    return rule_for(qualification_by_name(f"3/2021-{letter}"))


def test_qualification_a_is_met_by_its_core_and_four_electives(kkni):
    v = evaluate(rule("A"), A_CORE + A_ELECTIVE[:4])
    assert v.met and v.core_missing == [] and v.electives_held == 4 and v.suggested_units == []


def test_missing_core_unit_and_missing_prerequisite_are_both_explained(kkni):
    held = ["N.78SPS02.011.1", "N.78SPS02.028.2", "N.78SPS02.035.1", "N.78SPS02.061.1"] + A_ELECTIVE[:4]
    v = evaluate(rule("A"), held)
    assert not v.met
    assert v.core_missing == ["N.78SPS02.019.2"]
    assert v.prerequisites_missing == [{"unit": "N.78SPS02.028.2", "requires": "N.78SPS02.019.2"}]
    assert v.suggested_units == ["N.78SPS02.019.2"]


def test_too_few_electives_and_units_outside_the_qualification(kkni):
    v = evaluate(rule("A"), A_CORE + A_ELECTIVE[:2] + ["M.74SPS03.090.1"])
    assert not v.met and v.electives_held == 2 and v.electives_required == 4
    assert v.not_in_qualification == ["M.74SPS03.090.1"]
    assert len(v.suggested_units) == 2


def test_a_newer_version_meets_a_requirement_and_an_older_one_does_not(kkni):
    # A lists N.78SPS02.075.2 and .078.2; B lists them at version 1.
    b_core = ["N.78SPS02.012.2", "N.78SPS02.019.2", "N.78SPS02.022.2", "N.78SPS02.028.2", "N.78SPS02.035.1",
              "N.78SPS02.038.1", "N.78SPS02.075.2"]
    electives = ["N.78SPS02.010.2", "N.78SPS02.011.1", "N.78SPS02.015.1", "N.78SPS02.017.2", "N.78SPS02.021.2",
                 "N.78SPS02.029.2", "N.78SPS02.078.2"]
    assert evaluate(rule("B"), b_core + electives).met
    v = evaluate(rule("A"), A_CORE + ["N.78SPS02.039.2", "N.78SPS02.041.2", "N.78SPS02.044.2", "N.78SPS02.075.1"])
    assert not v.met and v.electives_held == 3
    assert v.outdated == [{"unit": "N.78SPS02.075.1", "requires": "N.78SPS02.075.2"}]


def test_section_d_prerequisite_printed_at_an_older_version_is_met_by_the_listed_newer_one(kkni):
    d_core = ["N.78SPS02.009.2", "N.78SPS02.013.1", "N.78SPS02.014.2", "N.78SPS02.016.1", "N.78SPS02.027.2",
              "N.78SPS02.030.1", "N.78SPS02.033.1", "N.78SPS02.059.2"]
    electives = ["N.78SPS01.001.2", "N.78SPS01.003.2", "N.78SPS01.004.2", "N.78SPS02.008.2", "N.78SPS02.015.1",
                 "N.78SPS02.018.1"]
    v = evaluate(rule("D"), d_core + electives)
    assert v.met, v  # 004.2 requires 001.1 and 003.1 as printed: holding 001.2 and 003.2 meets them


def test_section_c_core_unit_needs_a_prerequisite_from_outside_the_qualification(kkni):
    c_core = ["N.78SPS02.010.2", "N.78SPS02.015.1", "N.78SPS02.017.2", "N.78SPS02.018.1", "N.78SPS02.023.1",
              "N.78SPS02.030.1", "N.78SPS02.035.1", "N.78SPS02.038.1"]
    electives = ["N.78SPS02.009.2", "N.78SPS02.012.2", "N.78SPS02.013.1", "N.78SPS02.019.2", "N.78SPS02.024.2",
                 "N.78SPS02.026.2", "N.78SPS02.027.2", "N.78SPS02.029.2", "N.78SPS02.031.2"]
    v = evaluate(rule("C"), c_core + electives)
    assert not v.met
    assert v.prerequisites_missing == [{"unit": "N.78SPS02.023.1", "requires": "N.78SPS02.084.2"}]
    assert v.suggested_units == ["N.78SPS02.084.2"]
    v = evaluate(rule("C"), c_core + electives + ["N.78SPS02.084.2"])
    assert v.met and v.not_in_qualification == []  # a needed prerequisite is not "outside"


def test_a_unit_listed_as_core_and_elective_counts_once(kkni):
    k_core = ["M.74SPS03.117.1", "M.74SPS03.119.1", "M.74SPS03.122.1", "M.74SPS03.124.1"]
    v = evaluate(rule("K"), k_core + ["M.74SPS03.088.2", "M.74SPS03.089.1", "M.74SPS03.090.1"])
    assert not v.met and v.electives_held == 3  # 117, 119, 124 are core: they do not count again as electives
    assert evaluate(rule("K"), k_core + ["M.74SPS03.088.2", "M.74SPS03.089.1", "M.74SPS03.090.1",
                                         "M.74SPS03.095.1"]).met


def test_suggestions_prefer_electives_without_prerequisites(kkni):
    v = evaluate(rule("B"), [])
    # 7 core (019.2 is core, so 028.2's prerequisite is covered) + 7 electives without prerequisites
    assert len(v.suggested_units) == 14
    assert evaluate(rule("B"), v.suggested_units).met


def test_suggestions_complete_every_real_qualification(kkni):
    for qual in Qualification.objects.all():
        r = rule_for(qual)
        assert evaluate(r, evaluate(r, []).suggested_units).met, qual.letter


def test_which_qualifications_a_set_of_units_meets(kkni):
    rules = [rule_for(q) for q in Qualification.objects.prefetch_related("listings").select_related("decree")]
    held = A_CORE + A_ELECTIVE
    assert qualifications_met(rules, held) == ["3/2021-A"]
    i_set = ["M.74SPS03.088.2", "M.74SPS03.090.1", "M.74SPS03.089.1"]
    assert "3/2021-I" in qualifications_met(rules, i_set)


def test_scheme_refusals_reject_units_outside_the_qualification(kkni):
    assert scheme_refusals(rule("A"), A_CORE + A_ELECTIVE[:4]) == []
    reasons = scheme_refusals(rule("A"), A_CORE + A_ELECTIVE[:4] + ["J.63OPR00.001.2"])
    assert reasons == ["Not part of this qualification: J.63OPR00.001.2."]


def test_check_packaging_command_prints_the_verdict_as_json(kkni, capsys):
    call_command("check_packaging", "--qualification", "3/2021-C", "--units", "N.78SPS02.023.1", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["qualification"] == "3/2021-C" and data["met"] is False
    assert {"core_missing", "electives_held", "electives_required", "prerequisites_missing",
            "not_in_qualification", "suggested_units"} <= set(data)
    assert data["prerequisites_missing"] == [{"unit": "N.78SPS02.023.1", "requires": "N.78SPS02.084.2"}]
    assert data["electives_required"] == 9


def test_check_packaging_refuses_an_unknown_qualification(kkni):
    with pytest.raises(CommandError, match="No qualification"):
        call_command("check_packaging", "--qualification", "3/2021-Z", "--units", "X")
