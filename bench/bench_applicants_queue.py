"""Benchmark: the verifier's queue page against a bare Django list view, same database, same run.

    .venv/bin/python bench/bench_applicants_queue.py [--rows 100000] [--seconds 10] [--clients 8]
    .venv/bin/python bench/bench_applicants_queue.py --tiny    # 200 rows, seconds (the CI's run)

Builds 100,000 applications in a throwaway PostgreSQL database (``cp_bench_applicants_<pid>`` on the server of
DATABASE_URL, default postgres://postgres@127.0.0.1:5432; SQLite in a temporary folder when no server answers),
starts gunicorn with two sync workers, logs in a verifier (session cookie) and measures requests per second of

* baseline: a bare Django ``ListView`` (paginate_by=50, so it counts the rows like any paginated list; a plain
  template without the portal's layout), behind the same middleware and login;
* the queue:  /permohonan/antrian/ (filters form, counts per status, deadline order, 50 rows).

It prints both figures side by side and their ratio (goal: >= 0.7), with each page's query count at half and at
all the rows (built in two steps). Exit status 1 when a page answers an error or a count moved with the data.
The database is dropped at the end.
"""

import argparse
import datetime
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _db import create_database, drop_database, migrate  # noqa: E402

BENCH_URLS = '''
from django.template import engines
from django.urls import path
from django.views.generic import ListView

from certportal.urls import urlpatterns as portal

TEMPLATE = engines["django"].from_string(
    "<!DOCTYPE html><html><body><table>{% for a in object_list %}<tr><td>{{ a.pk }}</td><td>{{ a.applicant_name }}"
    "</td><td>{{ a.nip }}</td><td>{{ a.org_unit }}</td><td>{{ a.status }}</td><td>{{ a.submitted_at|date }}</td></tr>"
    "{% endfor %}</table><p>{{ page_obj.number }} / {{ paginator.num_pages }}</p></body></html>")


class Bare(ListView):
    \"\"\"The textbook Django list: a model, an ordering, 50 per page, a plain template (no layout, no menus).\"\"\"

    paginate_by = 50
    ordering = ["-id"]

    def get_queryset(self):
        from applicants.models import Application

        return Application.objects.order_by("-id")

    def get_template_names(self):
        return []

    def render_to_response(self, context, **kwargs):
        from django.http import HttpResponse

        return HttpResponse(TEMPLATE.render(context))


urlpatterns = [path("bench/bare/", Bare.as_view()), *portal]
'''

BENCH_SETTINGS = '''
from certportal.settings.dev import *  # noqa
DEBUG = False
ROOT_URLCONF = "bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
'''


def setup() -> tuple[str, list, list]:
    """Migrate; a verifier (its session id), 2,000 applicants and 8 schemes."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from certportal.accounts.models import Role, User, UserRole
    from schemes.models import Scheme

    migrate()
    verifier = User.objects.create_user("bench.verifier@example.go.id", None, full_name="Bench Verifier",
                                        email_verified_at=timezone.now())
    UserRole.objects.create(user=verifier, role=Role.VERIFIER)
    applicants = User.objects.bulk_create([User(email=f"a{i}@example.go.id", full_name=f"Pemohon {i}")
                                           for i in range(2000)])
    schemes = [Scheme.objects.create(code=f"SS-{i:02d}/BENCH/2026", name=f"Skema {i}", kind="occupation")
               for i in range(8)]
    session = SessionStore()
    session[SESSION_KEY] = str(verifier.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = verifier.get_session_auth_hash()
    session.save()
    return session.session_key, applicants, schemes


UNITS = [f"Dinas {n}" for n in ("Kesehatan", "Pendidikan", "Sosial", "Perhubungan", "Pariwisata", "Kominfo",
                                "Pertanian", "Perindustrian", "Kelautan", "Biro Umum")]


def add_applications(first: int, rows: int, applicants: list, schemes: list, vacuum: bool = True) -> None:
    """Applications ``first`` … ``first + rows - 1`` in realistic proportions, then their clocks."""
    from django.utils import timezone

    from applicants.models import Application, Status

    weights = {Status.SUBMITTED: 4, Status.RETURNED: 2, Status.RESUBMITTED: 2, Status.COMPLETE: 6, Status.VERIFIED: 4,
               Status.PARTICIPANT: 6, Status.SCHEDULED: 4, Status.ASSESSED: 2, Status.COMPETENT: 2,
               Status.CERTIFIED: 4, Status.HANDED_OVER: 50, Status.NOT_YET_COMPETENT: 3, Status.REJECTED: 2,
               Status.WITHDRAWN: 3, Status.DRAFT: 6}
    states, w = list(weights), list(weights.values())
    rng = random.Random(7 + first)
    now = timezone.now()
    batch = []
    for i in range(first, first + rows):
        status = rng.choices(states, w)[0]
        submitted = now - datetime.timedelta(days=rng.randint(0, 700))
        batch.append(Application(
            applicant=applicants[i % len(applicants)], scheme=schemes[i % len(schemes)], status=status,
            applicant_name=f"Pemohon {i % 2000} {rng.choice(['Siti', 'Budi', 'Andi', 'Dewi', 'Rina'])}",
            nip=f"19{rng.randint(60, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 2)}20{rng.randint(10, 23)}0{rng.randint(1, 9)}"
                f"{rng.randint(1, 2)}{i % 1000:03d}",
            org_unit=rng.choice(UNITS), submitted_at=None if status == Status.DRAFT else submitted,
            completed_at=submitted if status not in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED,
                                                     Status.RESUBMITTED) else None))
        if len(batch) == 5000:
            Application.objects.bulk_create(batch)
            batch = []
    Application.objects.bulk_create(batch)
    add_clocks(vacuum)


def add_clocks(vacuum: bool) -> None:
    """A clock for every completed application that has none (open unless its work is done), its deadline
    mirrored on the application; then (VACUUM) ANALYZE."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from applicants.models import Application, Status
    from certportal.sla.models import Clock, SlaPolicy

    policy = SlaPolicy.objects.get(code="certification")
    ct = ContentType.objects.get_for_model(Application)
    clocked = Clock.objects.filter(content_type=ct).values("object_id")
    clocks, updates = [], []
    for app in (Application.objects.exclude(completed_at=None).exclude(pk__in=clocked)
                .only("id", "completed_at", "status").iterator()):
        start = app.completed_at.date()
        done = app.status in (Status.HANDED_OVER, Status.REJECTED, Status.WITHDRAWN)
        target = start + datetime.timedelta(days=20)
        clocks.append(Clock(content_type=ct, object_id=app.pk, policy=policy, target_days=14, limit_days=30,
                            started_at=app.completed_at, start_date=start, target_due=target,
                            limit_due=start + datetime.timedelta(days=42),
                            outcome="met" if done else "open"))
        app.deadline = None if done else target
        updates.append(app)
    Clock.objects.bulk_create(clocks, batch_size=5000)
    Application.objects.bulk_update(updates, ["deadline"], batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def query_counts(pages: dict[str, str], cookie: str) -> dict[str, tuple[int, int]]:
    """Each page's (query count, status) in-process, after a first request that warms the caches."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = cookie
    found = {}
    for label, path in pages.items():
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path).status_code
        found[label] = (len(ctx.captured_queries), status)
    return found


def hammer(port: int, path: str, cookie: str, seconds: float, clients: int) -> tuple[float, int]:
    """Requests per second over ``seconds`` with ``clients`` keep-alive connections (and the error count)."""
    done, errors = [0] * clients, [0] * clients
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < stop:
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors[n] += 1
            done[n] += 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - start), sum(errors)


def measure(port: int, pages: dict[str, str], cookie: str, args) -> dict[str, tuple[float, int]]:
    """Each page's median requests/s over alternating rounds (load from elsewhere hits all alike), and errors."""
    for path in list(pages.values())[:2] if args.warm else []:  # warm up both workers
        hammer(port, path, cookie, args.warm, args.clients)
    runs = {label: [] for label in pages}
    for _round in range(args.rounds):
        for label, path in pages.items():
            runs[label].append(hammer(port, path, cookie, args.seconds / args.rounds, args.clients))
    return {label: (statistics.median(r for r, _e in rs), sum(e for _r, e in rs)) for label, rs in runs.items()}


def report(results: dict[str, tuple[float, int]], small: dict, big: dict, args) -> list[str]:
    """Print the figures; return what fails the run (an error answer, a query count that moved with the data)."""
    base = results["bare list (50 rows)"][0] or 1.0
    print(f"\ngunicorn 2 sync workers, {args.clients} keep-alive clients, {args.rounds} alternating rounds, "
          f"{args.seconds:g} s per page, {args.rows} rows (median req/s; queries at half and at all the rows)")
    print(f"{'page':<38}{'req/s':>10}{'errors':>8}{'ratio':>8}{'q@half':>8}{'q@all':>8}")
    failed = []
    for label, (rps, errors) in results.items():
        print(f"{label:<38}{rps:>10.1f}{errors:>8}{rps / base:>8.2f}{small[label][0]:>8}{big[label][0]:>8}")
        if errors or big[label][1] != 200:
            failed.append(f"{label}: HTTP {big[label][1]}, {errors} error answers")
        if small[label][0] != big[label][0]:
            failed.append(f"{label}: {small[label][0]} queries at half the rows, {big[label][0]} at all")
    ratio = results["verifier queue"][0] / base
    print(f"\nqueue / bare = {ratio:.2f} (goal >= 0.70): {'OK' if ratio >= 0.7 else 'BELOW GOAL'}")
    return failed


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=15, help="per page, over all rounds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--warm", type=float, default=2, help="seconds of warm-up per page")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (0: a free one)")
    parser.add_argument("--tiny", action="store_true", help="200 rows, a moment per page (the CI's run)")
    args = parser.parse_args()
    if args.tiny:
        args.rows, args.seconds, args.rounds, args.clients, args.warm = 200, 0.1, 1, 1, 0
    if not args.port:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            args.port = s.getsockname()[1]
    return args


def main() -> None:
    args = arguments()
    db_url, admin_url = create_database("cp_bench_applicants")
    work = Path(tempfile.mkdtemp())
    (work / "bench_urls.py").write_text(BENCH_URLS)
    (work / "bench_settings.py").write_text(BENCH_SETTINGS)
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench_settings", "DEBUG": "false",
           "PYTHONPATH": f"{work}{os.pathsep}{ROOT}", "REDIS_URL": "", "CELERY_BROKER_URL": "",
           "PRIVATE_MEDIA_ROOT": str(work / "private"), "CONN_MAX_AGE": "600"}
    os.environ.update(env)
    sys.path.insert(0, str(work))
    try:
        sys.exit(1 if run(args, env, db_url) else 0)
    finally:
        drop_database(db_url, admin_url)


def run(args, env: dict, db_url: str) -> list[str]:
    """Build half the rows, count each page's queries, build the rest, count again, then serve and measure."""
    pages = {"bare list (50 rows)": "/bench/bare/", "verifier queue": "/permohonan/antrian/",
             "queue, filtered (deadline + search)": "/permohonan/antrian/?deadline=due_soon&q=siti"}
    t0 = time.monotonic()
    cookie, applicants, schemes = setup()
    add_applications(0, args.rows // 2, applicants, schemes, not args.tiny)
    small = query_counts(pages, cookie)
    add_applications(args.rows // 2, args.rows - args.rows // 2, applicants, schemes, not args.tiny)
    big = query_counts(pages, cookie)
    print(f"data: {args.rows} applications built in {time.monotonic() - t0:.0f} s ({db_url.split('://')[0]})")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "certportal.wsgi:application", "--workers", "2", "--timeout", "120",
                               "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        _wait(args.port)
        results = measure(args.port, pages, cookie, args)
    finally:
        stop(server)
    failed = report(results, small, big, args)
    for line in failed:
        print(f"FAILED {line}")
    return failed


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:  # a worker stuck in a request on a loaded machine
        server.kill()
        server.wait(10)


def _wait(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


if __name__ == "__main__":
    main()
