"""/metrics under gunicorn with several workers: each worker keeps its request timings in PROMETHEUS_MULTIPROC_DIR
(emptied when gunicorn starts) and a scrape, whichever worker answers it, gives the sum of all of them."""

import secrets
import threading
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import free_port, wait_for

from .test_start_scripts import healthz, settings_file, start, stop

pytestmark = pytest.mark.deploy


def scrape(port: int, token: str) -> dict[tuple, float] | None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            text = response.read().decode()
    except OSError:
        return None
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def healthz_count(samples: dict) -> float:
    key = ("certportal_request_duration_seconds_count", (("method", "GET"), ("route", "healthz"), ("status", "2xx")))
    return samples.get(key, 0.0)


def test_a_scrape_sums_the_requests_of_every_gunicorn_worker(tmp_path):
    port, token, folder = free_port(), secrets.token_urlsafe(32), tmp_path / "metrics"
    folder.mkdir()
    (folder / "histogram_1.db").write_bytes(b"left by the last run")
    env = settings_file(tmp_path, WEB_BIND=f"127.0.0.1:{port}", WEB_WORKERS="3", METRICS_TOKEN=token,
                        PROMETHEUS_MULTIPROC_DIR=str(folder))
    web = start("deploy/web", env, tmp_path)
    try:
        assert wait_for(lambda: scrape(port, token) is not None or web.poll() is not None, timeout=60)
        assert web.poll() is None, (tmp_path / "web.log").read_text()
        assert not (folder / "histogram_1.db").exists()  # the last run's counts are gone
        # /healthz waits about a second for the closed broker port: three at once keep three workers busy. On a
        # loaded machine the other workers may still be starting: waves go on until two have answered (at most 15)
        waves = 0
        while waves < 3 or (len(list(folder.glob("histogram_*.db"))) < 2 and waves < 15):
            threads = [threading.Thread(target=healthz, args=(port,)) for _ in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            waves += 1
        workers = {path.name for path in folder.glob("histogram_*.db")}
        assert len(workers) >= 2, workers  # the requests were answered by several processes
        for _ in range(6):  # whichever worker answers the scrape: the sum of them all
            samples = scrape(port, token)
            assert healthz_count(samples) == 3 * waves
        # this database was never migrated: the figures read from it are missing, the scrape still answers
        assert samples[("certportal_metrics_database_up", ())] == 0
    finally:
        stop(web)
