# ruff: noqa: S608 - the SQL is built from this package's own constants and integers, never from input
"""The scale benchmark's assessment-instrument rows: each scheme's competency units (with their elements and
performance criteria), its assessment plans (the one in force, drafts, a decade of superseded versions) and its
question bank (items per unit and instrument). Bulk SQL whose rows the models complete (:mod:`scale.rows`)."""

from __future__ import annotations

import time

from scale.rows import insert
from scale.sizes import STAFF, Sizes

TITLES = ["Melaksanakan pelayanan prima", "Menyusun rencana kerja", "Mengelola arsip dinamis", "Menyusun laporan",
          "Melakukan koordinasi", "Menerapkan keselamatan kerja", "Mengelola pengaduan", "Menganalisis data"]


def units(c, schemes: list[int], per_scheme: int) -> None:
    """``per_scheme`` units for each harness scheme that has none yet (codes ``BENCH.<scheme>.<n>``), each with 3
    elements of 3 performance criteria (KUK)."""
    from schemes.models import PerformanceCriterion, SchemeUnit, Unit, UnitElement

    c.execute(f"SELECT s FROM unnest(ARRAY{schemes}::bigint[]) s WHERE NOT EXISTS "
              f"(SELECT 1 FROM {SchemeUnit._meta.db_table} su WHERE su.scheme_id = s)")
    bare = [row[0] for row in c.fetchall()]
    if not bare:
        return
    titles = "(ARRAY[" + ",".join(f"'{t}'" for t in TITLES) + "])"
    made = insert(Unit, {
        "code": "'BENCH.' || lpad(s::text, 5, '0') || '.' || lpad(n::text, 2, '0')", "sector": "'O'",
        "field": "'BENCH' || s", "number": "lpad(n::text, 3, '0')", "version": "1",
        "title": f"{titles}[1 + (s + n) % {len(TITLES)}] || ' ' || n",
    }, f"unnest(ARRAY{bare}::bigint[]) s CROSS JOIN generate_series(1, {per_scheme}) n", returning="id, code")
    links = insert(SchemeUnit, {
        "scheme_id": "split_part(made.code, '.', 2)::bigint", "unit_id": "made.id",
        "position": "split_part(made.code, '.', 3)::int",
    }, "made")
    elements = insert(UnitElement, {"unit_id": "made.id", "position": "e", "title": "'Elemen ' || e"},
                      "made CROSS JOIN generate_series(1, 3) e", returning="id, position")
    criteria = insert(PerformanceCriterion, {
        "element_id": "elements.id", "position": "elements.position || '.' || k",
        "text": "'Kriteria unjuk kerja ' || elements.position || '.' || k || ' dipenuhi sesuai prosedur'",
    }, "elements CROSS JOIN generate_series(1, 3) k")
    c.execute(f"WITH made AS ({made}), links AS ({links}), elements AS ({elements}) {criteria}")


def plans(c, sizes: Sizes, schemes: list[int], staff: str) -> None:
    """Per scheme: ``sizes.plan_versions`` superseded versions (1…S), the plan in force (S + 1) and one to three
    drafts after it. A larger size adds superseded versions and moves the later ones up, numbers staying unique."""
    from assessments.instruments.models.plans import AssessmentPlan

    table, ids = AssessmentPlan._meta.db_table, f"ARRAY{schemes}::bigint[]"
    c.execute(f"SELECT count(*) FROM {table} WHERE status = 'superseded' AND scheme_id = ANY({ids})")
    have = c.fetchone()[0] // len(schemes)
    need = sizes.plan_versions
    if have >= need:
        return
    common = {"made_by_id": f"({staff})[1 + (s + n) % {STAFF}]", "candidate_group": "'Pegawai ASN'",
              "context": "'Tempat kerja'", "confirmed_with": "'Atasan langsung'", "benchmarks": "'SKKNI'",
              "scheme_id": "s", "number": "n"}
    done = "now() - (({top} - n) * 180 + 30) * interval '1 day'"
    if have:  # shift the plan in force and the drafts past the new versions (two steps: never a duplicate number)
        c.execute(f"UPDATE {table} SET number = number + 10000 WHERE status <> 'superseded' "
                  f"AND scheme_id = ANY({ids})")
    c.execute(insert(AssessmentPlan, {
        **common, "status": "'superseded'", "validated_by_id": f"({staff})[1 + (s + n + 1) % {STAFF}]",
        "validated_at": done.format(top=need + 1), "superseded_at": done.format(top=need),
    }, f"unnest({ids}) s CROSS JOIN generate_series({have + 1}, {need}) n"))
    if have:
        c.execute(f"UPDATE {table} SET number = number - 10000 + {need - have} WHERE number > 10000 "
                  f"AND scheme_id = ANY({ids})")
        return
    c.execute(insert(AssessmentPlan, {
        **common, "status": f"CASE WHEN n = {need + 1} THEN 'validated' ELSE 'draft' END",
        "validated_by_id": f"CASE WHEN n = {need + 1} THEN ({staff})[1 + (s + n + 1) % {STAFF}] END",
        "validated_at": f"CASE WHEN n = {need + 1} THEN now() - interval '30 days' END",
    }, f"unnest({ids}) s CROSS JOIN LATERAL generate_series({need + 1}, {need + 2} + s::int % 3) n"))


def bank(c, sizes: Sizes, schemes: list[int], staff: str) -> None:
    """``sizes.bank_items`` items per unit of the harness's schemes and bank instrument (positions continue where
    the last run stopped): multiple-choice questions with four options and a key (FR.IA.05), questions with their
    expected answer, tasks with their tools and time (FR.IA.02); one in twenty out of use; three in four name a
    KUK of their unit."""
    from assessments.instruments.models.plans import BANK_INSTRUMENTS, BankItem
    from schemes.models import PerformanceCriterion, SchemeUnit, UnitElement

    table, links = BankItem._meta.db_table, SchemeUnit._meta.db_table
    units_sql = f"SELECT unit_id FROM {links} WHERE scheme_id = ANY(ARRAY{schemes}::bigint[])"
    c.execute(f"SELECT coalesce(max(position), 0) FROM {table} WHERE unit_id IN ({units_sql})")
    have = c.fetchone()[0]
    if have >= sizes.bank_items:
        return
    codes = "(ARRAY[" + ",".join(f"'{code}'" for code in BANK_INSTRUMENTS) + "])"
    mc = "i = 'IA.05'"
    c.execute(f"""WITH kuk AS (
        SELECT e.unit_id, array_agg(pc.id ORDER BY pc.id) AS ids FROM {PerformanceCriterion._meta.db_table} pc
        JOIN {UnitElement._meta.db_table} e ON e.id = pc.element_id WHERE e.unit_id IN ({units_sql})
        GROUP BY e.unit_id)
        """ + insert(BankItem, {
        "unit_id": "kuk.unit_id", "instrument": "i", "position": "n", "is_active": "n % 20 <> 0",
        "criterion_id": "CASE WHEN n % 4 = 0 THEN NULL ELSE kuk.ids[1 + n % cardinality(kuk.ids)] END",
        "text": f"CASE WHEN {mc} THEN 'Dokumen apa yang memuat ketentuan nomor ' || n || ' tentang ' "
                "ELSE 'Jelaskan langkah ' || n || ' dalam ' END || 'pelayanan unit ' || kuk.unit_id || '?'",
        "options": f"CASE WHEN {mc} THEN jsonb_build_array('Maklumat pelayanan ' || n, 'Standar pelayanan ' || n, "
                   "'Surat keputusan ' || n, 'Laporan kinerja ' || n) ELSE '[]'::jsonb END",
        "key": f"CASE WHEN {mc} THEN n % 4 END",
        "expected": f"CASE WHEN {mc} THEN '' ELSE 'Menyebutkan urutan langkah ' || n || ' sesuai SOP' END",
        "tools": "CASE WHEN i = 'IA.02' THEN 'Komputer, formulir isian, SOP' ELSE '' END",
        "minutes": "CASE WHEN i = 'IA.02' THEN 30 + n % 60 END", "created_by_id": f"({staff})[1 + n % {STAFF}]",
        "created_at": "now() - (n % 700) * interval '1 day'", "updated_at": "now() - (n % 700) * interval '1 day'",
    }, f"kuk CROSS JOIN unnest({codes}) i CROSS JOIN generate_series({have + 1}, {sizes.bank_items}) n"))


def instruments(c, sizes: Sizes, schemes: list[int], staff: str, log) -> None:
    t = time.monotonic()
    plans(c, sizes, schemes, staff)
    bank(c, sizes, schemes, staff)
    log(f"plans and question banks topped up in {time.monotonic() - t:.0f} s")
