"""A management review takes each input ISO/IEC 17024 10.2.5 names, drafted from the portal's own figures where it has
them, and records decisions and actions that become tracked actions (a surveillance audit found reviews recording
scope, participants and a conclusion only, the demo's conclusion "—")."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from quality.system import services
from quality.system.models import CorrectiveAction, SystemReview
from quality.system.review_inputs import INPUT_CODES, portal_figures
from quality.system.workflow import QualitySystemError

from .system_helpers import audit, finding

pytestmark = pytest.mark.django_db
HELD = datetime.date(2026, 11, 16)
NOW = datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def _inputs(**overrides) -> dict:
    return {code: f"Masukan {code}" for code in INPUT_CODES} | overrides


def _review(lina, **inputs) -> SystemReview:
    return services.review_record(actor=lina, kind=SystemReview.Kind.MANAGEMENT_REVIEW, held_on=HELD,
                                  scope="Kaji ulang tahunan", participants="Ketua LSP", inputs=_inputs(**inputs))


def test_a_management_review_without_every_input_is_refused_naming_those_missing(lina):
    with pytest.raises(QualitySystemError) as refused:
        _review(lina, objectives="", changes=" ")
    assert "Pencapaian sasaran" in refused.value.message and "Perubahan" in refused.value.message
    assert not SystemReview.objects.exists()


def test_the_form_drafts_the_inputs_from_the_portals_figures(lina, quinn, login):
    finding(audit(lina, held_on=datetime.date(2026, 6, 1)), lina, quinn)  # an audit with a minor finding this year
    figures = portal_figures(HELD)
    assert figures["audits"].startswith("1 audit internal; temuan: 0 mayor, 1 minor")
    assert "1 belum ditutup" in figures["actions"] and "Pengaduan diterima: 0" in figures["appeals_complaints"]
    assert set(figures) == set(INPUT_CODES) - {"objectives", "changes"}  # written by hand
    page = login(lina).get(reverse("quality:system-review-create")).content.decode()
    assert "1 audit internal; temuan: 0 mayor, 1 minor" in page and 'name="input_objectives"' in page


def test_the_review_is_recorded_through_the_form_and_its_page_shows_every_input(lina, sofia, login):
    data = {"kind": "management_review", "held_on": HELD.isoformat(), "scope": "Kaji ulang", "participants": "x",
            **{f"input_{code}": text for code, text in _inputs().items()}}
    refused = login(lina).post(reverse("quality:system-review-create"), data | {"input_changes": ""})
    assert refused.status_code == 200 and not SystemReview.objects.exists()
    login(lina).post(reverse("quality:system-review-create"), data)
    review = SystemReview.objects.get()
    assert review.inputs == _inputs()
    page = login(sofia).get(review.get_absolute_url()).content.decode()
    assert "Masukan appeals_complaints" in page and "Banding dan pengaduan" in page


def test_decisions_become_tracked_actions_and_the_review_concludes_only_with_them(lina, quinn, login):
    review = _review(lina)
    page = login(lina).get(review.get_absolute_url()).content.decode()
    assert 'data-refused="quality.systemreview.concluded"' in page  # no output yet: the reason, not the button
    with pytest.raises(QualitySystemError):
        services.review_conclude(review, actor=lina, conclusions="Efektif")
    with pytest.raises(QualitySystemError):  # an audit's kind of finding
        services.finding_record(review, actor=lina, severity="minor", clause="", description="x", action="y",
                                owner=quinn)
    login(lina).post(reverse("quality:system-finding-add", args=[review.pk]), {
        "severity": "decision", "clause": "10.2.5", "description": "Sasaran mutu 2027 ditetapkan",
        "action": "Susun sasaran mutu 2027 per skema", "owner": quinn.pk})
    action = CorrectiveAction.objects.get()
    assert action.owner == quinn and action.due_on > HELD and action.finding.review == review
    services.review_conclude(SystemReview.objects.get(pk=review.pk), actor=lina, conclusions="Efektif")
    assert SystemReview.objects.get(pk=review.pk).status == SystemReview.Status.CONCLUDED


def test_an_internal_audit_records_no_decision(lina, quinn):
    with pytest.raises(QualitySystemError):
        services.finding_record(audit(lina), actor=lina, severity="decision", clause="", description="x",
                                action="y", owner=quinn)
