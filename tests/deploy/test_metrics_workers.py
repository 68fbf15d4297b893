"""/metrics under gunicorn with several workers: each worker keeps its request timings in PROMETHEUS_MULTIPROC_DIR
(emptied when gunicorn starts) and a scrape, whichever worker answers it, gives the sum of all of them."""

import secrets
import socket
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import free_port, wait_for

from .test_start_scripts import settings_file, start, stop

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


def answer(port: int, path: str, *, timeout: float = 60) -> int:
    """The status of GET ``path`` (a worker still starting may take a while to accept it)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_scrape_sums_the_requests_of_every_gunicorn_worker(tmp_path):
    port, token, folder = free_port(), secrets.token_urlsafe(32), tmp_path / "metrics"
    folder.mkdir()
    (folder / "histogram_1.db").write_bytes(b"left by the last run")
    # sync workers (WEB_THREADS=1): each serves one connection at a time, so which workers answer can be arranged
    env = settings_file(tmp_path, WEB_BIND=f"127.0.0.1:{port}", WEB_WORKERS="3", WEB_THREADS="1",
                        METRICS_TOKEN=token, PROMETHEUS_MULTIPROC_DIR=str(folder))
    web = start("deploy/web", env, tmp_path)
    try:
        assert wait_for(lambda: scrape(port, token) is not None or web.poll() is not None, timeout=60)
        assert web.poll() is None, (tmp_path / "web.log").read_text()
        assert not (folder / "histogram_1.db").exists()  # the last run's counts are gone
        # a request whose headers are still coming holds the worker that accepted it: the three /healthz asked
        # meanwhile are answered by the others (a quick /healthz once let one worker answer every wave of them)
        with socket.create_connection(("127.0.0.1", port), timeout=60) as held:
            held.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
            assert [answer(port, "/healthz") for _ in range(3)] == [200, 200, 200]
            held.sendall(b"Connection: close\r\n\r\n")
            reply = b"".join(iter(lambda: held.recv(65536), b""))
        assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
        workers = {path.name for path in folder.glob("histogram_*.db")}
        assert len(workers) >= 2, workers  # the requests were answered by several processes
        for _ in range(6):  # whichever worker answers the scrape: the sum of them all
            samples = scrape(port, token)
            assert healthz_count(samples) == 4
        # this database was never migrated: the figures read from it are missing, the scrape still answers
        assert samples[("certportal_metrics_database_up", ())] == 0
    finally:
        stop(web)
