"""Competence of personnel (ISO/IEC 17024 6.1, 6.2.2; BNSP Pedoman 301; seed 001 item 9): criteria for every role,
records per person (training, evaluation, authorisation) with checked evidence, the assessors' witnessing,
monitoring and CPD with warnings like the MET licence's, their periodic duties on the owners' queue, and who may
read what."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applicants.samples import sample_pdf
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from certportal.workqueue import work_for
from quality.competence import services
from quality.competence.models import CompetenceRecord
from quality.system import duties
from quality.system.tasks import remind_duties
from tests.assessments.factories import make_assessor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC)  # 10:00 WIB
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def _pdf(name: str = "sertifikat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_pdf("Sertifikat"), content_type="application/pdf")


def _days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def _add(person, actor, kind, days_ago: int, **fields):
    fields.setdefault("title", f"{kind} {days_ago}")
    return services.record_add(person, actor=actor, kind=kind, done_on=_days_ago(days_ago), **fields)


@pytest.fixture
def ayu(lina):
    """An assessor witnessed 3 years and a month ago (overdue), monitored 11 months ago (due soon) and with 8 hours
    of CPD in the last year (short)."""
    user = UserFactory(full_name="Ayu Asesor", email="ayu@example.go.id", roles=[Role.ASSESSOR])
    make_assessor(user)
    _add(user, lina, "witnessing", 365 * 3 + 30, by_name="Master Asesor", outcome="satisfactory")
    _add(user, lina, "monitoring", 330, by_name="Ketua LSP", outcome="satisfactory")
    _add(user, lina, "cpd", 100, hours=8)
    _add(user, lina, "cpd", 400, hours=16)  # more than a year ago: no longer counted
    return user


def _standings(page: str) -> dict:
    import re

    return dict(re.findall(r'data-code="(\w+)" data-state="(\w+)"', page))


def test_the_assessors_warnings_are_shown_on_the_list_and_their_page(ayu, lina, login):
    page = login(lina).get(reverse("quality:competence-list") + "?peran=assessor").content.decode()
    assert _standings(page) == {"witnessing": "overdue", "monitoring": "expiring", "cpd": "overdue"}
    assert "Ayu Asesor" in page and 'data-role="assessor"' in page  # not authorised as assessor yet
    mine = login(ayu).get(reverse("quality:competence-person", args=[ayu.pk])).content.decode()
    assert _standings(mine) == {"witnessing": "overdue", "monitoring": "expiring", "cpd": "overdue"}
    assert "8 dari 20 jam" in mine  # Indonesian, the default language


def test_the_assessors_list_shows_the_competence_warnings_beside_the_met_licence(ayu, lina, login):
    page = login(lina).get(reverse("assessments:assessors")).content.decode()
    row = page.split(f'id="assessor-{ayu.assessor.pk}"', 1)[1].split("</tr>", 1)[0]
    assert _standings(row) == {"witnessing": "overdue", "monitoring": "expiring", "cpd": "overdue"}
    assert reverse("quality:competence-person", args=[ayu.pk]) in row


def test_enough_recent_records_clear_the_warnings(ayu, lina, login):
    _add(ayu, lina, "witnessing", 10, by_user=lina, outcome="satisfactory")
    _add(ayu, lina, "monitoring", 5, by_user=lina, outcome="improve")
    _add(ayu, lina, "cpd", 20, hours=12)
    _add(ayu, lina, "authorisation", 1, role="assessor", by_name="Ketua LSP")
    page = login(lina).get(reverse("quality:competence-list")).content.decode()
    assert _standings(page) == {}  # only the warnings are shown on the list
    assert 'data-role="assessor"' not in page
    mine = login(ayu).get(reverse("quality:competence-person", args=[ayu.pk])).content.decode()
    assert _standings(mine) == {"witnessing": "valid", "monitoring": "valid", "cpd": "valid"}


def test_an_unsatisfactory_witnessing_does_not_count(ayu, lina):
    _add(ayu, lina, "witnessing", 3, by_name="Master Asesor", outcome="unsatisfactory")
    due = {d.code for d in duties.duties_due(TODAY) if ayu.full_name in str(d.label)}
    assert "assessor-witnessing" in due


def test_the_assessors_duties_are_on_the_owners_queue_and_reminded(ayu, lina, quinn, sofia):
    found = {d.code: d for d in duties.duties_due(TODAY) if ayu.full_name in str(d.label)}
    assert found["assessor-witnessing"].overdue(TODAY)
    assert found["assessor-cpd"].overdue(TODAY) and "8" in str(found["assessor-cpd"].label)
    assert "assessor-monitoring" not in found  # due 14 days before: not yet on the queue
    for user, role in ((lina, Role.LSP_ADMIN), (quinn, Role.QUALITY)):
        item = next(i for i in work_for(role, user) if i.key == "periodic-duties")
        assert item.overdue >= 2
    assert next(i for i in work_for(Role.SUPERVISOR, sofia) if i.key == "periodic-duties-overdue").overdue >= 2
    remind_duties()
    assert Notification.objects.filter(user=quinn, key__startswith="quality.duty.assessor-witnessing.").exists()
    assert Notification.objects.filter(user=lina, key__startswith="quality.duty.assessor-cpd.").exists()


def test_a_record_with_evidence_is_saved_audited_and_read_by_the_person(lina, victor, login):
    criterion = services.criterion_save(actor=lina, role="verifier", kind="training",
                                        requirement="Pelatihan verifikasi berkas")
    url = reverse("quality:competence-record-add", args=[victor.pk, "training"])
    answer = login(lina).post(url, {"title": "Pelatihan verifikasi BKPSDM", "done_on": "2026-10-01", "hours": "16",
                                    "criterion": criterion.pk, "file": _pdf()})
    assert answer.status_code == 302
    record = CompetenceRecord.objects.get(person=victor)
    assert AuditEntry.objects.filter(action="quality.competencerecord.added", object_id=str(record.pk)).exists()
    page = login(victor).get(reverse("quality:competence-person", args=[victor.pk])).content.decode()
    assert "Pelatihan verifikasi BKPSDM" in page and 'data-met="yes"' in page
    evidence = record.evidence.get()
    assert evidence.file.name.startswith("quality/competence/") and "sertifikat" not in evidence.file.name
    assert login(victor).get(reverse("quality:competence-evidence-file", args=[evidence.pk])).status_code == 200
    assert login(lina).get(reverse("quality:competence-evidence-file", args=[evidence.pk])).status_code == 200
    other = UserFactory(roles=[Role.VERIFIER])
    assert login(other).get(reverse("quality:competence-evidence-file", args=[evidence.pk])).status_code == 403


def test_an_authorisation_says_who_authorised_when_and_for_which_role(lina, quinn, tono, login):
    url = reverse("quality:competence-record-add", args=[tono.pk, "authorisation"])
    login(quinn).post(url, {"role": "tuk_head", "done_on": "2026-11-02", "by_user": lina.pk})
    record = CompetenceRecord.objects.get(person=tono, kind="authorisation")
    assert (record.role, record.by_user, record.done_on) == ("tuk_head", lina, datetime.date(2026, 11, 2))
    page = login(quinn).get(reverse("quality:competence-list")).content.decode()
    assert f'id="person-{tono.pk}"' in page and 'data-role="tuk_head"' not in page


@pytest.mark.parametrize("fields,message", [
    ({"done_on": "2026-12-01", "by_name": "Ketua LSP"}, "masih akan datang"),
    ({"done_on": "2026-11-01"}, "siapa"),
])
def test_a_record_is_refused_with_a_reason(lina, tono, login, fields, message):
    url = reverse("quality:competence-record-add", args=[tono.pk, "authorisation"])
    page = login(lina).post(url, {"role": "tuk_head", **fields}).content.decode()
    assert message in page and not CompetenceRecord.objects.exists()


def test_a_hostile_file_or_a_huge_value_is_refused(lina, victor, login):
    url = reverse("quality:competence-record-add", args=[victor.pk, "training"])
    fake = SimpleUploadedFile("sertifikat.pdf", b"<html><script>alert(1)</script></html>",
                              content_type="application/pdf")
    page = login(lina).post(url, {"title": "Pelatihan", "done_on": "2026-10-01", "hours": "8", "file": fake})
    assert "bukan berkas" in page.content.decode()
    page = login(lina).post(url, {"title": "Pelatihan", "done_on": "2026-10-01", "hours": "99999"})
    assert page.status_code == 200 and "200" in page.content.decode()
    page = login(lina).post(url, {"title": "x" * 5000, "done_on": "2026-10-01", "hours": "8"})
    assert page.status_code == 200
    assert not CompetenceRecord.objects.exists()


def test_assessor_records_are_kept_for_assessors_only(lina, victor, login):
    url = reverse("quality:competence-record-add", args=[victor.pk, "cpd"])
    assert login(lina).get(url).status_code == 404


def test_the_criteria_of_a_role_are_kept_by_admin_and_quality_and_audited(quinn, lina, login):
    login(quinn).post(reverse("quality:competence-criteria"),
                      {"role": "complaint_officer", "kind": "training", "requirement": "Pelatihan SP4N-LAPOR!",
                       "is_active": "on"})
    page = login(lina).get(reverse("quality:competence-criteria")).content.decode()
    assert "Pelatihan SP4N-LAPOR!" in page
    from quality.competence.models import CompetenceCriterion

    criterion = CompetenceCriterion.objects.get()
    login(lina).post(reverse("quality:competence-criterion-edit", args=[criterion.pk]),
                     {"role": "complaint_officer", "kind": "training", "requirement": "Pelatihan SP4N-LAPOR! 2024"})
    criterion.refresh_from_db()
    assert criterion.requirement.endswith("2024") and not criterion.is_active and criterion.changed_by == lina
    assert AuditEntry.objects.filter(action__startswith="quality.competencecriterion.").count() == 2


def test_who_may_open_the_pages(ayu, lina, quinn, sofia, victor, karin, tono, login, client):
    person = reverse("quality:competence-person", args=[ayu.pk])
    writers_only = [reverse("quality:competence-list"), reverse("quality:competence-criteria"),
                    reverse("quality:competence-record-add", args=[ayu.pk, "cpd"])]
    for user in (lina, quinn):
        for url in [*writers_only, person]:
            assert login(user).get(url).status_code == 200, (user, url)
    for user in (sofia, victor, karin, tono, ayu):
        for url in writers_only:
            assert login(user).get(url).status_code == 403, (user, url)
    assert login(ayu).get(person).status_code == 200  # their own
    for user in (sofia, victor, tono):
        assert login(user).get(person).status_code == 403  # another user's
    assert login(victor).get(reverse("quality:competence-mine")).url == reverse(
        "quality:competence-person", args=[victor.pk])
    for url in [*writers_only, person]:
        answer = client.get(url)
        assert answer.status_code == 302 and "next=" in answer.url  # sent to log in


def _people(n: int, lina) -> None:
    for i in range(n):
        user = UserFactory(roles=[Role.ASSESSOR if i % 2 else Role.VERIFIER])
        if i % 2:
            make_assessor(user)
        _add(user, lina, "authorisation", 5, role=user.roles[0], by_name="Ketua LSP")


def test_the_list_reads_as_many_queries_for_three_people_as_for_twenty(lina, login, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 0  # drawn on every view: the drawing is measured, not a kept copy
    services.criterion_save(actor=lina, role="assessor", kind="training", requirement="MET")
    client = login(lina)
    _people(2, lina)

    def count() -> int:
        client.get(reverse("quality:competence-list"))  # the header's unread count kept from the first view on
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("quality:competence-list")).status_code == 200
        return len(queries)

    few = count()
    _people(18, lina)
    assert count() == few


def test_the_list_in_both_languages(ayu, lina, login):
    c = login(lina)
    indonesian = c.get(reverse("quality:competence-list")).content.decode()
    assert "Kompetensi personel" in indonesian and "Kurang: 8 dari 20 jam" in indonesian
    lina.preferred_language = "en"
    lina.save()
    c.cookies["django_language"] = "en"
    english = c.get(reverse("quality:competence-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Competence of personnel" in english and "Short: 8 of 20 hours" in english
    assert "Not authorised as Assessor" in english and ">All roles<" in english
