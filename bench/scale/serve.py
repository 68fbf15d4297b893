"""Throughput: the portal under gunicorn (two sync workers), hammered by keep-alive clients in rounds that
alternate the pages so that other load on the machine hits them all alike."""

from __future__ import annotations

import http.client
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from scale.pages import Page

ROOT = Path(__file__).resolve().parents[2]


def hammer(port: int, page: Page, cookie: str, seconds: float, clients: int,
           make: Callable[[random.Random], str] | None = None) -> tuple[float, int]:
    """Requests per second over ``seconds`` with ``clients`` keep-alive connections (and the error count: an
    answer that is not among the page's answers). A page with a body is POSTed, a new body each request."""
    done, errors = [0] * clients, [0] * clients
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        rng = random.Random(n * 7919 + int(time.monotonic() * 1000))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {**dict(page.headers), **({"Cookie": f"sessionid={cookie}"} if cookie else {})}
        while time.monotonic() < stop:
            path = (make or page.make)(rng)
            conn.request(page.method, path, body=page.body(rng) if page.body else None, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status not in page.answers:
                errors[n] += 1
            done[n] += 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - start), sum(errors)


def _wait(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode})")
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def measure(plan: list[Page], cookies: dict[str, str], env: dict, args) -> dict[str, tuple[float, int]]:
    """Each page's median requests per second over ``args.rounds`` rounds, and its error count."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "certportal.wsgi:application", "--workers", "2", "--timeout", "120",
                               "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        _wait(args.port, server)
        for page in plan if args.warm else []:  # warm both workers on every page
            hammer(args.port, page, cookies[page.role], args.warm, 2)
        runs: dict[str, list] = {page.label: [] for page in plan}
        for _round in range(args.rounds):
            for page in plan:
                runs[page.label].append(hammer(args.port, page, cookies[page.role], args.seconds, args.clients))
        return {label: (statistics.median(r for r, _e in rs), sum(e for _r, e in rs)) for label, rs in runs.items()}
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # a worker stuck in a request on a loaded machine
            server.kill()
            server.wait(10)
