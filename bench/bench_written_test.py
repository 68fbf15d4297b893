"""Benchmark: the written test (FR.IA.05) under load — many participants answering at once on a live server.

    .venv/bin/python bench/bench_written_test.py [--participants 200] [--questions 20] [--concurrency 50]
    .venv/bin/python bench/bench_written_test.py --tiny     # CI: 4 participants, 4 questions, 2 at once

Builds its data in a throwaway PostgreSQL database (``cp_bench_written_<pid>``, see ``bench/_db.py``) through the
portal's own services: a scheme whose validated plan asks FR.IA.05 of its two units, a bank per unit, one event of
``--participants`` participants who accepted FR.AK.01 and started their test. Then starts gunicorn on loopback
(``deploy/gunicorn.conf.py``, two workers, as deployed) and lets every participant, ``--concurrency`` at a time,
open their test page, answer every question with the page's autosave request (a quarter of the answers changed
afterwards, as people do), and submit.

Prints the autosave latency (p50, p90, p99, max), p99/p50 (goal: under 3), requests per second and the machine's
load; then checks, in the database, that no answer was lost: every test holds exactly the last option each
participant chose, every change is in the answer history (none as an audit row), every test is scored, and the
trail holds one row per test for its end. Exits 1 on a lost answer, a failed request or a broken count (not on
the latency ratio, which depends on the machine; ``--strict`` fails on it too).
"""

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import run_in_process  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def build(participants: int, questions: int) -> list[dict]:
    """The event, its participants with their test started; per participant what the load needs."""
    from django.conf import settings
    from django.test import Client

    from assessments.instruments.services import written_test as wt
    from certportal.accounts.models import Role
    from tests.assessments.factories import (
        SiteFactory,
        agree,
        make_application,
        make_assessor,
        planned_event,
        scheme_with_units,
    )
    from tests.assessments.written_factories import fill_bank, plan_with_written_test
    from tests.factories import UserFactory

    per_unit = max(1, questions // 2)
    scheme = scheme_with_units(2)
    admin = UserFactory(full_name="Admin LSP Beban", roles=[Role.LSP_ADMIN])
    assessor = make_assessor(UserFactory(full_name="Asesor Beban", roles=[Role.ASSESSOR]), schemes=[scheme])
    plan_with_written_test(scheme, admin=admin, per_unit=per_unit, minutes=240)
    for su in scheme.scheme_units.select_related("unit"):
        fill_bank(su.unit, actor=admin, count=per_unit)
    applications = [make_application(scheme, UserFactory(full_name=f"Peserta Beban {i}", roles=[Role.APPLICANT]),
                                      name=f"Peserta Beban {i}") for i in range(participants)]
    event = planned_event(actor=admin, scheme=scheme, site=SiteFactory(), assessor=assessor,
                          applications=applications)
    people = []
    for p in event.participants.select_related("application__applicant").order_by("pk"):
        agree(p)
        test = wt.written_test_start(p, user=p.application.applicant)
        client = Client()
        client.force_login(p.application.applicant)
        people.append({"participant": p.pk, "test": test.pk, "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                       "questions": [(q["item"], len(q["order"])) for q in test.questions]})
    return people


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "WEB_BIND": f"127.0.0.1:{port}", "WEB_WORKERS": os.environ.get("WEB_WORKERS", "2"),
           "WEB_MAX_REQUESTS": "0", "LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "certportal.wsgi:application"],
        cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn stopped:\n" + log_path.read_text())
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=5)
            return proc
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in 120 s:\n" + log_path.read_text())


def take_test(base: str, person: dict, rng: random.Random, latencies: list, errors: list, lock) -> dict:
    """One participant: open the page, answer every question (a quarter changed afterwards), submit.
    Returns {item: the last option chosen} and how many changes were sent."""
    import requests
    from django.conf import settings

    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, person["session"], domain="127.0.0.1")
    pk = person["participant"]
    page = session.get(f"{base}/asesmen/saya/{pk}/ujian-tertulis/", timeout=120)
    token = CSRF.search(page.text)
    if page.status_code != 200 or token is None:
        with lock:
            errors.append(f"participant {pk}: the test page answered {page.status_code}")
        return {"chosen": {}, "changes": 0}
    headers = {"X-CSRFToken": token.group(1), "Referer": f"{base}/asesmen/saya/{pk}/ujian-tertulis/"}
    chosen, changes = {}, 0
    plan = [(item, rng.randrange(options)) for item, options in person["questions"]]
    plan += [(item, rng.randrange(options)) for item, options in person["questions"] if rng.random() < 0.25]
    for item, choice in plan:
        began = time.perf_counter()
        response = session.post(f"{base}/asesmen/saya/{pk}/ujian-tertulis/jawab/", data={"item": item, "choice": choice},
                                headers=headers, timeout=120)
        took = time.perf_counter() - began
        ok = response.status_code == 200 and response.json().get("saved") is True
        with lock:
            latencies.append(took)
            if not ok:
                errors.append(f"participant {pk}: an answer got {response.status_code} {response.text[:120]}")
        if ok:
            changes += chosen.get(item) != choice
            chosen[item] = choice
    response = session.post(f"{base}/asesmen/saya/{pk}/ujian-tertulis/kumpulkan/", data={"confirm": "1"},
                            headers=headers, timeout=120, allow_redirects=False)
    if response.status_code != 302:
        with lock:
            errors.append(f"participant {pk}: the submit got {response.status_code}")
    return {"chosen": chosen, "changes": changes}


def check(people: list[dict], results: list[dict]) -> list[str]:
    """What the database holds against what the participants sent: every problem found."""
    from assessments.instruments.models.records import WrittenAnswer, WrittenTest
    from certportal.audit.models import AuditEntry

    problems = []
    tests = WrittenTest.objects.in_bulk([p["test"] for p in people])
    counts = {}
    for test_id in WrittenAnswer.objects.filter(test_id__in=tests).values_list("test_id", flat=True):
        counts[test_id] = counts.get(test_id, 0) + 1
    for person, result in zip(people, results, strict=True):
        test = tests[person["test"]]
        sent = {str(item): choice for item, choice in result["chosen"].items()}
        if test.answers != sent:
            lost = {k: v for k, v in sent.items() if test.answers.get(k) != v}
            problems.append(f"test {test.pk}: {len(lost)} answer(s) lost or wrong: {lost}")
        if counts.get(test.pk, 0) != result["changes"]:
            problems.append(f"test {test.pk}: {counts.get(test.pk, 0)} changes kept, {result['changes']} sent")
        if test.status != WrittenTest.Status.SUBMITTED:
            problems.append(f"test {test.pk}: not scored ({test.status})")
    per_click = AuditEntry.objects.filter(action="assessments.writtentest.answered").count()
    if per_click:
        problems.append(f"{per_click} audit rows per answer (expected none)")
    ends = AuditEntry.objects.filter(action="assessments.writtentest.submitted").count()
    if ends != len(people):
        problems.append(f"{ends} audit rows for the ends of {len(people)} tests")
    return problems


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(args) -> int:
    from django.db import connections

    began = time.perf_counter()
    people = build(args.participants, args.questions)
    print(f"built {len(people)} participants with {len(people[0]['questions'])} questions each "
          f"in {time.perf_counter() - began:.0f} s")
    connections.close_all()
    port = free_port()
    log_path = Path(tempfile.mkdtemp(prefix="bench-gunicorn-")) / "gunicorn.log"
    server = start_server(port, log_path)
    latencies, errors, lock = [], [], threading.Lock()
    rng = random.Random(28)  # the same load every run
    seeds = [rng.random() for _ in people]
    try:
        load = os.getloadavg()
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(lambda ps: take_test(f"http://127.0.0.1:{port}", ps[0], random.Random(ps[1]),
                                                         latencies, errors, lock), zip(people, seeds, strict=True)))
        wall = time.perf_counter() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    p50, p90, p99 = (percentile(latencies, q) for q in (0.5, 0.9, 0.99))
    print(f"{len(people)} participants, {args.concurrency} at once, gunicorn {os.environ.get('WEB_WORKERS', '2')} "
          f"workers; load average before the run {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs")
    print(f"autosaves: {len(latencies)} in {wall:.1f} s ({len(latencies) / wall:.0f}/s); "
          f"p50 {p50 * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms, mean {statistics.mean(latencies) * 1000:.0f} ms; "
          f"p99/p50 {p99 / p50:.2f} ({'under' if p99 < 3 * p50 else 'OVER'} 3)")
    problems = errors + check(people, results)
    for problem in problems[:20]:
        print("FAIL:", problem)
    print("no answer lost" if not problems else f"{len(problems)} problem(s)")
    if problems:
        print("--- gunicorn log ---\n" + log_path.read_text()[-3000:])
        return 1
    return 1 if args.strict and p99 >= 3 * p50 else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--questions", type=int, default=20, help="per participant (half per unit)")
    parser.add_argument("--concurrency", type=int, default=50, help="participants answering at the same moment")
    parser.add_argument("--tiny", action="store_true", help="CI: 4 participants, 4 questions, 2 at once")
    parser.add_argument("--strict", action="store_true", help="also fail when p99 is 3x p50 or more")
    args = parser.parse_args()
    if args.tiny:
        args.participants, args.questions, args.concurrency = 4, 4, 2

    run_in_process("cp_bench_written", run, args, {"CONN_MAX_AGE": "60"})


if __name__ == "__main__":
    main()
