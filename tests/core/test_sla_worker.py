"""One reminder end to end: Celery's sweep task goes through Redis to a real worker, which mails the supervisor."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certportal.sla import reference
from certportal.sla import services as sla
from certportal.sla.models import Notice
from certportal.sla.tasks import sweep
from tests.conftest import wait_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_sweep_in_a_real_worker_escalates_a_breached_item_once(sofia, celery_worker_process):
    reference.load()
    item = UserFactory(full_name="Berkas Terlambat")
    sla.start_clock(item, "complaint-followup", at=timezone.now() - timedelta(days=40))
    mail_dir = celery_worker_process

    assert sweep.delay().get(timeout=60) == {"escalated": 1, "overdue": 1, "skipped": 0}
    files = wait_for(lambda: [f for f in mail_dir.glob("*.log") if "Batas waktu terlampaui" in f.read_text()],
                     timeout=40)
    text = files[0].read_text()
    assert "sofia@example.go.id" in text and "Berkas Terlambat" in text
    assert Notice.objects.filter(threshold="escalated", recipients=1).count() == 1

    assert sweep.delay().get(timeout=60) == {"skipped": 0}  # the second run sends nothing again
    assert sofia.notifications.count() == 2
