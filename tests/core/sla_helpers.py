"""Shared helpers of the SLA tests. Any model can be tracked; the core's tests track ``User`` rows so they do
not depend on the domain apps (which register their own models)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from certportal.accounts.models import User
from certportal.sla import reference
from certportal.sla.registry import register_tracked, unregister_tracked

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


@pytest.fixture(name="sla_reference")
def sla_reference_fixture(db):
    """The policies and the calendar as ``migrate`` ships them (a transactional test may have flushed them)."""
    reference.load()


@pytest.fixture(name="tracked_users")
def tracked_users_fixture():
    """Track ``User`` rows as SLA items: the responsible staff are kept in ``owners`` (item pk -> users)."""
    owners: dict[int, list] = {}
    register_tracked(User, responsible=lambda obj: owners.get(obj.pk, []),
                     label=lambda obj: f"Berkas {obj.full_name}", url=lambda obj: f"/berkas/{obj.pk}/")
    yield owners
    unregister_tracked(User)
