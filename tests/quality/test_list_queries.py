"""The quality app's list pages read a constant number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quality.reports.models import PeriodicReport, period_bounds
from quality.retention.models import DisposalList

pytestmark = pytest.mark.django_db


def _reports(n: int, start: int, user) -> None:
    for year in range(start, start + n):
        first, last = period_bounds("year", year, 1)
        PeriodicReport.objects.create(kind="year", year=year, part=1, starts_on=first, ends_on=last,
                                      letter_number=f"{year}/LAP", figures={}, computed_at=timezone.now(),
                                      created_by=user)


def _lists(n: int, start: int, user) -> None:
    for year in range(start, start + n):
        disposal = DisposalList.objects.create(year=year, created_by=user, approved_by=user)
        disposal.items.create(kind="applicant", object_id=year, label=f"Orang {year}",
                              ended_on=datetime.date(year - 6, 1, 1), pseudonym=f"ANONIM-A{year:06d}")


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url,make", [("/mutu/laporan-bnsp/", _reports), ("/mutu/retensi/", _lists)])
def test_a_list_page_reads_as_many_queries_for_two_rows_as_for_twenty(lina, login, url, make):
    client = login(lina)
    make(2, 2000, lina)
    client.get(url)  # the header's unread count kept from here on, as on every view after the first
    few = _count(client, url)
    make(18, 2002, lina)
    assert _count(client, url) == few
