"""The world of the invariants' regular tests (``test_found_examples.py``, ``test_checks_find.py``)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from . import actions


@pytest.fixture
def world(db):
    return actions.make_world()


@pytest.fixture
def event(world):
    """A test event a week ahead at 09:00 at Tono's TUK, with Asa as its assessor."""
    starts_at = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
    event = actions.event_create(world, actor=world.lina, starts_at=starts_at)
    actions.event_add_assessor(world, event, actor=world.lina)
    return event
