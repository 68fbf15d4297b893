"""Benchmark: the written test (FR.IA.05) under load — many participants answering at once on a live server.

    .venv/bin/python bench/bench_written_test.py [--participants 200] [--questions 20] [--concurrency 200]
        [--workers N] [--threads N] [--worker-class sync|gthread] [--think SECONDS] [--seconds 5] [--rounds 3]
    .venv/bin/python bench/bench_written_test.py --tiny     # CI: 4 participants, 4 questions, all at once

Builds its data in a throwaway PostgreSQL database (``cp_bench_written_<pid>``, see ``bench/_db.py``) through the
portal's own services: a scheme whose validated plan asks FR.IA.05 of its two units, a bank per unit, one event of
``--participants`` participants (and ``--clients`` more for the cost rounds) who accepted FR.AK.01 and started their
test. Then starts gunicorn on loopback with ``deploy/gunicorn.conf.py`` and its production defaults (CPUs + 1
workers of WEB_THREADS threads, the worker class they imply); ``--workers``, ``--threads`` and ``--worker-class``
override them for a comparison.

1. **The cost of one autosave**, against the bare list of the scale harness (``bench/scale/pages.py``: a plain
   Django ``ListView`` of 50 users) served by the same gunicorn: ``--rounds`` alternating rounds of ``--seconds``
   each, ``--clients`` keep-alive clients, each autosave a change (a row lock, an update, a history row). Printed:
   requests per second, the gunicorn workers' CPU a request (from /proc), and autosave over the bare list (pace
   and CPU: 1 or more is "an autosave costs as much as a bare page or less").
2. **The test day**: every participant, ``--concurrency`` at a time (default: all of them at the same moment,
   starting together once each has opened their test page), answers every question with the page's autosave
   request (a quarter of the answers changed afterwards, as people do; ``--think`` seconds on average between
   two answers, 0: back to back), and submits.

Prints the autosave latency (p50, p90, p99, max), p99/p50, requests per second, the workers' CPU a request and the
load generator's own CPU (it runs on the same machine), the machine's load before and after; then checks, in the
database, that no answer was lost: every test holds exactly the last option each participant chose, every change
is in the answer history (none as an audit row), every test is scored, and the trail holds one row per test for its
end. Exits 1 on a lost answer, a failed request or a broken count; ``--strict`` also fails when p99 is over 2 s.
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
from scale.pages import BENCH_SETTINGS, BENCH_URLS  # noqa: E402
from scale.serve import workers_cpu  # noqa: E402

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


def start_server(port: int, work: Path, args) -> subprocess.Popen:
    """gunicorn with deploy/gunicorn.conf.py as deployed (its production defaults), only what the options name
    overridden; the bench's settings add the bare list (``/bench/bare/``) to the portal's URLs."""
    env = {**os.environ, "WEB_BIND": f"127.0.0.1:{port}", "WEB_MAX_REQUESTS": "0", "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{work}{os.pathsep}{ROOT}",
           "PROMETHEUS_MULTIPROC_DIR": str(work / "metrics")}
    overrides = [flag for flag, value in (("--workers", args.workers), ("--threads", args.threads),
                                          ("--worker-class", args.worker_class)) if value for flag in (flag, str(value))]
    log = (work / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", *overrides,
         "certportal.wsgi:application"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn stopped:\n" + (work / "gunicorn.log").read_text())
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return proc
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in 120 s:\n" + (work / "gunicorn.log").read_text())


def served_as(args) -> str:
    """What gunicorn runs: the options, else deploy/gunicorn.conf.py's defaults (asked of gunicorn itself)."""
    out = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "--print-config", "-c",
                          "deploy/gunicorn.conf.py", *(["--workers", str(args.workers)] if args.workers else []),
                          *(["--threads", str(args.threads)] if args.threads else []),
                          *(["--worker-class", args.worker_class] if args.worker_class else []),
                          "certportal.wsgi:application"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="bench-metrics-")})
    conf = {k.strip(): v for k, v in (line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)}
    workers, threads = (conf.get(k, "?").strip() for k in ("workers", "threads"))
    kind = conf.get("worker_class", "sync").strip()
    kind = "gthread" if kind == "sync" and threads not in ("1", "?") else kind  # gunicorn's own rule
    return f"{workers} workers x {threads} thread{'s' if threads != '1' else ''} ({kind})"


def open_test(base: str, person: dict):
    """A participant's browser with their test page open: (session, headers for the autosave), or None."""
    import requests
    from django.conf import settings
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    # a kept-alive connection that the server closed while it was idle (gthread closes them after its keepalive,
    # 5 s) is tried once more on a new one, as a browser does; autosave and submit may be sent twice
    session.mount("http://", HTTPAdapter(max_retries=Retry(total=1, connect=1, read=1, status=0, other=0,
                                                           allowed_methods=None, raise_on_status=False)))
    session.cookies.set(settings.SESSION_COOKIE_NAME, person["session"], domain="127.0.0.1")
    url = f"{base}/asesmen/saya/{person['participant']}/ujian-tertulis/"
    page = session.get(url, timeout=120)
    token = CSRF.search(page.text)
    if page.status_code != 200 or token is None:
        return None
    return session, {"X-CSRFToken": token.group(1), "Referer": url}


def take_test(base: str, person: dict, rng: random.Random, day: dict) -> None:
    """One participant: open the page, (wait for everyone,) answer every question (a quarter changed afterwards,
    ``think`` seconds apart on average), and submit on the last day. The last option chosen of each question and
    the number of changes are kept on ``person`` (a later day of ``--compare`` goes on from them)."""
    pk, lock = person["participant"], day["lock"]
    opened = open_test(base, person)
    if day["ready"] is not None:
        day["ready"].wait()  # all at once: nobody starts answering before everyone has the page
    if opened is None:
        with lock:
            day["errors"].append(f"participant {pk}: the test page did not open")
        return
    session, headers = opened
    chosen = person.setdefault("chosen", {})
    plan = [(item, rng.randrange(options)) for item, options in person["questions"]]
    plan += [(item, rng.randrange(options)) for item, options in person["questions"] if rng.random() < 0.25]
    for item, choice in plan:
        if day["think"]:
            time.sleep(rng.uniform(0, 2 * day["think"]))
        began = time.perf_counter()
        response = session.post(f"{base}/asesmen/saya/{pk}/ujian-tertulis/jawab/", data={"item": item, "choice": choice},
                                headers=headers, timeout=120)
        took = time.perf_counter() - began
        ok = response.status_code == 200 and response.json().get("saved") is True
        with lock:
            day["latencies"].append(took)
            if not ok:
                day["errors"].append(f"participant {pk}: an answer got {response.status_code} {response.text[:120]}")
        if ok:
            person["changes"] = person.get("changes", 0) + (chosen.get(item) != choice)
            chosen[item] = choice
    if not day["submit"]:
        return
    response = session.post(f"{base}/asesmen/saya/{pk}/ujian-tertulis/kumpulkan/", data={"confirm": "1"},
                            headers=headers, timeout=120, allow_redirects=False)
    if response.status_code != 302:
        with lock:
            day["errors"].append(f"participant {pk}: the submit got {response.status_code}")


def hammer(base: str, clients: list, what: str, seconds: float) -> tuple[int, int]:
    """``seconds`` of the bare list or of autosaves (each a change), one keep-alive client per opened test:
    (answers, failed answers)."""
    done, failed, lock = [0], [0], threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        session, headers, person = clients[n]
        item, ok, bad = person["questions"][0][0], 0, 0
        while time.monotonic() < stop:
            if what == "bare":
                good = session.get(f"{base}/bench/bare/", timeout=60).status_code == 200
            else:
                response = session.post(f"{base}/asesmen/saya/{person['participant']}/ujian-tertulis/jawab/",
                                        data={"item": item, "choice": (ok + bad) % 2}, headers=headers, timeout=60)
                good = response.status_code == 200
            ok, bad = ok + good, bad + (not good)
        with lock:
            done[0], failed[0] = done[0] + ok, failed[0] + bad

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], failed[0]


def cost(base: str, master: int, extra: list[dict], args) -> dict:
    """Autosave against the bare list, alternating rounds: {label: (requests/s, worker CPU s a request, failed)}."""
    clients = [(*opened, person) for person in extra if (opened := open_test(base, person)) is not None]
    if len(clients) != len(extra):
        return {"bare": (0.0, 0.0, len(extra)), "autosave": (0.0, 0.0, len(extra))}
    for what in ("bare", "autosave"):  # warm every worker on both
        hammer(base, clients, what, 1)
    sums = {what: [0, 0.0, 0.0, 0] for what in ("bare", "autosave")}  # answers, wall, CPU, failed
    for n in range(args.rounds):
        for what in (("bare", "autosave") if n % 2 == 0 else ("autosave", "bare")):
            cpu, began = workers_cpu(master), time.perf_counter()
            done, failed = hammer(base, clients, what, args.seconds)
            totals = sums[what]
            totals[0] += done
            totals[1] += time.perf_counter() - began
            totals[2] += workers_cpu(master) - cpu
            totals[3] += failed
    return {what: (t[0] / t[1], t[2] / (t[0] or 1), t[3]) for what, t in sums.items()}


def check(people: list[dict]) -> list[str]:
    """What the database holds against what the participants sent: every problem found."""
    from assessments.instruments.models.records import WrittenAnswer, WrittenTest
    from certportal.audit.models import AuditEntry

    problems = []
    tests = WrittenTest.objects.in_bulk([p["test"] for p in people])
    counts = {}
    for test_id in WrittenAnswer.objects.filter(test_id__in=tests).values_list("test_id", flat=True):
        counts[test_id] = counts.get(test_id, 0) + 1
    for person in people:
        result = {"chosen": person.get("chosen", {}), "changes": person.get("changes", 0)}
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


def test_day(base: str, master: int, people: list[dict], args, n: int, submit: bool) -> dict:
    """Every participant takes their test (the ``n``-th day of the comparison), ``--concurrency`` at a time: the
    latencies, errors, the wall time, the workers' and this process's CPU seconds."""
    rng = random.Random(28 + n)  # the same load every run
    seeds = [rng.random() for _ in people]
    at_once = args.concurrency >= len(people)
    day = {"latencies": [], "errors": [], "lock": threading.Lock(), "think": args.think, "submit": submit,
           "ready": threading.Barrier(len(people)) if at_once else None}
    cpu, mine, began = workers_cpu(master), time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=min(args.concurrency, len(people))) as pool:
        list(pool.map(lambda ps: take_test(base, ps[0], random.Random(ps[1]), day), zip(people, seeds, strict=True)))
    day.update(wall=time.perf_counter() - began, cpu=workers_cpu(master) - cpu, client_cpu=time.process_time() - mine)
    return day


def report_cost(costs: dict, args) -> None:
    (bare_rps, bare_cpu, bare_failed), (save_rps, save_cpu, save_failed) = costs["bare"], costs["autosave"]
    print(f"cost of a request ({args.clients} keep-alive clients, {args.rounds} alternating rounds of "
          f"{args.seconds:g} s; CPU: the gunicorn workers' from /proc, PostgreSQL's not in it):")
    print(f"  bare list (50 users)      : {bare_rps:6.0f} req/s, {bare_cpu * 1000:5.1f} ms CPU a request"
          f"{f', {bare_failed} failed' if bare_failed else ''}")
    print(f"  autosave (each a change)  : {save_rps:6.0f} req/s, {save_cpu * 1000:5.1f} ms CPU a request"
          f"{f', {save_failed} failed' if save_failed else ''}")
    print(f"  autosave x the bare list  : pace {save_rps / (bare_rps or 1):.2f}, CPU {bare_cpu / (save_cpu or 1):.2f} "
          "(1 or more: an autosave costs as much as a bare page or less)")


def report_day(day: dict, people: list[dict], args) -> None:
    latencies = day["latencies"] or [0.0]
    p50, p90, p99 = (percentile(latencies, q) for q in (0.5, 0.9, 0.99))
    n, wall = len(day["latencies"]), day["wall"]
    print(f"test day: {len(people)} participants, {min(args.concurrency, len(people))} at once"
          f"{' (starting together)' if args.concurrency >= len(people) else ''}, "
          f"{f'{args.think:g} s between answers on average' if args.think else 'answers back to back'}")
    print(f"autosaves: {n} in {wall:.1f} s ({n / wall:.0f}/s); p50 {p50 * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms, mean {statistics.mean(latencies) * 1000:.0f} "
          f"ms; p99/p50 {p99 / (p50 or 1):.2f}; p99 {'<=' if p99 <= 2 else 'OVER'} 2 s")
    requests_made = n + 2 * len(people)  # and each participant's page and submit
    print(f"CPU: gunicorn workers {day['cpu']:.1f} s ({day['cpu'] / requests_made * 1000:.1f} ms a request, pages "
          f"and submits included), this load generator {day['client_cpu']:.1f} s, of {wall * (os.cpu_count() or 1):.0f} "
          f"CPU-seconds in all")


def run(args) -> int:
    from django.db import connections

    began = time.perf_counter()
    everyone = build(args.participants + args.clients, args.questions)
    people, extra = everyone[:args.participants], everyone[args.participants:]
    print(f"built {len(everyone)} participants ({len(extra)} for the cost rounds) with "
          f"{len(people[0]['questions'])} questions each in {time.perf_counter() - began:.0f} s")
    connections.close_all()
    work = Path(tempfile.mkdtemp(prefix="bench-written-"))
    (work / "bench_urls.py").write_text(BENCH_URLS)
    (work / "bench_settings.py").write_text(BENCH_SETTINGS)
    problems: list[str] = []
    configs = args.compare or [(args.workers, args.threads, args.worker_class)]
    for n, (args.workers, args.threads, args.worker_class) in enumerate(configs):
        problems += serve_one(work, people, extra, args, n, submit=n == len(configs) - 1)
    problems += check(people)
    for problem in problems[:20]:
        print("FAIL:", problem)
    print("no answer lost" if not problems else f"{len(problems)} problem(s)")
    if problems:
        print("--- gunicorn log ---\n" + (work / "gunicorn.log").read_text()[-3000:])
        return 1
    return 1 if args.strict and any(p99 > 2 for p99 in args.p99s) else 0


def serve_one(work: Path, people: list[dict], extra: list[dict], args, n: int, submit: bool) -> list[str]:
    """One gunicorn set-up: its cost rounds and its test day, printed; the failed requests."""
    port = free_port()
    load = os.getloadavg()
    server = start_server(port, work, args)
    base = f"http://127.0.0.1:{port}"
    try:
        costs = cost(base, server.pid, extra, args)
        day = test_day(base, server.pid, people, args, n, submit)
        after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"\n== gunicorn {served_as(args)}, deploy/gunicorn.conf.py; load average {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f} before, {after[0]:.1f} {after[1]:.1f} {after[2]:.1f} after, on {os.cpu_count()} CPUs", flush=True)
    report_cost(costs, args)
    report_day(day, people, args)
    args.p99s.append(percentile(day["latencies"] or [0.0], 0.99))
    return day["errors"] + [f"{costs[w][2]} failed {w} requests in the cost rounds" for w in costs if costs[w][2]]


def parse_compare(text: str) -> list[tuple[int, int, str]]:
    """"5x1,2x8": (workers, threads, worker class) each; one thread is the sync worker, more gthread."""
    configs = []
    for spec in filter(None, (part.strip() for part in text.split(","))):
        workers, threads = (int(x) for x in spec.lower().split("x"))
        configs.append((workers, threads, "sync" if threads == 1 else "gthread"))
    return configs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--questions", type=int, default=20, help="per participant (half per unit)")
    parser.add_argument("--concurrency", type=int, default=0, help="participants answering at the same moment "
                        "(default: all of them, starting together)")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between two answers (0: back to back)")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, default=0, help="threads a worker (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="",
                        help="gunicorn's worker class (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--compare", type=parse_compare, default=[],
                        help="gunicorn set-ups one after the other on the same tests, e.g. 5x1,2x8 (workers x threads);"
                        " the participants submit on the last")
    parser.add_argument("--clients", type=int, default=4, help="keep-alive clients of the cost rounds")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of a cost round")
    parser.add_argument("--rounds", type=int, default=4, help="alternating cost rounds (each page)")
    parser.add_argument("--tiny", action="store_true", help="CI: 4 participants, 4 questions, all at once")
    parser.add_argument("--strict", action="store_true", help="also fail when p99 is over 2 s")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each set-up's figures as they come
    if args.tiny:
        args.participants, args.questions, args.clients, args.seconds, args.rounds = 4, 4, 2, 0.5, 2
        args.workers = args.workers or 2  # the CI's two cores are shared with the other benchmarks
    args.concurrency = args.concurrency or args.participants
    args.p99s = []

    run_in_process("cp_bench_written", run, args, {"CONN_MAX_AGE": "60"})


if __name__ == "__main__":
    main()
