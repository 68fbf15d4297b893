"""Issue 30 items 5 and 6: the report and retention pages pass axe-core (WCAG 2.1 A/AA, serious and critical) in both languages at
1280 px and 390 px, for the LSP admin and the supervisor (the full walk of every role, with the demo, is
``test_accessibility.py``, which lists the same pages through ``a11y.role_pages``)."""

import datetime
import zoneinfo

import pytest

from certportal.accounts.models import Role
from quality.reports import services
from quality.reports.models import PeriodicReport, ReportStatus
from quality.retention.models import DisposalList
from tests.browser import a11y
from tests.browser.conftest import TIMEOUT_MS, ui_login
from tests.conftest import require_service
from tests.factories import PASSWORD, UserFactory
from tests.quality.report_data import build_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
MADE_AT = datetime.datetime(2026, 11, 23, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))


def _records() -> dict:
    admin = UserFactory(email=a11y.DEMO_USERS["lsp_admin"], roles=[Role.LSP_ADMIN])
    supervisor = UserFactory(email=a11y.DEMO_USERS["supervisor"], roles=[Role.SUPERVISOR])
    build_quarter()
    services.report_create(actor=admin, kind="quarter", year=2026, part=3, letter_number="012/LSP/XI/2026",
                           at=MADE_AT)
    sent = services.report_create(actor=admin, kind="semester", year=2026, part=1, letter_number="007/LSP/VII/2026",
                                  at=MADE_AT)
    PeriodicReport.objects.filter(pk=sent.pk).update(status=ReportStatus.SENT, sent_at=MADE_AT,
                                                     sent_reference="Tanda terima 7")
    disposal = DisposalList.objects.create(year=2026, periods={"applicant": 5, "complaint": 3, "certificate": 5},
                                           created_by=admin)
    disposal.items.create(kind="applicant", object_id=supervisor.pk, label="Slamet Riyadi, S.Sos.",
                          ended_on=datetime.date(2019, 8, 14), pseudonym="ANONIM-A000001")
    return {"lsp_admin": admin, "supervisor": supervisor}


def test_the_report_pages_are_axe_clean_in_both_languages_at_both_widths(browser, live_server):
    if not a11y.AXE_JS.exists():
        require_service("axe-core", "cd tests/a11y && npm ci")
    users = _records()
    problems: list[str] = []
    for role, user in users.items():
        for language in ("id", "en"):
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
            context = browser.new_context(base_url=live_server.url, locale="id-ID")
            context.set_default_timeout(TIMEOUT_MS)
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            ui_login(page, user.email, PASSWORD, land=True)
            for target in a11y.quality_pages(role):
                page.set_viewport_size(DESKTOP)
                lines = a11y.check_page(page, target, phone=PHONE, submit=target.submit_empty)
                problems += [f"[{role} {language}] {line}" for line in lines]
                assert page.locator("html").get_attribute("lang") == language
            context.close()
    assert len(a11y.quality_pages("lsp_admin")) == 6
    assert not problems, "\n".join(problems)
