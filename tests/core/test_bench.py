"""Benchmarks that cannot rot: every script in ``bench/`` runs at its tiny size (``--tiny``: seconds, a throwaway
PostgreSQL database) in every test run, and fails when a page answers an error, when a query count moves between
its two sizes, or when the script itself breaks (a model changed under its bulk SQL, say). The full runs stay
manual (``make bench``, ``make bench-scale``; docs/benchmarks.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import models

from certportal.accounts.models import User

from .. import migrated_db
from ..conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "bench").glob("bench_*.py"))
sys.path.insert(0, str(ROOT / "bench"))

from _db import admin_sql  # noqa: E402
from bench_credential_check import verdict as credential_verdict  # noqa: E402
from scale.counts import Counted  # noqa: E402
from scale.page import Page  # noqa: E402
from scale.report import Served, failures, near  # noqa: E402
from scale.rows import NoValue, default_sql, insert  # noqa: E402


@pytest.fixture
def migrated_template(django_db_setup, django_db_blocker):
    """A migrated database each tiny run copies (migrating takes longer than a tiny run): the template the tests'
    databases were copied from (tests/migrated_db.py), else one migrated here and dropped at the end."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run the benchmarks")
    with django_db_blocker.unblock():
        kept = migrated_db.kept_template(connection)
    if kept:
        yield kept
        return
    server = url.rsplit("/", 1)[0]
    name = f"cp_bench_template_{os.getpid()}"
    admin_sql(f"{server}/postgres", f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f"{server}/postgres", f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, "DATABASE_URL": f"{server}/{name}", "DJANGO_SETTINGS_MODULE": "certportal.settings.dev"}
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                       timeout=600)
        yield name
    finally:
        admin_sql(f"{server}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


AT_ONCE = 3  # they mostly wait on PostgreSQL, gunicorn and a Celery worker; more at once starves two cores


def _start(script: Path, env: dict, tmp_path: Path) -> tuple[subprocess.Popen, object]:
    out = (tmp_path / f"{script.stem}.log").open("w+")
    return subprocess.Popen([sys.executable, str(script), "--tiny"], cwd=ROOT, env=env, stdout=out,
                            stderr=subprocess.STDOUT, text=True), out


def _finish(proc: subprocess.Popen, out) -> str | None:
    """None when the run passed, else its exit and the end of its output."""
    try:
        code = proc.wait(timeout=600)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = "timeout"
    out.seek(0)
    text = out.read()
    return None if code == 0 and "FAILED" not in text else f"exit {code}\n{text[-5000:]}"


@pytest.mark.bench
def test_every_benchmark_runs_at_its_tiny_size(migrated_template, tmp_path):
    """Each script in bench/ at --tiny, a few at once."""
    env = {**os.environ, "BENCH_TEMPLATE_DATABASE": migrated_template}  # a Redis database nobody uses: the bench's
    env.pop("DJANGO_SETTINGS_MODULE", None)
    assert {p.name for p in SCRIPTS} >= {"bench_scale.py", "bench_applicants_queue.py", "bench_sla_sweep.py",
                                         "bench_assessments_pdf.py", "bench_assessment_file.py",
                                         "bench_written_test.py", "bench_register_import.py",
                                         "bench_credential_check.py", "bench_exports.py"}
    waiting, running, broken = list(SCRIPTS), {}, {}
    while waiting or running:
        while waiting and len(running) < AT_ONCE:
            script = waiting.pop(0)
            # each script running its own Redis database for its worker (two started at once would pick the same
            # free one)
            redis_db = min({"8", "9", "10"} - {db for _proc, _out, db in running.values()})
            running[script.name] = (*_start(script, {**env, "BENCH_REDIS_DB": redis_db}, tmp_path), redis_db)
        name = next(iter(running))
        proc, out, _db = running.pop(name)
        if (failure := _finish(proc, out)) is not None:
            broken[name] = failure
    assert not broken, "\n\n".join(f"== {name}: {text}" for name, text in broken.items())


def _postgresql_only() -> None:
    """The scale harness writes with PostgreSQL's COPY and SQL composition: on the embedded default it cannot run."""
    from django.db import connection

    from tests.conftest import require_service

    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run the scale harness's row tests")


@pytest.mark.django_db
def test_the_scale_rows_take_a_new_column_from_its_model():
    """The bulk SQL names every column of the model's table, each new one with the model's default: the users'
    daily digest (added after the benchmark was written) is given its default, unasked."""
    _postgresql_only()
    sql = insert(User, {"email": "'x@bench.go.id'", "full_name": "'X'", "password": "'!'"}, "generate_series(1, 2)")
    columns = sql.split("(", 1)[1].split(")", 1)[0].split(", ")
    assert "daily_digest" in columns
    assert set(columns) >= {f.column for f in User._meta.concrete_fields if not f.null and not f.primary_key}
    assert default_sql(User._meta.get_field("daily_digest")).startswith(("false::", "true::"))


@pytest.mark.django_db
def test_a_column_without_any_default_is_named():
    _postgresql_only()
    field = models.IntegerField()
    field.set_attributes_from_name("shoe_size")
    field.model = User
    with pytest.raises(NoValue, match=r"accounts\.User\.shoe_size .* NOT NULL and has no default"):
        default_sql(field)
    with pytest.raises(NoValue, match="has no column shoe_size"):
        insert(User, {"shoe_size": "42"}, "generate_series(1, 2)")


def test_the_scale_run_fails_on_an_error_page_and_on_a_count_that_grows():
    plan = [Page("queue", "verifier", lambda r: "/q/", "/q/?page=2"), Page("audit", "lsp_admin", lambda r: "/a/", "")]
    small = {"queue": Counted(5, 5, 200), "audit": Counted(7, 7, 200)}
    assert failures(plan, small, {"queue": Counted(5, 5, 200), "audit": Counted(7, 7, 200)}, {}) == []
    found = failures(plan, small, {"queue": Counted(6, 5, 200), "audit": Counted(7, 7, 500)}, {"audit": Served(3.0, 2)})
    assert found == ["queue: 5 queries at the smaller size, 6 at the larger", "audit: HTTP 500",
                     "audit: 2 error answers under gunicorn"]



def _paced() -> tuple[list[Page], dict[str, Counted]]:
    plan = [Page(label, "verifier", lambda r: "/p/", "") for label in ("bare", "queue", "audit", "recap")]
    plan.append(Page("dashboard, recomputed", "supervisor", lambda r: "/d/", "", diagnostic=True))
    return plan, {p.label: Counted(5, 5, 200) for p in plan}


def test_the_scale_run_fails_on_a_page_below_its_goal_and_not_on_a_diagnostic_one():
    """The verdict on measured figures: the queue at 0.6 of the bare list fails the run, measured once or as the
    median of its interleaved rounds (the audit's best round above the line does not save it); the recap at 0.75
    and the diagnostic page at 0.1 do not. The tiny CI run reports the slow page without failing on it."""
    plan, counts = _paced()
    served = {"bare": Served(100.0, cpu=0.005), "queue": Served(60.0, cpu=0.004), "audit": Served(90.0),
              "recap": Served(75.0), "dashboard, recomputed": Served(10.0, cpu=0.05)}
    assert failures(plan, counts, counts, served) == ["queue: pace 0.60 of the bare, below the goal 0.7"]
    served["audit"] = Served(90.0, rounds=(0.62, 0.55, 0.8, 0.66, 0.61), cpu_ratio=1.2)  # measured again
    assert failures(plan, counts, counts, served) == [
        "queue: pace 0.60 of the bare, below the goal 0.7",
        "audit: pace 0.62 of the bare, below the goal 0.7 (median of 5 interleaved rounds, 0.55–0.80)"]
    assert failures(plan, counts, counts, served, pace=False) == []
    served["queue"] = Served(60.0, rounds=(0.71, 0.74, 0.69, 0.72, 0.9))
    assert [line.split(":")[0] for line in failures(plan, counts, counts, served)] == ["audit"]


def test_the_credential_check_fails_on_its_pace_in_a_full_run_and_reports_it_at_its_tiny_size(capsys):
    """The wall-clock ratio of three rounds in a busy test run is noise (11.4 page views once, its CPU ratio 3.8):
    at --tiny it is printed; a full run, or --strict, fails on it. A check that is not valid, or that starts a
    process, fails every run."""
    times = {"page view": [(0.004, 0.004)] * 3, "check VC 1.1": [(0.02, 0.01)] * 3,
             "check VC 2.0": [(0.047, 0.014)] * 3}
    slow = "check VC 2.0 costs 11.8 page views (limit 10.0)"
    assert credential_verdict(times, ["valid"], [], limit=10.0, pace=True) == [slow]
    assert credential_verdict(times, ["valid"], [], limit=10.0, pace=False) == []
    assert f"reported; --strict fails on it): {slow}" in capsys.readouterr().out
    assert credential_verdict(times, ["valid", "invalid"], ["subprocess.Popen"], limit=10.0, pace=False) == [
        "verdicts ['invalid', 'valid'], not all valid", 'the checks started processes: ["subprocess.Popen"]']


def test_the_pages_near_the_line_are_measured_again_lowest_first_and_the_printout_shows_cpu_and_spread(capsys):
    from argparse import Namespace

    from scale.report import table

    plan, counts = _paced()
    served = {"bare": Served(100.0, cpu=0.005), "queue": Served(60.0, cpu=0.004), "audit": Served(90.0, cpu=0.01),
              "recap": Served(80.0, cpu=0.005), "dashboard, recomputed": Served(10.0, cpu=0.05)}
    assert [p.label for p in near(plan, served)] == ["queue", "recap"]  # 0.9 is clear of 0.7 + 0.15
    assert [p.label for p in near(plan, served, 1)] == ["queue"]
    served["queue"] = Served(60.0, cpu=0.004, rounds=(0.58, 0.61, 0.64, 0.6, 0.66), cpu_ratio=1.25)
    table(plan, counts, counts, served, Namespace(clients=1, rounds=1, seconds=1))
    rows = {line.split("  ")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert rows["queue"].split()[1:6] == ["60.0", "0.61", "0.58-0.66", "4.0", "1.25"]
    assert rows["queue"].endswith("MISS (pace)")
    assert rows["audit"].split()[1:5] == ["90.0", "0.90", "10.0", "0.50"] and rows["audit"].endswith("OK")
    assert "MISS" not in rows["dashboard, recomputed"]


# --- the plan check: real plans from PostgreSQL, on a trail of 3,001 entries with the planner's statistics ---------

TRAIL = {"audit_auditentry": 3001}  # "big" for these tests, with a big share at 1,000 rows
OLD_TYPES = ("SELECT id FROM django_content_type ct WHERE EXISTS (SELECT 1 FROM audit_auditentry a "
             "WHERE a.content_type_id = ct.id LIMIT 1) ORDER BY app_label, model")  # the object-type list before


@pytest.fixture
def trail(db):
    """3,000 entries of one type and one of another, analysed (in the test's transaction)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from certportal.audit.models import AuditEntry
    from complaints.models import Complaint

    _postgresql_only()
    ct = ContentType.objects.get_for_model(User)
    AuditEntry.objects.bulk_create(AuditEntry(actor_name="Petugas", content_type=ct, object_id=str(i),
                                              object_repr=f"Berkas {i}", action="test.thing.done") for i in range(3000))
    AuditEntry.objects.create(actor_name="Petugas", content_type=ContentType.objects.get_for_model(Complaint),
                              object_id="1", object_repr="Aduan", action="test.thing.done")
    with connection.cursor() as c:
        c.execute("ANALYZE audit_auditentry")


def _reads(sql: str, **planner: bool) -> list[tuple[str, str]]:
    """What the check finds in the plan PostgreSQL gives ``sql``, with the planner's methods switched as asked
    (``seqscan=False``: the index paths the planner takes on a table too big to read whole)."""
    from django.db import connection
    from scale.plans import big_reads

    with connection.cursor() as c:
        for method, on in planner.items():
            c.execute(f"SET enable_{method} = {'on' if on else 'off'}")
        try:
            c.execute("EXPLAIN " + sql)
            text = "\n".join(row[0] for row in c.fetchall())
            c.execute("EXPLAIN (FORMAT JSON) " + sql)
            found = c.fetchone()[0]
        finally:
            c.execute("RESET ALL")
    plan = json.loads(found) if isinstance(found, str) else found
    print(text)  # shown when an assertion fails
    return big_reads(plan[0], TRAIL, 1000)


def test_the_plan_check_flags_the_whole_index_read_that_the_seq_scan_check_missed(trail):
    """The audit filter's object types at the national size: the planner read and grouped the whole index of
    the trail instead of probing it per type (docs/benchmarks.md). No Seq Scan in that plan; now flagged. The
    skip scan that replaced it is not, whatever the planner would rather do."""
    from certportal.audit.filters import AuditFilter

    found = _reads(OLD_TYPES, seqscan=False, nestloop=False)
    assert [table for table, _ in found] == ["audit_auditentry"]
    assert found[0][1].startswith(("Index Only Scan using", "Index Scan using", "Bitmap Heap Scan of"))
    assert found[0][1].endswith("no index condition") and "Seq Scan" not in found[0][1]
    types, params = AuditFilter().filters["content_type"].queryset.query.sql_with_params()  # what the form runs
    assert params == ()
    assert _reads(types, seqscan=False, nestloop=False) == []
    assert _reads(types) == []


def test_a_limit_stops_an_index_walk_but_not_through_a_sort(trail):
    first_50 = "SELECT id FROM audit_auditentry ORDER BY created_at DESC, id DESC"
    assert _reads(first_50 + " LIMIT 50", seqscan=False) == []  # the bare page's and the queue's plan
    capped = ("SELECT count(*) FROM (SELECT id FROM audit_auditentry ORDER BY created_at DESC, id DESC LIMIT 1001) "
              "capped")
    assert _reads(capped, seqscan=False) == []  # a capped count
    whole = _reads(first_50, seqscan=False)
    assert len(whole) == 1 and whole[0][1].endswith("no index condition")
    sorted_first = _reads("SELECT content_type_id FROM audit_auditentry ORDER BY content_type_id + 0 LIMIT 50",
                          seqscan=False, bitmapscan=False)  # a Sort reads all it sorts, under any Limit
    assert len(sorted_first) == 1 and sorted_first[0][1].startswith("Index")
    assert sorted_first[0][1].endswith("no index condition")


def test_a_big_share_by_an_index_condition_is_flagged_and_a_small_range_is_not(trail):
    found = _reads("SELECT id FROM audit_auditentry WHERE created_at > '2000-01-01'", seqscan=False)
    assert len(found) == 1 and found[0][1].endswith("3,001 rows estimated")
    assert _reads("SELECT id FROM audit_auditentry WHERE object_id = '5'", seqscan=False) == []


def test_a_semi_join_stops_at_the_first_match_a_join_reads_every_match(trail):
    assert _reads(OLD_TYPES, seqscan=False) == []  # a probe per type, each stopping at its first entry
    joined = _reads("SELECT a.id FROM django_content_type ct JOIN audit_auditentry a ON a.content_type_id = ct.id "
                    "WHERE ct.app_label = 'accounts'", seqscan=False, hashjoin=False, mergejoin=False)
    assert len(joined) == 1 and joined[0][1].endswith("1,500 rows estimated")  # every entry of each type


def test_a_seq_scan_of_a_big_table_is_flagged_under_a_limit_too(trail):
    assert _reads("SELECT id FROM audit_auditentry WHERE note LIKE '%x%' LIMIT 50") == [("audit_auditentry",
                                                                                          "Seq Scan")]


def test_the_printout_names_a_big_read_in_the_verdict_and_shows_that_querys_plan(capsys):
    from argparse import Namespace

    from scale.report import plans, table

    plan = [Page("bare", "verifier", lambda r: "/b/", ""), Page("audit", "lsp_admin", lambda r: "/a/", "")]
    audit = Counted(7, 7, 200, "SELECT page", ["Limit", "  ->  Index Scan using x"],
                    reads=["audit_auditentry: Index Only Scan using ct_idx, no index condition"],
                    flagged=[("SELECT types", ["HashAggregate", "  ->  Index Only Scan using ct_idx"])])
    big = {"bare": Counted(5, 5, 200), "audit": audit}
    table(plan, big, big, {"bare": Served(100.0), "audit": Served(90.0)}, Namespace(clients=1, rounds=1, seconds=1))
    plans(plan, big)
    out = capsys.readouterr().out
    assert "MISS (big read: audit_auditentry: Index Only Scan using ct_idx, no index condition)" in out
    assert "[audit]  BIG READ: audit_auditentry: Index Only Scan using ct_idx, no index condition" in out
    assert "  SELECT types\n    HashAggregate\n      ->  Index Only Scan using ct_idx" in out
