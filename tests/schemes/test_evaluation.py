"""Issue 16, seed 003 item 14: "1. Evaluasi pelaksanaan standar pelayanan dan standar operasional prosedur setidaknya
1 (satu) kali dalam 1 (satu) tahun; 2. Evaluasi berupa survey kepuasan pelanggan 4 (empat) kali dalam 1 (satu)
tahun" — the yearly evaluation is recorded with the portal's figures as inputs, and a new version of the service
standard (seed 001) is published from it with its history kept."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from complaints import services as complaint_services
from complaints.models import SurveyResponse
from schemes import reference
from schemes.evaluations import EvaluationError, evaluation_record
from schemes.models import ServiceEvaluation, ServiceStandard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
NOW = datetime.datetime(2027, 1, 20, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def year_2026():
    """The standard of seed 001, four answers in Q1 and one complaint of 2026."""
    reference.load(None)
    for day in (5, 6, 7, 8):
        SurveyResponse.objects.create(source="paper", answered_on=datetime.date(2026, 2, day), scheme_code="",
                                      **{f"u{i}": 3 for i in range(1, 10)})
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        complaint_services.complaint_file(data={
            "name": "Citra", "email": "citra@example.go.id", "object_text": "Verifikasi berkas",
            "message": "Berkas dikembalikan.", "service_date": datetime.date(2026, 2, 27)})


def _record(lina, **overrides):
    data = {"actor": lina, "year": 2026, "held_on": datetime.date(2027, 1, 15),
            "participants": "Kepala BKPSDM\nKabid PSDA\nPetugas layanan",
            "findings": "Waktu tunggu verifikasi terlalu lama.", "decisions": "Tambah petugas verifikasi.",
            **overrides}
    with time_machine.travel(NOW, tick=False):
        return evaluation_record(**data)


def test_the_evaluation_keeps_the_years_skm_and_complaint_figures_as_inputs(year_2026, lina):
    record = _record(lina)
    text = "\n".join(line for block in record.inputs for line in [block["title"], *block["lines"]])
    assert "Satisfaction survey (SKM) 2026" in text
    assert "Q1: 4 respondents, index 75.00" in text and "Q2: no respondents" in text
    assert "Complaints 2026" in text and "1 complaints and suggestions received" in text
    assert record.standard.version == 1 and record.new_standard is None


def test_a_new_version_is_published_from_the_evaluation_and_the_old_one_kept(year_2026, lina, client):
    old = ServiceStandard.objects.get()
    record = _record(lina, publish_new_version=True)
    new = record.new_standard
    assert (new.version, new.previous, new.is_published) == (2, old, True)
    old.refresh_from_db()
    assert old.is_published is False and old.items.count() == new.items.count() == 14
    page = client.get(reverse("schemes:service-standard")).content.decode()
    assert "Maksimal 14 (empat belas) sampai dengan 30" in page  # the content carried over
    assert 'id="standard-version"' in page and "2" in page.split('id="standard-version"')[1][:200]


def test_an_evaluation_dated_in_the_future_is_refused(year_2026, lina):
    with pytest.raises(EvaluationError, match="future"):
        _record(lina, held_on=datetime.date(2027, 2, 1))
    assert ServiceEvaluation.objects.count() == 0


def test_the_lsp_admin_records_it_in_the_browser_and_others_may_not(year_2026, login, lina, alice, karin):
    user = lina
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    with time_machine.travel(NOW, tick=True):
        c = login(user)
        page = c.get(reverse("schemes:manage-evaluation-create"), {"year": 2026}).content.decode()
        assert "Q1: 4 respondents" in page
        r = c.post(reverse("schemes:manage-evaluation-create"), {
            "year": 2026, "held_on": "2027-01-15", "participants": "Kepala BKPSDM", "findings": "F",
            "decisions": "D", "publish_new_version": "on"})
        assert r.status_code == 302 and r.url == reverse("schemes:manage-service-standard")
        record = ServiceEvaluation.objects.get()
        assert record.recorded_by == lina and record.new_standard.version == 2
        detail = c.get(reverse("schemes:manage-evaluation-detail", args=[record.pk])).content.decode()
        assert "Q1: 4 respondents" in detail
        for other in (alice, karin):
            assert login(other).get(reverse("schemes:manage-evaluations")).status_code == 403
