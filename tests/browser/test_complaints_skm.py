"""The satisfaction index page as a supervisor sees it: figures, the chart drawn under the strict CSP."""

import datetime

import pytest

from certportal.accounts.models import Role
from tests.browser.conftest import ui_login
from tests.complaints.factories import SurveyResponseFactory
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_index_page_shows_the_figures_and_draws_the_chart(page):
    sofia = UserFactory(email="sofia@example.go.id", roles=[Role.SUPERVISOR])
    for row in ([4, 3, 3, 4, 3, 3, 4, 2, 3], [3, 3, 2, 4, 3, 4, 4, 3, 3], [3, 2, 3, 4, 4, 3, 3, 2, 3]):
        SurveyResponseFactory.with_scores(row, answered_on=datetime.date(2026, 2, 10))
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    ui_login(page, sofia.email, PASSWORD)
    page.goto("/pengaduan/ikm/?year=2026&quarter=1")
    assert page.get_by_test_id("skm-index").inner_text() in ("78.70", "78,70")
    assert page.get_by_test_id("skm-grade").inner_text() == "B"
    assert "1/9" in page.content()
    weakest = page.locator("[data-testid=skm-elements] tr.table-warning")
    assert weakest.count() == 3
    drawn = page.evaluate("() => { const c = document.getElementById('skm-chart'); return !!window.Chart && "
                          "!!Chart.getChart(c) && c.width > 0; }")
    assert drawn, errors
    assert not [e for e in errors if "Content Security Policy" in e], errors
