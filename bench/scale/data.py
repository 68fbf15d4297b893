# ruff: noqa: S608 - the SQL is built from this package's own constants and integers, never from input
"""The scale benchmark's data: reference rows through the ORM, then every big table topped up in bulk SQL
(``INSERT … SELECT generate_series``) whose rows the models themselves complete (:mod:`scale.rows`)."""

from __future__ import annotations

import time
from collections.abc import Callable

from _db import migrate

from scale import desks, homes
from scale.instruments import instruments, units
from scale.records import assessments, complaints
from scale.rows import insert
from scale.sizes import API_TOKEN, APPLICANT_IDS, FIRST, LAST, OPEN_WORK, SCHEMES, SLOTS, STAFF, UNITS, Sizes


def setup_reference(sizes: Sizes) -> dict:
    """Migrate; staff with every role, schemes, test sites (few rows: the ORM), the schemes' units (bulk SQL) and
    an employer's API token. Returns ids the SQL and the pages need."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from applicants.models import Application
    from certportal.accounts.models import Role, User, UserRole
    from certportal.sla.models import SlaPolicy
    from schemes.models import Scheme, SchemeUnit, TestSite

    migrate()
    if not User.objects.filter(email="bench.verifier@bench.go.id").exists():
        now = timezone.now()
        for role in Role.values:
            user = User.objects.create_user(f"bench.{role}@bench.go.id".replace("_", "-"), None,
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
    schemes = list(Scheme.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as c:
        units(c, schemes, sizes.units_per_scheme)
    _api_token()
    scheme_units: dict[int, list[int]] = {}
    for scheme, unit in SchemeUnit.objects.filter(scheme__in=schemes).order_by("scheme", "position").values_list(
            "scheme", "unit"):
        scheme_units.setdefault(scheme, []).append(unit)
    return {
        **homes.reference(),
        "staff": list(User.objects.filter(email__startswith="petugas").order_by("pk").values_list("pk", flat=True)),
        "schemes": schemes, "units": scheme_units,
        "sites": list(TestSite.objects.order_by("pk").values_list("pk", flat=True)),
        "app_ct": ContentType.objects.get_for_model(Application).pk,
        "policy": SlaPolicy.objects.get(code="certification").pk,
    }


def _api_token() -> None:
    """An employer's token for the API look-ups (:data:`API_TOKEN`), active and unlocked for a year from now."""
    import datetime

    from django.utils import timezone

    from assessments.certificates.models import ApiToken
    from assessments.certificates.services.holder import token_digest

    ApiToken.objects.update_or_create(digest=token_digest(API_TOKEN), defaults={
        "name": "Bench employer", "prefix": API_TOKEN[:8], "revoked_at": None, "locked_at": None, "misses": 0,
        "expires_at": timezone.now() + datetime.timedelta(days=365)})


def count(cursor, table: str, where: str = "") -> int:
    cursor.execute(f"SELECT count(*) FROM {table} {where}")
    return cursor.fetchone()[0]


def arr(values) -> str:
    return "(ARRAY[" + ",".join("'" + str(v).replace("'", "''") + "'" for v in values) + "])"


NAME_SQL = f"{arr(FIRST)}[1 + (u % {len(FIRST)})] || ' ' || {arr(LAST)}[1 + ((u / {len(FIRST)}) % {len(LAST)})]"


def generate(sizes: Sizes, ref: dict, log: Callable[[str], None], vacuum: bool = True) -> None:
    """Top every table up to ``sizes`` (ids continue where the last run stopped): set-based SQL only; then
    VACUUM ANALYZE (or only ANALYZE, for the tiny run: seconds less)."""
    from django.db import connection

    staff, sites = (f"ARRAY{ref[k]}::bigint[]" for k in ("staff", "sites"))
    with connection.cursor() as c:
        _users(c, sizes, log)
        _applications(c, sizes, ref, log)
        _clocks(c, sizes, ref["app_ct"], ref["policy"], log)
        _finished_clocks(c, ref["app_ct"], ref["policy"], log)
        _audit(c, sizes, ref["app_ct"], staff, log)
        assessments(c, sizes, sites, staff, log)
        instruments(c, sizes, ref["schemes"], staff, log)
        complaints(c, sizes, NAME_SQL, log)
        desks.generate(c, sizes, ref, NAME_SQL, log)
        homes.generate(c, sizes, ref, log)
        t = time.monotonic()
        c.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        log(f"{'vacuum analyze' if vacuum else 'analyze'} in {time.monotonic() - t:.0f} s")


def _users(c, sizes: Sizes, log) -> None:
    from certportal.accounts.models import User

    have = count(c, "accounts_user", f"WHERE id >= {APPLICANT_IDS}")
    if have >= sizes.users:
        return
    t = time.monotonic()
    c.execute(insert(User, {
        "id": f"{APPLICANT_IDS} + u", "password": "'!'", "email": "'pemohon' || u || '@bench.go.id'",
        "full_name": NAME_SQL, "date_joined": "now() - (u % 900) * interval '1 day'",
    }, f"generate_series({have}, {sizes.users - 1}) u"))
    log(f"users +{sizes.users - have:,} in {time.monotonic() - t:.0f} s")


def _applications(c, sizes: Sizes, ref: dict, log) -> None:

    have = count(c, "applicants_application")
    if have >= sizes.applications:
        return
    t = time.monotonic()
    # The counts per scheme, unit and status are kept by triggers, one row at a time (0.1 ms each): a million rows
    # are inserted without them and counted once after (applicants/migrations/0015_status_counts.py).
    c.execute("ALTER TABLE applicants_application DISABLE TRIGGER applicants_status_count_rows")
    try:
        _insert_applications(c, sizes, ref, have)
    finally:
        c.execute("ALTER TABLE applicants_application ENABLE TRIGGER applicants_status_count_rows")
    c.execute("DELETE FROM applicants_statuscount")
    c.execute("INSERT INTO applicants_statuscount (scheme_id, org_unit, status, n) SELECT scheme_id, org_unit, "
              "status, count(*) FROM applicants_application GROUP BY scheme_id, org_unit, status")
    c.execute("SELECT setval(pg_get_serial_sequence('applicants_application', 'id'), "
              "(SELECT max(id) FROM applicants_application))")
    log(f"applications +{sizes.applications - have:,} in {time.monotonic() - t:.0f} s")


def _insert_applications(c, sizes: Sizes, ref: dict, have: int) -> None:
    from applicants.models import Application

    schemes = f"ARRAY{ref['schemes']}::bigint[]"
    nip_sql = "'19' || lpad(((u::bigint * 2654435761) % 10000000000000000)::text, 16, '0')"
    c.execute(insert(Application, {
        "id": "g", "status": "s", "experienced": "true", "created_at": "ts", "updated_at": "ts",
        "submitted_at": "CASE WHEN s = 'draft' THEN NULL ELSE ts END",
        "completed_at": "CASE WHEN s IN ('draft', 'submitted', 'returned', 'resubmitted') THEN NULL ELSE ts END",
        "applicant_id": f"{APPLICANT_IDS} + u", "scheme_id": f"({schemes})[1 + g % {len(ref['schemes'])}]",
        "applicant_name": NAME_SQL, "nip": nip_sql, "org_unit": f"{arr(UNITS)}[1 + (u / 7) % {len(UNITS)}]",
    }, f"""(SELECT g, g % {sizes.users} AS u, ({arr(SLOTS)})[1 + (g * 2654435761 % 1000003) % 100] AS s,
                   now() - ((g * 7919) % 700) * interval '1 day' - (g % 1440) * interval '1 minute' AS ts
            FROM generate_series({have + 1}::bigint, {sizes.applications}) g) x"""))


def _clocks(c, sizes: Sizes, ct: int, policy: int, log) -> None:
    """Open clocks on the queue's open work: the first ones past their limit, the others with their target dates
    spread by rank over forty days around today. Dates are the portal's own day (Jakarta), never the database's
    (UTC: a day behind from 17:00 UTC, which moved pages between deadline states between a run's two steps)."""
    from django.utils import timezone

    from certportal.sla.models import Clock

    today = f"DATE '{timezone.localdate().isoformat()}'"
    have = count(c, "sla_clock", "WHERE outcome = 'open'")
    breached = count(c, "sla_clock", f"WHERE outcome = 'open' AND limit_due < {today}")
    need, need_breached = sizes.clocks - have, max(sizes.breached - breached, 0)
    if need <= 0:
        return
    t = time.monotonic()
    # The first ``need_breached`` new clocks ran past their limit; the others are spread around today, by their rank
    # (not their id), so that a few at once already cover today and the next days: every deadline state is found
    # at the tiny size too, whatever day it runs (an empty page reads one query fewer).
    c.execute(insert(Clock, {
        "object_id": "id", "target_days": "14", "limit_days": "30", "started_at": "lim - 42",
        "start_date": "(lim - 42)::date", "target_due": "lim - 16", "limit_due": "lim",
        "paused_working_days": "0", "outcome": "'open'", "content_type_id": str(ct), "policy_id": str(policy),
    }, f"""(SELECT a.id, CASE WHEN row_number() OVER (ORDER BY a.id) <= {need_breached}
                              THEN {today} - 1 - (a.id % 60)::int
                              ELSE {today} + 16 + ((row_number() OVER (ORDER BY a.id) - {need_breached} + 4)
                                                   % 40 - 5)::int END AS lim
            FROM applicants_application a
            WHERE a.status IN {OPEN_WORK} AND NOT EXISTS (
                SELECT 1 FROM sla_clock k WHERE k.content_type_id = {ct} AND k.object_id = a.id)
            ORDER BY a.id LIMIT {need}) x"""))
    c.execute(f"""UPDATE applicants_application a SET deadline = k.target_due FROM sla_clock k
                  WHERE k.content_type_id = {ct} AND k.object_id = a.id AND k.outcome = 'open'
                  AND a.deadline IS NULL""")
    log(f"open clocks +{need:,} ({need_breached:,} breached) in {time.monotonic() - t:.0f} s")


def _finished_clocks(c, ct: int, policy: int, log) -> None:
    """The clocks' history, which the SLA dashboard's figures read: a stopped clock for each application handed
    over (one in ten past its limit of 30 working days, about 42 calendar days), stopped over the last two years
    as the applications were made, and a cancelled one for each rejected or withdrawn."""
    from certportal.sla.models import Clock

    t = time.monotonic()
    c.execute(insert(Clock, {
        "object_id": "id", "target_days": "14", "limit_days": "30", "started_at": "ts",
        "start_date": "ts::date", "target_due": "ts::date + 20", "limit_due": "ts::date + 42",
        "stopped_at": "CASE WHEN s = 'handed_over' THEN stop + interval '10 hours' ELSE ts END",
        "stop_date": "CASE WHEN s = 'handed_over' THEN stop END",
        "elapsed_working_days": "CASE WHEN s = 'handed_over' THEN (stop - ts::date) * 5 / 7 END",
        "paused_working_days": "0", "content_type_id": str(ct), "policy_id": str(policy),
        "outcome": "CASE WHEN s <> 'handed_over' THEN 'cancelled' WHEN stop > ts::date + 42 THEN 'breached' "
                   "ELSE 'met' END",
    }, f"""(SELECT a.id, a.status AS s, a.created_at AS ts, least(a.created_at::date + CASE WHEN a.id % 10 = 0
                   THEN 45 + (a.id % 20)::int ELSE 10 + (a.id * 13 % 30)::int END, current_date) AS stop
            FROM applicants_application a
            WHERE a.status IN ('handed_over', 'rejected', 'withdrawn') AND NOT EXISTS (
                SELECT 1 FROM sla_clock k WHERE k.content_type_id = {ct} AND k.object_id = a.id)) x"""))
    if c.rowcount:
        log(f"finished clocks +{c.rowcount:,} in {time.monotonic() - t:.0f} s")


def _audit(c, sizes: Sizes, ct: int, staff: str, log) -> None:
    from certportal.audit.models import AuditEntry

    c.execute("SELECT coalesce(max(id), 0) FROM audit_auditentry")
    have = c.fetchone()[0]
    step = 2_000_000
    t = time.monotonic()
    for lo in range(have + 1, sizes.audit + 1, step):
        hi = min(lo + step - 1, sizes.audit)
        c.execute(insert(AuditEntry, {
            "id": "g", "created_at": "now() - (g % 1051200) * interval '1 minute'",
            "actor_name": f"'Petugas ' || lpad((g % {STAFF})::text, 3, '0')", "object_id": "oid::text",
            "object_repr": "'Permohonan #' || oid", "action": "'applicants.application.verified'",
            "from_state": "'complete'", "to_state": "'verified'", "actor_id": f"({staff})[1 + g % {STAFF}]",
            "content_type_id": str(ct),
        }, f"(SELECT g, 1 + (g * 7) % {sizes.applications} AS oid FROM generate_series({lo}::bigint, {hi}) g) x"))
        log(f"  audit rows to {hi:,} ({time.monotonic() - t:.0f} s)")
    if sizes.audit > have:
        c.execute("SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'), "
                  "(SELECT max(id) FROM audit_auditentry))")
