"""``/metrics``: Prometheus' text for the configured scraper only, with figures that follow the records: request
latency, the job queue (depth, age), failed jobs, the outbox and SLA breaches."""

import datetime
from datetime import date

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from certportal.accounts.models import Role
from certportal.exportjobs.models import ExportJob
from certportal.jobs import registry as jobs
from certportal.sla import services as sla
from tests.factories import UserFactory

from .sla_helpers import at, sla_reference_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sla_reference")]
TOKEN = "scraper-" + "s" * 40
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def scraper(settings, client):
    settings.METRICS_TOKEN = TOKEN

    def scrape() -> dict[tuple, float]:
        response = client.get("/metrics", headers=SCRAPER)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=0.0.4")
        assert "no-store" in response["Cache-Control"]
        return {(s.name, tuple(sorted(s.labels.items()))): s.value
                for family in text_string_to_metric_families(response.content.decode()) for s in family.samples}

    return scrape


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_without_a_token_configured_the_address_does_not_exist(settings, client, lina, login):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    assert login(lina).get("/metrics").status_code == 404


def test_anonymous_staff_and_a_wrong_token_are_refused(settings, client, lina, login):
    settings.METRICS_TOKEN = TOKEN
    for response in (client.get("/metrics"),  # anonymous
                     login(lina).get("/metrics"),  # the LSP admin's session is not the scraper's token
                     client.get("/metrics", headers={"Authorization": "Bearer wrong"}),
                     client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}),
                     client.get(f"/metrics?token={TOKEN}")):
        assert response.status_code == 401 and b"certportal_" not in response.content
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_scrape_is_answered_for_the_internal_address_as_healthz_is(settings, client):
    """Prometheus scrapes http://127.0.0.1:8000/metrics: no allowed host, no HTTPS redirect in the way."""
    settings.METRICS_TOKEN, settings.ALLOWED_HOSTS, settings.SECURE_SSL_REDIRECT = TOKEN, ["portal.example"], True
    response = client.get("/metrics", headers=SCRAPER, HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200 and b"certportal_jobs" in response.content


def test_request_latency_counts_each_page_by_its_route_name(scraper, client):
    before = value(scraper(), "certportal_request_duration_seconds_count", method="GET", route="public-home",
                   status="2xx")
    client.get("/")
    client.get("/")
    client.get("/no-such-page/")
    after = scraper()
    assert value(after, "certportal_request_duration_seconds_count", method="GET", route="public-home",
                 status="2xx") == before + 2
    assert value(after, "certportal_request_duration_seconds_bucket", method="GET", route="public-home",
                 status="2xx", le="+Inf") == before + 2
    assert value(after, "certportal_request_duration_seconds_count", method="GET", route="unmatched",
                 status="4xx") >= 1
    assert not any("no-such-page" in str(key) for key in after)  # paths never become series


def test_the_queue_depth_and_age_follow_the_job_table_and_a_failed_job_moves_the_counter(scraper, lina):
    kind = "exportjobs.exportjob"
    start = scraper()
    assert value(start, "certportal_metrics_database_up") == 1
    assert value(start, "certportal_jobs", kind=kind, status="queued") == 0
    assert value(start, "certportal_jobs_oldest_queued_age_seconds", kind=kind) == 0
    waiting = ExportJob.objects.create(source="applicants.queue", fmt="csv", filename="a.csv", created_by=lina,
                                       moved_at=timezone.now() - datetime.timedelta(minutes=10))
    ExportJob.objects.create(source="applicants.queue", fmt="csv", filename="b.csv", created_by=lina)
    queued = scraper()
    assert value(queued, "certportal_jobs", kind=kind, status="queued") == 2
    assert 600 <= value(queued, "certportal_jobs_oldest_queued_age_seconds", kind=kind) < 900
    jobs.fail(ExportJob, waiting.pk, "the disk is full")  # the job base's one way to fail a job (audited)
    failed = scraper()
    assert value(failed, "certportal_jobs_failed_total", kind=kind) == value(start, "certportal_jobs_failed_total",
                                                                            kind=kind) + 1
    assert value(failed, "certportal_jobs", kind=kind, status="failed") == 1
    assert value(failed, "certportal_jobs", kind=kind, status="queued") == 1
    assert value(failed, "certportal_jobs_oldest_queued_age_seconds", kind=kind) < 600


def test_an_item_past_its_sla_limit_moves_the_breach_gauge(scraper, on_23_november):
    assert value(scraper(), "certportal_sla_breached", policy="complaint-followup") == 0
    late = UserFactory(full_name="Berkas Terlambat", roles=[Role.APPLICANT])
    sla.start_clock(late, "complaint-followup", at=at(date(2026, 11, 2)))  # 3 working days: long past on 23 Nov
    fresh = UserFactory(full_name="Berkas Baru", roles=[Role.APPLICANT])
    sla.start_clock(fresh, "complaint-followup", at=at(date(2026, 11, 23)))
    now = scraper()
    assert value(now, "certportal_sla_breached", policy="complaint-followup") == 1
    assert value(now, "certportal_sla_overdue", policy="complaint-followup") == 1
    assert value(now, "certportal_sla_clocks", policy="complaint-followup", outcome="open") == 2
    sla.stop_clock(late, "complaint-followup", at=at(date(2026, 11, 23)))  # answered at last: a breach on record
    after = scraper()
    assert value(after, "certportal_sla_breached", policy="complaint-followup") == 0
    assert value(after, "certportal_sla_clocks", policy="complaint-followup", outcome="breached") == 1


def test_the_outbox_shows_what_waits_for_the_broker(scraper, on_23_november):
    from certportal.outbox.models import OutboxMessage

    OutboxMessage.objects.create(task="certportal.notifications.tasks.send_email", kwargs={},
                                 moved_at=timezone.now() - datetime.timedelta(minutes=5))
    samples = scraper()
    assert value(samples, "certportal_outbox_messages", status="pending") == 1
    assert value(samples, "certportal_outbox_oldest_pending_age_seconds") == 300


@pytest.mark.slow
def test_an_empty_multiprocess_folder_in_the_settings_file_means_one_process_not_files_in_the_current_folder(
        tmp_path):
    """A .env copied from .env.example has `PROMETHEUS_MULTIPROC_DIR=`: prometheus_client would take it for its
    multiprocess mode and write its files wherever the process stands."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    code = ("import django; django.setup()\n"
            "from certportal.metrics import REQUEST_DURATION\n"
            "REQUEST_DURATION.labels('GET', 'public-home', '2xx').observe(0.1)\n")
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": "", "DJANGO_SETTINGS_MODULE": "certportal.settings.test",
           "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []
