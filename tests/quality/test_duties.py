"""Every periodic duty of the LSP has a due date and reminds the role that owns it, on their home queue and by a
notice, before it is due and once it is overdue, once per period (a surveillance audit found the third quarter's
report to BNSP a draft eight weeks after the quarter, with nothing reminding anyone)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from certportal.accounts.models import Role
from certportal.notifications.models import Notification
from certportal.workqueue import work_for
from quality.impartiality.models import ThreatAnalysis
from quality.reports import services as reports
from quality.system import duties
from quality.system.models import SystemReview
from quality.system.tasks import remind_duties
from tests.assessments.factories import SiteFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
TODAY = datetime.date(2026, 11, 23)  # the on_23_november clock: the third quarter's report was due 30 October


def _item(user, role, key):
    return next((item for item in work_for(role, user) if item.key == key), None)


def _threat_analysis_reviewed_until(admin, day: datetime.date) -> None:
    """Set-up: this year's threat analysis approved, its next review on ``day`` (no duty due before it)."""
    ThreatAnalysis.objects.create(year=2026, review_on=day, status=ThreatAnalysis.Status.APPROVED, created_by=admin)


def test_the_draft_report_of_the_last_quarter_is_overdue_on_the_lsp_admins_queue_and_the_supervisors(
        on_23_november, lina, sofia, quinn):
    report = reports.report_create(actor=lina, kind="quarter", year=2026, part=3, letter_number="003/LAP/2026")
    _threat_analysis_reviewed_until(lina, datetime.date(2026, 12, 31))
    due = {d.code: d for d in duties.duties_due(TODAY)}
    assert due["bnsp-report"].due_on == datetime.date(2026, 10, 30) and due["bnsp-report"].overdue(TODAY)
    admin_item = _item(lina, Role.LSP_ADMIN, "periodic-duties")
    assert admin_item.count == 1 and admin_item.overdue == 1
    assert _item(sofia, Role.SUPERVISOR, "periodic-duties-overdue").overdue == 1
    assert _item(quinn, Role.QUALITY, "periodic-duties") is None  # the report is the LSP admin's
    reports.report_send(report, actor=lina, reference="Tanda terima BNSP 3/2026")
    assert "bnsp-report" not in {d.code for d in duties.duties_due(TODAY)}
    assert _item(lina, Role.LSP_ADMIN, "periodic-duties") is None


def test_the_reminder_is_sent_once_before_and_once_when_overdue(lina, quinn):
    _threat_analysis_reviewed_until(lina, datetime.date(2026, 12, 1))
    reports.report_send(reports.report_create(actor=lina, kind="quarter", year=2026, part=3, letter_number="3",
                                              at=datetime.datetime(2026, 11, 20, tzinfo=WIB)),
                        actor=lina, reference="x")
    SystemReview.objects.create(kind="internal_audit", held_on=datetime.date(2026, 1, 5), scope="x",
                                participants="y", recorded_by=lina)
    SystemReview.objects.create(kind="management_review", held_on=datetime.date(2026, 2, 5), scope="x",
                                participants="y", recorded_by=lina)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, tzinfo=WIB), tick=False):
        assert remind_duties() == 2  # the threat analysis's review, due 1 December: the LSP admin and quality
        assert remind_duties() == 0  # the same day again: nothing more
    notice = Notification.objects.get(user=quinn)
    assert notice.key == "quality.duty.threat-analysis.2026.due" and "1 Desember 2026" in notice.subject
    with time_machine.travel(datetime.datetime(2026, 12, 2, 8, tzinfo=WIB), tick=False):
        assert remind_duties() == 2  # overdue now: told once more
        assert remind_duties() == 0
    assert Notification.objects.filter(user=quinn, key="quality.duty.threat-analysis.2026.overdue").exists()


def test_a_yearly_audit_or_review_is_due_a_year_after_the_last_one(on_23_november, lina):
    SystemReview.objects.create(kind="management_review", held_on=datetime.date(2025, 11, 20), scope="x",
                                participants="y", recorded_by=lina)
    found = {d.code: d for d in duties.all_duties(TODAY)}
    assert found["management-review"].due_on == datetime.date(2026, 11, 20)
    assert found["management-review"].stage(TODAY) == "overdue"
    assert found["internal-audit"].due_on == datetime.date(2026, 12, 31)  # none yet: by the end of the year
    assert found["internal-audit"].stage(TODAY) == "later"


def test_the_head_of_a_test_site_whose_verification_runs_out_is_reminded_and_no_other_head(on_23_november, lina,
                                                                                           login):
    site = SiteFactory(licence_valid_until=TODAY + datetime.timedelta(days=10))
    other = SiteFactory(licence_valid_until=TODAY + datetime.timedelta(days=300))
    _threat_analysis_reviewed_until(lina, datetime.date(2026, 12, 31))
    assert _item(site.head, Role.TUK_HEAD, "periodic-duties").count == 1
    assert _item(other.head, Role.TUK_HEAD, "periodic-duties") is None
    remind_duties()
    assert Notification.objects.filter(user=site.head, key__startswith="quality.duty.site-verification.").exists()
    assert not Notification.objects.filter(user=other.head).exists()
    page = login(site.head).get(reverse("quality:system-duties")).content.decode()
    assert site.name in page and other.name not in page and "Report to BNSP" not in page


def test_the_duties_page_is_for_the_lsp_quality_the_supervisor_and_heads_of_test_sites(on_23_november, lina, sofia,
                                                                                        quinn, victor, login, client):
    url = reverse("quality:system-duties")
    assert client.get(url).status_code == 302  # anonymous: to the log-in
    assert login(victor).get(url).status_code == 403
    applicant = UserFactory(roles=[Role.APPLICANT])
    assert login(applicant).get(url).status_code == 403
    for reader in (lina, sofia, quinn):
        page = login(reader).get(url)
        assert page.status_code == 200 and 'data-duty="internal-audit"' in page.content.decode()
