# ruff: noqa: S608 - the SQL is built from this script's own constants and integers, never from input
"""Benchmark: every staff page (and the two public ones) at the scale of a province and beyond (issue 17).

    .venv/bin/python bench/bench_scale.py            # 1,000,000 applications, 10,000,000 audit rows,
                                                     # 100,000 open SLA clocks of which 30,000 breached
    .venv/bin/python bench/bench_scale.py --small    # the same at 1/20 (a quick check, a few minutes)
    make bench-scale                                 # the full run

Data are generated in bulk on PostgreSQL (``INSERT ... SELECT generate_series``; minutes, not hours) in a
database of their own (``cp_scale_bench`` on the server of DATABASE_URL, created when missing and KEPT, so a
second run with the same sizes measures at once; ``--fresh`` drops it first). Generation runs in two steps: a
tenth of every size first, where each page's query count is taken, then the rest, where it is taken again: a
count that does not move from one size to the other does not grow with the data. Each page also has a second
query count on a page whose rows differ (page 2, another filter): the page size does not matter either.

Throughput: gunicorn with two sync workers, ``--clients`` keep-alive clients, rounds that alternate the pages
so that other load on the machine hits all alike; each page's figure is its median over the rounds, divided by
the median of the BARE page measured in the same rounds: a textbook Django ``ListView`` of 50 rows of a
100,000-row table (the users), behind the same middleware and login. Goal: >= 0.7 for every page.
Searches use a new term on every request (a name, a NIP prefix, a person, an object, a week).
The public verification page's rate limit (30 look-ups a minute per address) is lifted for the run: it would
answer 429 to the benchmark's single address, and the page, not the limit, is what is measured.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "cp_scale_bench"

BENCH_URLS = '''
from django.contrib.auth import get_user_model
from django.template import engines
from django.urls import path
from django.views.generic import ListView

from certportal.urls import urlpatterns as portal

TEMPLATE = engines["django"].from_string(
    "<!DOCTYPE html><html><body><table>{% for u in object_list %}<tr><td>{{ u.pk }}</td><td>{{ u.full_name }}"
    "</td><td>{{ u.email }}</td><td>{{ u.date_joined|date }}</td></tr>"
    "{% endfor %}</table><p>{{ page_obj.number }} / {{ paginator.num_pages }}</p></body></html>")


class Bare(ListView):
    """The textbook Django list: a model, an ordering, 50 per page, a plain template (no layout, no menus)."""

    paginate_by = 50

    def get_queryset(self):
        return get_user_model().objects.order_by("-id")

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
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
'''

FIRST = ["Siti", "Budi", "Andi", "Dewi", "Rina", "Agus", "Sri", "Eko", "Nur", "Putri", "Rudi", "Wati", "Yanti",
         "Hendra", "Fajar", "Intan", "Joko", "Kartika", "Lestari", "Made", "Nyoman", "Ketut", "Wayan", "Bayu",
         "Citra", "Dian", "Fitri", "Gilang", "Hadi", "Indah", "Yusuf", "Rahmat", "Taufik", "Wulan", "Yogi",
         "Zainal", "Arif", "Bambang", "Cahya", "Dimas"]
LAST = ["Aminah", "Santoso", "Wijaya", "Lestari", "Saputra", "Hidayat", "Kusuma", "Pratama", "Nugroho",
        "Setiawan", "Rahmawati", "Siregar", "Nasution", "Simanjuntak", "Harahap", "Lubis", "Putra", "Sari",
        "Utami", "Purnama", "Gunawan", "Halim", "Irawan", "Jaya", "Kurniawan", "Mahendra", "Permana", "Ramadhan",
        "Suharto", "Tanjung", "Wibowo", "Yulianti", "Zulkarnain", "Effendi", "Fauzi", "Hakim", "Iskandar",
        "Maulana", "Rusdi", "Syahputra"]
UNITS = [f"{kind} {name}" for kind in ("Dinas", "Badan", "Biro") for name in (
    "Kesehatan", "Pendidikan", "Sosial", "Perhubungan", "Pariwisata", "Kominfo", "Pertanian", "Perindustrian",
    "Kelautan", "Umum", "Keuangan", "Kepegawaian", "Perencanaan", "Lingkungan Hidup")]
# Statuses of the applications, 100 slots in realistic proportions (half handed over, 16 % in the queue's work).
WEIGHTS = {"submitted": 4, "returned": 2, "resubmitted": 2, "complete": 6, "verified": 4, "participant": 6,
           "scheduled": 4, "assessed": 2, "competent": 2, "certified": 4, "handed_over": 44, "not_yet_competent": 3,
           "rejected": 2, "withdrawn": 3, "appealed": 2, "draft": 10}
SLOTS = [s for s, w in WEIGHTS.items() for _ in range(w)]
OPEN_WORK = ("submitted", "resubmitted", "complete", "verified")
STAFF = 200  # people who act (and so write the audit trail)
SCHEMES = 60


def nip_of(user: int) -> str:
    """The NIP the SQL below gives applicant ``user`` (kept in one place so searches can aim at real ones)."""
    return "19" + str((user * 2654435761) % 10**16).zfill(16)


def code_of(certificate: int) -> str:
    return hashlib.md5(f"c{certificate}".encode(), usedforsecurity=False).hexdigest()[:16].upper()


class Sizes:
    def __init__(self, applications: int, audit: int, clocks: int, breached: int) -> None:
        self.applications, self.audit, self.clocks, self.breached = applications, audit, clocks, breached
        self.users = max(applications // 10, 2000)  # the bare page's table: 100,000 rows at full size
        self.certificates = applications // 5
        self.complaints = max(applications // 50, 500)
        self.surveys = max(applications // 20, 500)
        self.appeals = max(applications // 500, 50)

    def part(self, fraction: float) -> Sizes:
        return Sizes(int(self.applications * fraction), int(self.audit * fraction), int(self.clocks * fraction),
                     int(self.breached * fraction))

    def __str__(self) -> str:
        return (f"{self.applications:,} applications, {self.audit:,} audit rows, {self.clocks:,} open clocks "
                f"({self.breached:,} breached), {self.users:,} users, {self.certificates:,} certificates, "
                f"{self.complaints:,} complaints, {self.surveys:,} survey answers")


# --- the data -------------------------------------------------------------------------------------------


def setup_reference() -> dict:
    """Migrate; staff with every role, schemes, test sites (few rows: the ORM). Returns ids the SQL needs."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.utils import timezone

    from applicants.models import Application
    from certportal.accounts.models import Role, User, UserRole
    from certportal.sla.models import SlaPolicy
    from schemes.models import Scheme, TestSite

    call_command("migrate", verbosity=0)
    if not User.objects.filter(email="bench.verifier@bench.go.id").exists():
        now = timezone.now()
        for role in Role.values:
            user = User.objects.create_user(f"bench.{role}@bench.go.id".replace("_", "-"), "x",
                                            full_name=f"Bench {role}", email_verified_at=now)
            UserRole.objects.create(user=user, role=role)
        staff = User.objects.bulk_create(User(email=f"petugas{i}@bench.go.id", full_name=f"Petugas {i:03d} "
                                              f"{LAST[i % len(LAST)]}", password="!") for i in range(STAFF))
        UserRole.objects.bulk_create(UserRole(user=u, role=Role.VERIFIER) for u in staff)
        for i in range(SCHEMES):
            Scheme.objects.create(code=f"SS-{i:02d}/BENCH/2026", name=f"Skema Okupasi {LAST[i % len(LAST)]} {i}",
                                  kind="occupation", is_published=True)
        for i in range(10):
            TestSite.objects.create(registration_number=f"TUK-{i:03d}", name=f"TUK Bench {i}", address="Jl. Bench")
    return {
        "staff": list(User.objects.filter(email__startswith="petugas").order_by("pk").values_list("pk", flat=True)),
        "schemes": list(Scheme.objects.order_by("pk").values_list("pk", flat=True)),
        "sites": list(TestSite.objects.order_by("pk").values_list("pk", flat=True)),
        "app_ct": ContentType.objects.get_for_model(Application).pk,
        "policy": SlaPolicy.objects.get(code="certification").pk,
    }


def _count(cursor, table: str, where: str = "") -> int:
    cursor.execute(f"SELECT count(*) FROM {table} {where}")  # noqa: S608 - fixed names
    return cursor.fetchone()[0]


def _arr(values) -> str:
    return "(ARRAY[" + ",".join("'" + str(v).replace("'", "''") + "'" for v in values) + "])"


def generate(sizes: Sizes, ref: dict, log: Callable[[str], None]) -> None:
    """Top every table up to ``sizes`` (ids continue where the last run stopped): set-based SQL only."""
    from django.db import connection

    u0 = 100_000_000  # applicant user ids start here: clear of the staff's
    first, last, units, slots = _arr(FIRST), _arr(LAST), _arr(UNITS), _arr(SLOTS)
    schemes, staff, sites = (f"ARRAY{ref[k]}::bigint[]" for k in ("schemes", "staff", "sites"))
    ct, policy = ref["app_ct"], ref["policy"]
    name_sql = f"{first}[1 + (u % {len(FIRST)})] || ' ' || {last}[1 + ((u / {len(FIRST)}) % {len(LAST)})]"
    nip_sql = "'19' || lpad(((u::bigint * 2654435761) % 10000000000000000)::text, 16, '0')"
    with connection.cursor() as c:
        have = _count(c, "accounts_user", f"WHERE id >= {u0}")
        if have < sizes.users:
            t = time.monotonic()
            c.execute(f"""
                INSERT INTO accounts_user (id, password, is_superuser, email, full_name, phone, preferred_language,
                                           is_active, is_staff, date_joined)
                SELECT {u0} + u, '!', false, 'pemohon' || u || '@bench.go.id', {name_sql}, '', 'id', true, false,
                       now() - (u % 900) * interval '1 day'
                FROM generate_series({have}, {sizes.users - 1}) u""")
            log(f"users +{sizes.users - have:,} in {time.monotonic() - t:.0f} s")
        have = _count(c, "applicants_application")
        if have < sizes.applications:
            t = time.monotonic()
            c.execute(f"""
                INSERT INTO applicants_application (id, status, purpose, experienced, created_at, updated_at,
                    submitted_at, completed_at, applicant_id, scheme_id, applicant_name, naming_reference, nip,
                    org_unit, profile_data, purpose_other, status_reason)
                SELECT g, s, 'certification', true, ts, ts, CASE WHEN s = 'draft' THEN NULL ELSE ts END,
                       CASE WHEN s IN ('draft', 'submitted', 'returned', 'resubmitted') THEN NULL ELSE ts END,
                       {u0} + u, ({schemes})[1 + g % {len(ref['schemes'])}], {name_sql}, '', {nip_sql},
                       {units}[1 + (u / 7) % {len(UNITS)}], '{{}}'::jsonb, '', ''
                FROM (SELECT g, g % {sizes.users} AS u, ({slots})[1 + (g * 31) % 100] AS s,
                             now() - ((g * 7919) % 700) * interval '1 day' - (g % 1440) * interval '1 minute' AS ts
                      FROM generate_series({have + 1}::bigint, {sizes.applications}) g) x""")
            c.execute("SELECT setval(pg_get_serial_sequence('applicants_application', 'id'), "
                      "(SELECT max(id) FROM applicants_application))")
            log(f"applications +{sizes.applications - have:,} in {time.monotonic() - t:.0f} s")
        _clocks(c, sizes, ct, policy, log)
        _audit(c, sizes, ct, staff, log)
        _assessments(c, sizes, sites, staff, log)
        _complaints(c, sizes, name_sql, log)
        t = time.monotonic()
        c.execute("VACUUM ANALYZE")
        log(f"vacuum analyze in {time.monotonic() - t:.0f} s")


def _clocks(c, sizes: Sizes, ct: int, policy: int, log) -> None:
    have = _count(c, "sla_clock", "WHERE outcome = 'open'")
    breached = _count(c, "sla_clock", "WHERE outcome = 'open' AND limit_due < current_date")
    need, need_breached = sizes.clocks - have, max(sizes.breached - breached, 0)
    if need <= 0:
        return
    t = time.monotonic()
    # The first ``need_breached`` new clocks ran past their limit; the others are spread around today.
    c.execute(f"""
        INSERT INTO sla_clock (object_id, target_days, limit_days, started_at, start_date, target_due, limit_due,
                               paused_working_days, outcome, content_type_id, policy_id)
        SELECT id, 14, 30, lim - 42, (lim - 42)::date, lim - 16, lim, 0, 'open', {ct}, {policy}
        FROM (SELECT a.id, CASE WHEN row_number() OVER (ORDER BY a.id) <= {need_breached}
                                THEN current_date - 1 - (a.id % 60)::int
                                ELSE current_date + 16 - 5 + (a.id % 40)::int END AS lim
              FROM applicants_application a
              WHERE a.status IN {OPEN_WORK} AND NOT EXISTS (
                  SELECT 1 FROM sla_clock k WHERE k.content_type_id = {ct} AND k.object_id = a.id)
              ORDER BY a.id LIMIT {need}) x""")
    c.execute(f"""UPDATE applicants_application a SET deadline = k.target_due FROM sla_clock k
                  WHERE k.content_type_id = {ct} AND k.object_id = a.id AND k.outcome = 'open'
                  AND a.deadline IS NULL""")
    log(f"open clocks +{need:,} ({need_breached:,} breached) in {time.monotonic() - t:.0f} s")


def _audit(c, sizes: Sizes, ct: int, staff: str, log) -> None:
    c.execute("SELECT coalesce(max(id), 0) FROM audit_auditentry")
    have = c.fetchone()[0]
    step = 2_000_000
    t = time.monotonic()
    for lo in range(have + 1, sizes.audit + 1, step):
        hi = min(lo + step - 1, sizes.audit)
        c.execute(f"""
            INSERT INTO audit_auditentry (id, created_at, actor_name, object_id, object_repr, action, from_state,
                                          to_state, note, actor_id, content_type_id)
            SELECT g, now() - (g % 1051200) * interval '1 minute', 'Petugas ' || lpad((g % {STAFF})::text, 3, '0'),
                   oid::text, 'Permohonan #' || oid, 'applicants.application.verified', 'complete', 'verified', '',
                   ({staff})[1 + g % {STAFF}], {ct}
            FROM (SELECT g, 1 + (g * 7) % {sizes.applications} AS oid FROM generate_series({lo}::bigint, {hi}) g) x""")
        log(f"  audit rows to {hi:,} ({time.monotonic() - t:.0f} s)")
    if sizes.audit > have:
        c.execute("SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'), "
                  "(SELECT max(id) FROM audit_auditentry))")


def _assessments(c, sizes: Sizes, sites: str, staff: str, log) -> None:
    have = _count(c, "assessments_certificate")
    if have >= sizes.certificates:
        return
    t = time.monotonic()
    c.execute(f"""
        WITH apps AS (
            SELECT a.id, a.scheme_id, a.applicant_name, a.nip, a.org_unit, a.submitted_at
            FROM applicants_application a
            WHERE a.status = 'handed_over' AND NOT EXISTS (
                SELECT 1 FROM assessments_participant p WHERE p.application_id = a.id)
            ORDER BY a.id LIMIT {sizes.certificates - have}),
        events AS (
            INSERT INTO assessments_event (starts_at, place_note, status, minutes, created_at, scheme_id,
                                           test_site_id)
            SELECT min(submitted_at) + interval '30 days', 'bench ' || (id / 2000), 'archived', '', min(submitted_at),
                   scheme_id, ({sites})[1 + (min(id) % 10)]
            FROM apps GROUP BY scheme_id, id / 2000
            RETURNING id, scheme_id, place_note),
        parts AS (
            INSERT INTO assessments_participant (recommendation, decision, decision_note, decided_at,
                                                 application_id, event_id, attended, decided_by_id)
            SELECT 'K', 'K', '', apps.submitted_at + interval '31 days', apps.id, events.id,
                   true, ({staff})[1 + apps.id % {STAFF}]
            FROM apps JOIN events ON events.scheme_id = apps.scheme_id
                                 AND events.place_note = 'bench ' || (apps.id / 2000)
            RETURNING id, application_id)
        INSERT INTO assessments_certificate (number, year, sequence, verification_code, issued_on, expires_on,
            status, status_reason, holder_name, holder_nip, holder_unit, scheme_code, scheme_name, snapshot,
            created_at, application_id, participant_id)
        SELECT 'BENCH/' || parts.id, 2026, parts.id, upper(substr(md5('c' || parts.id), 1, 16)),
               (apps.submitted_at + interval '40 days')::date, (apps.submitted_at + interval '1865 days')::date,
               'issued', '', apps.applicant_name, apps.nip, apps.org_unit, s.code, s.name, '{{}}'::jsonb,
               apps.submitted_at + interval '40 days', apps.id, parts.id
        FROM parts JOIN apps ON apps.id = parts.application_id JOIN schemes_scheme s ON s.id = apps.scheme_id""")
    c.execute(f"""
        INSERT INTO assessments_appeal (grounds, discussed_with_assessor, filed_at, status, outcome, outcome_note,
                                        participant_id)
        SELECT 'Keberatan atas keputusan', false, now() - (id % 300) * interval '1 day',
               CASE WHEN id % 3 = 0 THEN 'filed' ELSE 'decided' END, CASE WHEN id % 3 = 0 THEN '' ELSE 'dismissed'
               END, '', id
        FROM assessments_participant p WHERE NOT EXISTS (SELECT 1 FROM assessments_appeal x
                                                         WHERE x.participant_id = p.id)
        ORDER BY id LIMIT greatest({sizes.appeals} - (SELECT count(*) FROM assessments_appeal), 0)""")
    log(f"certificates +{sizes.certificates - have:,} (with events, participants, appeals) "
        f"in {time.monotonic() - t:.0f} s")


def _complaints(c, sizes: Sizes, name_sql: str, log) -> None:
    have = _count(c, "complaints_complaint")
    t = time.monotonic()
    if have < sizes.complaints:
        statuses = _arr(["received", "classified", "in_analysis", "routed", "answered", "closed", "closed",
                         "closed"])
        c.execute(f"""
            INSERT INTO complaints_complaint (tracking_number, secret, status, kind, rule, channel, received_at,
                name, email, phone, phone_key, language, object_text, reference, scheme_code, message, service,
                component, core_problem, standard_concerned, earlier_records, planned_handling, findings, route,
                route_detail, apip_approval_note, answer, superior_report)
            SELECT 'ADU-BENCH-' || u, md5('s' || u), {statuses}[1 + u % 8], 'complaint', 'complaint', 'web',
                   now() - (u % 700) * interval '1 day', {name_sql}, '', '', '', 'id', 'Layanan sertifikasi', '',
                   '', 'Berkas saya belum diverifikasi.', 'application', 'time', '', '', '', '', '', '', '', '',
                   '', ''
            FROM generate_series({have}, {sizes.complaints - 1}) u""")
    have = _count(c, "complaints_surveyresponse")
    if have < sizes.surveys:
        c.execute(f"""
            INSERT INTO complaints_surveyresponse (source, answered_on, scheme_code, u1, u2, u3, u4, u5, u6, u7, u8,
                                                   u9, comment, created_at)
            SELECT 'online', current_date - (g % 700), '', 1 + g % 4, 1 + (g / 3) % 4, 2 + g % 3, 3 + g % 2,
                   1 + (g / 5) % 4, 4, 3, 2 + (g / 7) % 3, 1 + g % 4, '', now() - (g % 700) * interval '1 day'
            FROM generate_series({have}, {sizes.surveys - 1}) g""")
    log(f"complaints and survey answers topped up in {time.monotonic() - t:.0f} s")


# --- the pages ------------------------------------------------------------------------------------------


def pages(sizes: Sizes, ref: dict) -> list[tuple[str, str, Callable[[random.Random], str], str]]:
    """(label, role, path maker, path of the query-count comparison page). Searches draw a new term each time."""
    today = datetime.date.today()

    def week(r: random.Random) -> str:
        start = today - datetime.timedelta(days=r.randint(7, 700))
        return f"date_from={start}&date_to={start + datetime.timedelta(days=6)}"

    def name(r: random.Random) -> str:
        return f"{r.choice(FIRST)}+{r.choice(LAST)[:r.randint(3, 6)]}"

    def nip(r: random.Random) -> str:
        return nip_of(r.randrange(sizes.users))[: r.randint(8, 12)]

    def cert(r: random.Random) -> str:  # certificates of the first tenth: found at both sizes
        return code_of(r.randint(1, max(sizes.certificates // 10, 1)))

    scheme = ref["schemes"][3]
    q = "/permohonan/antrian/"
    return [
        ("bare list (50 of 100k users)", "verifier", lambda r: "/bench/bare/", "/bench/bare/?page=2"),
        ("queue", "verifier", lambda r: q, q + "?page=2"),
        ("queue ?status", "verifier", lambda r: q + "?status=complete", q + "?status=verified"),
        ("queue ?scheme", "verifier", lambda r: f"{q}?scheme={r.choice(ref['schemes'])}", f"{q}?scheme={scheme}"),
        ("queue ?unit", "verifier", lambda r: f"{q}?unit={r.choice(UNITS).split()[1][:5]}", q + "?unit=Dinas"),
        ("queue ?deadline=due_soon", "verifier", lambda r: q + "?deadline=due_soon", q + "?deadline=due_soon&page=2"),
        ("queue ?deadline=overdue", "verifier", lambda r: q + "?deadline=overdue", q + "?deadline=overdue&page=2"),
        ("queue ?deadline=on_track", "verifier", lambda r: q + "?deadline=on_track", q + "?deadline=on_track&page=2"),
        ("queue search name (new term)", "verifier", lambda r: f"{q}?q={name(r)}", q + "?q=Siti"),
        ("queue search NIP (new term)", "verifier", lambda r: f"{q}?q={nip(r)}", q + "?q=1900"),
        ("queue deadline + name", "verifier", lambda r: f"{q}?deadline=on_track&q={name(r)}", q + "?deadline=overdue&q=Siti"),
        ("recap per unit", "verifier", lambda r: "/permohonan/rekap-unit/", f"/permohonan/rekap-unit/?scheme={scheme}"),
        ("recap per unit, one scheme", "verifier", lambda r: f"/permohonan/rekap-unit/?scheme={r.choice(ref['schemes'])}",
         "/permohonan/rekap-unit/"),
        ("LSP certificates", "lsp_admin", lambda r: "/asesmen/sertifikat/", "/asesmen/sertifikat/?page=2"),
        ("LSP test events", "lsp_admin", lambda r: "/asesmen/", "/asesmen/?page=2"),
        ("LSP appeal decisions", "lsp_admin", lambda r: "/asesmen/banding/", "/asesmen/banding/?page=2"),
        ("complaint list", "supervisor", lambda r: "/pengaduan/daftar/", "/pengaduan/daftar/?page=2"),
        ("complaint reports", "supervisor", lambda r: "/pengaduan/laporan/", "/pengaduan/laporan/?page=2"),
        ("IKM (survey index)", "supervisor", lambda r: "/pengaduan/ikm/", "/pengaduan/ikm/?page=2"),
        ("audit search by person", "lsp_admin", lambda r: f"/audit/?person=Petugas+{r.randrange(STAFF):03d}",
         "/audit/?person=Petugas+017"),
        ("audit search by object", "lsp_admin", lambda r: f"/audit/?obj={r.randint(1, sizes.applications)}",
         "/audit/?obj=12345"),
        ("audit search by week", "lsp_admin", lambda r: f"/audit/?{week(r)}",
         "/audit/?date_from=2026-01-05&date_to=2026-01-11"),
        ("SLA dashboard", "supervisor", lambda r: "/tenggat/", "/tenggat/?months=3"),
        ("public catalogue", "", lambda r: "/skema/", "/skema/?page=2"),
        ("public verification (new code)", "", lambda r: f"/asesmen/verifikasi/{cert(r)}/", "/asesmen/verifikasi/X/"),
    ]


def sessions() -> dict[str, str]:
    """A logged-in session per role (cookie value), made directly in the session store."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from certportal.accounts.models import User

    found = {"": ""}
    for role in ("verifier", "lsp_admin", "supervisor"):
        user = User.objects.get(email=f"bench.{role.replace('_', '-')}@bench.go.id")
        s = SessionStore()
        s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.save()
        found[role] = s.session_key
    return found


def query_counts(plan, cookies: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """Per page: (queries, queries on the comparison page, status) through Django's test client, in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = {}
    r = random.Random(1)
    for label, role, make, other in plan:
        client = Client()
        if cookies[role]:
            client.cookies["sessionid"] = cookies[role]
        counts, status = [], 0
        slowest = ("", 0.0)
        for path in (make(r), other):
            client.get(path)  # the first request of a path warms per-process caches (content types, calendar)
            with CaptureQueriesContext(connection) as ctx:
                t = time.monotonic()
                response = client.get(path)
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
                ms = (time.monotonic() - t) * 1000
            counts.append(len(ctx.captured_queries))
            status = status or response.status_code
            if ms > slowest[1]:
                top = max(ctx.captured_queries, key=lambda q: float(q["time"]), default={"sql": "", "time": 0})
                slowest = (f"{path} {ms:.0f} ms, slowest query {float(top['time']) * 1000:.0f} ms: "
                           f"{top['sql'][:300]}", ms)
        found[label] = (counts[0], counts[1], status)
        if os.environ.get("BENCH_EXPLAIN"):
            print(f"[{label}] {slowest[0]}", flush=True)
    return found


def saved_counts(tenth: Sizes, plan, cookies) -> dict[str, tuple[int, int, int]]:
    """Query counts at a tenth of the data: measured when the data is that size (then kept in the database, so a
    later run on the full data still compares with them)."""
    import json

    from django.db import connection

    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS bench_scale_counts (applications bigint PRIMARY KEY, counts text)")
        c.execute("SELECT counts FROM bench_scale_counts WHERE applications = %s", [tenth.applications])
        row = c.fetchone()
        if row:
            return {k: tuple(v) for k, v in json.loads(row[0]).items()}
        c.execute("SELECT count(*) FROM applicants_application")
        if c.fetchone()[0] > tenth.applications:
            print("(the database holds more than a tenth already and no counts were kept: use --fresh)")
            return {}
        counts = query_counts(plan, cookies)
        c.execute("INSERT INTO bench_scale_counts VALUES (%s, %s)", [tenth.applications, json.dumps(counts)])
        return counts


def hammer(port: int, make: Callable[[random.Random], str], cookie: str, seconds: float,
           clients: int) -> tuple[float, int]:
    """Requests per second over ``seconds`` with ``clients`` keep-alive connections (and the error count)."""
    done, errors = [0] * clients, [0] * clients
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        rng = random.Random(n * 7919 + int(time.monotonic() * 1000))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        while time.monotonic() < stop:
            conn.request("GET", make(rng), headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status not in (200, 404):  # a verification code that exists on no certificate: 404
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


def _wait(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def measure(plan, cookies, env, args) -> dict[str, tuple[float, int]]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "certportal.wsgi:application", "--workers", "2", "--timeout", "120",
                               "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        _wait(args.port)
        for _label, role, make, _other in plan:  # warm both workers on every page
            hammer(args.port, make, cookies[role], 0.5, 2)
        runs: dict[str, list] = {label: [] for label, *_ in plan}
        for _round in range(args.rounds):
            for label, role, make, _other in plan:
                runs[label].append(hammer(args.port, make, cookies[role], args.seconds, args.clients))
        return {label: (statistics.median(r for r, _e in rs), sum(e for _r, e in rs)) for label, rs in runs.items()}
    finally:
        server.terminate()
        server.wait(20)


def database(args) -> str:
    import psycopg2

    server = os.environ.get("BENCH_DATABASE_SERVER", DEFAULT_SERVER)
    admin = psycopg2.connect(f"{server}/postgres", connect_timeout=5)
    admin.autocommit = True
    try:
        cursor = admin.cursor()
        if args.fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{args.db}"')
    finally:
        admin.close()
    return f"{server}/{args.db}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--audit", type=int, default=10_000_000)
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--breached", type=int, default=30_000)
    parser.add_argument("--small", action="store_true", help="every size divided by 20")
    parser.add_argument("--seconds", type=float, default=2.0, help="per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--db", default=DB_NAME)
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database first")
    parser.add_argument("--generate-only", action="store_true", help="build the data, measure nothing")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    args = parser.parse_args()
    divide = 20 if args.small else 1
    sizes = Sizes(args.applications // divide, args.audit // divide, args.clocks // divide, args.breached // divide)

    work = Path(tempfile.mkdtemp())
    (work / "bench_urls.py").write_text(BENCH_URLS)
    (work / "bench_settings.py").write_text(BENCH_SETTINGS)
    env = {**os.environ, "DATABASE_URL": database(args), "DJANGO_SETTINGS_MODULE": "bench_settings",
           "DEBUG": "false", "PYTHONPATH": f"{work}{os.pathsep}{ROOT}", "REDIS_URL": "", "CELERY_BROKER_URL": "",
           "PRIVATE_MEDIA_ROOT": str(work / "private"), "CONN_MAX_AGE": "600",
           "ASSESSMENT_VERIFY_PER_MINUTE": "1000000000"}
    os.environ.update(env)
    sys.path.insert(0, str(work))
    import django

    django.setup()

    def log(text: str) -> None:
        print(text, flush=True)

    ref = setup_reference()
    cookies = sessions()
    plan = [p for p in pages(sizes, ref) if not args.only or args.only in p[0] or p[0].startswith("bare")]
    t0 = time.monotonic()
    tenth = sizes.part(0.1)
    generate(tenth, ref, log)
    small_counts = saved_counts(tenth, plan, cookies)
    generate(sizes, ref, log)
    log(f"data: {sizes} (generated in {time.monotonic() - t0:.0f} s)")
    if args.generate_only:
        return
    big_counts = query_counts(plan, cookies)
    results = measure(plan, cookies, env, args)
    base = results[plan[0][0]][0]
    print(f"\ngunicorn 2 sync workers, {args.clients} keep-alive clients, {args.rounds} alternating rounds of "
          f"{args.seconds:.0f} s per page (median req/s); queries at 1/10 of the data, at full size, and on a "
          f"second page of the same list (another page or filter)")
    print(f"{'page':<34}{'req/s':>8}{'ratio':>7}{'errors':>7}{'q@1/10':>8}{'q@full':>8}{'q@other':>8}  verdict")
    for label, (rps, errors) in results.items():
        q_small, _o, _s = small_counts.get(label, (-1, -1, 0))
        q_big, q_other, status = big_counts[label]
        ok = rps / base >= 0.7 and q_small == q_big and not errors
        verdict = "OK" if ok else "MISS" + (" (queries grow)" if q_small != q_big else "") + (
            f" (HTTP {status})" if status not in (200, 404) else "")
        print(f"{label:<34}{rps:>8.1f}{rps / base:>7.2f}{errors:>7}{q_small:>8}{q_big:>8}{q_other:>8}  {verdict}")


if __name__ == "__main__":
    main()
