"""Throughput: the portal under gunicorn (two sync workers), hammered by keep-alive clients in rounds that
alternate the pages so that other load on the machine hits them all alike; the gunicorn workers' CPU time a
request (read from /proc before and after each page's round); and the pages near the goal measured again, each
in interleaved rounds with its baseline (the page, the baseline, the baseline, the page, ...)."""

from __future__ import annotations

import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from scale.page import Page
from scale.report import Served, baseline, near

ROOT = Path(__file__).resolve().parents[2]


def hammer(port: int, page: Page, cookie: str, seconds: float, clients: int,
           make: Callable[[random.Random], str] | None = None) -> tuple[float, int, int]:
    """Requests per second over ``seconds`` with ``clients`` keep-alive connections, the error count (an answer
    that is not among the page's answers) and the requests served. A page with a body is POSTed, a new body each
    request."""
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
    return sum(done) / (time.monotonic() - start), sum(errors), sum(done)


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def workers_cpu(master: int) -> float:
    """The CPU seconds (user and system) the children of the gunicorn master have used so far, from /proc."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # gone meanwhile
            continue
        if int(fields[1]) == master:  # fields from the state: state, ppid, ..., utime (12th), stime (13th)
            total += int(fields[11]) + int(fields[12])
    return total / TICK


def sample(port: int, master: int, page: Page, cookie: str, seconds: float, clients: int) -> tuple[float, int,
                                                                                                    int, float]:
    """One page's round: requests per second, error answers, requests served, the workers' CPU seconds spent."""
    before = workers_cpu(master)
    rps, errors, done = hammer(port, page, cookie, seconds, clients)
    return rps, errors, done, workers_cpu(master) - before


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


def _rounds(port: int, master: int, plan: list[Page], cookies: dict[str, str], args) -> dict[str, Served]:
    """Each page's median requests per second over ``args.rounds`` alternating rounds, its error count and its
    workers' CPU a request over all its rounds."""
    runs: dict[str, list] = {page.label: [] for page in plan}
    for _round in range(args.rounds):
        for page in plan:
            runs[page.label].append(sample(port, master, page, cookies[page.role], args.seconds, args.clients))
    return {label: Served(statistics.median(r[0] for r in rs), sum(r[1] for r in rs),
                          sum(r[3] for r in rs) / (sum(r[2] for r in rs) or 1)) for label, rs in runs.items()}


def again(port: int, master: int, plan: list[Page], cookies: dict[str, str], served: dict[str, Served],
          args) -> dict[str, Served]:
    """The pages near the goal (or below it) measured again: ``args.near_rounds`` interleaved rounds of the page
    and its baseline (in turn first), each round's ratio kept; the CPU ratio over all these rounds."""
    found = dict(served)
    for page in near(plan, served, args.near_most):
        other, ratios, errors = baseline(page, plan), [], served[page.label].errors
        cpu = {True: [0.0, 0], False: [0.0, 0]}  # the page's and its baseline's CPU seconds and requests
        for n in range(args.near_rounds):
            got = {}
            for mine in ((True, False) if n % 2 else (False, True)):
                p = page if mine else other
                got[mine] = sample(port, master, p, cookies[p.role], args.seconds, args.clients)
                cpu[mine][0] += got[mine][3]
                cpu[mine][1] += got[mine][2]
            ratios.append(got[True][0] * page.per_request / ((got[False][0] * other.per_request) or 1.0))
            errors += got[True][1]
        mine_cpu, other_cpu = (cpu[k][0] / (cpu[k][1] or 1) for k in (True, False))
        cpu_ratio = (other_cpu / other.per_request) / (mine_cpu / page.per_request) if mine_cpu else 0.0
        found[page.label] = replace(found[page.label], errors=errors, rounds=tuple(ratios), cpu_ratio=cpu_ratio)
    return found


PRIMES = 6  # each path of a kept page asked this often: each of the two workers keeps its own (chance 1 in 32)


def _prime(port: int, page: Page, cookie: str) -> None:
    """Every path of a kept page asked before the rounds, so that both workers keep it (each worker's cache is
    its own memory: the bench runs without Redis)."""
    t, paths = time.monotonic(), page.every() if page.every else []
    for path in paths * PRIMES:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        conn.getresponse().read()
        conn.close()
    print(f"{page.label}: {len(paths)} pages asked {PRIMES} times each before the rounds "
          f"({time.monotonic() - t:.0f} s)", flush=True)


def measure(plan: list[Page], cookies: dict[str, str], env: dict, args) -> dict[str, Served]:
    """Each page as served by gunicorn (``_rounds``), the pages near the goal measured again (``again``)."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "certportal.wsgi:application", "--workers", "2", "--timeout", "120",
                               "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        _wait(args.port, server)
        for page in plan:
            if page.every:
                _prime(args.port, page, cookies[page.role])
        for page in plan if args.warm else []:  # warm both workers on every page
            hammer(args.port, page, cookies[page.role], args.warm, 2)
        served = _rounds(args.port, server.pid, plan, cookies, args)
        return again(args.port, server.pid, plan, cookies, served, args)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # a worker stuck in a request on a loaded machine
            server.kill()
            server.wait(10)
