# ruff: noqa: S608 - the SQL is built from this package's own constants and integers, never from input
"""The homes and desks the other pages' roles land on: the complaint officer's desk, the applicant's own page, the
agency roles' homes and lists (officer, Kepala PD, Sekretaris Daerah), the funded rounds, and the quality records
(internal audits and management reviews, corrective actions, duties, controlled documents). Their pages
(:func:`pages`) and their rows (:func:`generate`: agencies with their members, profiles, roster, rounds, cohorts and
proposals; reviews with findings and corrective actions; documents with versions), in bulk SQL as data.py's.

The supervisor's home is the SLA dashboard and the verifier's the queue (measured in pages.py); ``/beranda/``
sends each role to its home (a redirect, measured here for the supervisor)."""

from __future__ import annotations

import time

from scale.homes import first_view
from scale.page import Page
from scale.rows import insert
from scale.sizes import APPLICANT_IDS, UNITS, Sizes

# the roles whose pages are here (each logs in as bench.<role>@bench.go.id, made by data.py)
ROLES = ("complaint_officer", "applicant", "agency_officer", "agency_head", "regional_secretary", "quality")
AGENCY = UNITS[0]  # the officer's and the head's agency when there is no certificate yet


def pages(sizes: Sizes, ref: dict) -> list[Page]:
    pd, q = "/perangkat-daerah/", "/mutu/sistem/"
    return [
        Page("complaint officer's desk", "complaint_officer", lambda r: "/pengaduan/petugas/",
             "/pengaduan/petugas/?page=2"),
        Page("supervisor home (redirect)", "supervisor", lambda r: "/beranda/", "/beranda/?x=1", (302,)),
        Page("applicant home (own applications)", "applicant", lambda r: "/permohonan/saya/", "/permohonan/saya/?x=1"),
        Page("agency home (officer)", "agency_officer", lambda r: pd, pd + "?x=1"),
        Page("agency proposal form (officer)", "agency_officer", lambda r: pd + "usulan/", pd + "usulan/?x=1"),
        Page("agency people (officer)", "agency_officer", lambda r: pd + "pegawai/", pd + "pegawai/?page=2"),
        Page("agency certificates (officer)", "agency_officer", lambda r: pd + "pegawai/sertifikat/",
             pd + "pegawai/sertifikat/?page=2"),
        Page("agency competence map (officer)", "agency_officer", lambda r: pd + "pegawai/peta-kompetensi/",
             pd + "pegawai/peta-kompetensi/?x=1"),
        Page("agency position's people (officer)", "agency_officer",
             lambda r: pd + "pegawai/peta-kompetensi/?jabatan=analis",
             pd + "pegawai/peta-kompetensi/?jabatan=analis&page=2"),
        Page("agency home (Kepala PD)", "agency_head", lambda r: pd, pd + "?x=1"),
        Page("agency people (Kepala PD)", "agency_head", lambda r: pd + "pegawai/", pd + "pegawai/?page=2"),
        Page("agency home (Sekda)", "regional_secretary", lambda r: pd, pd + "?x=1"),
        Page("agency people (Sekda, every agency)", "regional_secretary", lambda r: pd + "pegawai/",
             pd + "pegawai/?page=2"),
        *_first_views(pd),
        Page("funded rounds", "supervisor", lambda r: pd + "putaran/", pd + "putaran/?x=1"),
        Page("quality: audits and reviews", "quality", lambda r: q, q + "?page=2"),
        Page("quality: corrective actions", "quality", lambda r: q + "tindakan/", q + "tindakan/?page=2"),
        Page("quality: corrective actions overdue", "quality", lambda r: q + "tindakan/?state=overdue",
             q + "tindakan/?state=all&page=2"),
        Page("quality: duties", "quality", lambda r: q + "kewajiban/", q + "kewajiban/?x=1"),
        Page("quality: documents", "quality", lambda r: q + "dokumen/", q + "dokumen/?page=2"),
        Page("quality: competence of personnel", "lsp_admin", lambda r: "/mutu/kompetensi/",
             "/mutu/kompetensi/?page=2"),
        Page("quality: impartiality", "quality", lambda r: "/mutu/ketidakberpihakan/",
             "/mutu/ketidakberpihakan/?x=1"),
    ]


def _first_views(pd: str) -> list[Page]:
    """The agency's pages kept per agency (agencies.kept_pages) as their first view finds them: diagnostic."""
    return [first_view(Page(f"{label} (officer)", "agency_officer", lambda r, path=path: pd + path, pd + other))
            for label, path, other in (
                ("agency proposal form", "usulan/", "usulan/?x=1"), ("agency people", "pegawai/", "pegawai/?page=2"),
                ("agency certificates", "pegawai/sertifikat/", "pegawai/sertifikat/?page=2"),
                ("agency competence map", "pegawai/peta-kompetensi/", "pegawai/peta-kompetensi/?x=1"),
                ("agency position's people", "pegawai/peta-kompetensi/?jabatan=analis",
                 "pegawai/peta-kompetensi/?jabatan=analis&page=2"))]


def accounts(c) -> None:
    """The applicant account takes over the applications and profile of bulk applicant 1 (as many as every
    applicant has, at each size); the agency officer and head are members of the agency of the first certificate's
    holder (its people hold certificates from the first step on: a list without rows reads a query fewer)."""
    from agencies.models import AgencyMembership, PositionNeed
    from applicants.models import Agency
    from certportal.accounts.models import User

    applicant = User.objects.get(email="bench.applicant@bench.go.id").pk
    for table, column in (("applicants_application", "applicant_id"), ("applicants_applicantprofile", "user_id")):
        c.execute(f"UPDATE {table} SET {column} = {applicant} WHERE {column} = {APPLICANT_IDS + 1}")
    c.execute("SELECT holder_unit FROM assessments_certificate ORDER BY id LIMIT 1")
    agency = Agency.objects.get(name=(c.fetchone() or [AGENCY])[0])  # one whose people hold certificates already
    for role in ("agency_officer", "agency_head"):
        user = User.objects.get(email=f"bench.{role.replace('_', '-')}@bench.go.id")
        AgencyMembership.objects.get_or_create(user=user, defaults={"agency": agency, "position": "Kepala"})
    c.execute("SELECT a.scheme_id FROM assessments_certificate c"
              " JOIN applicants_application a ON a.id = c.application_id ORDER BY c.id LIMIT 1")
    held = c.fetchone()
    if held:  # the position of every bulk profile needs the scheme its first holder holds: the map names and counts
        PositionNeed.objects.get_or_create(agency=agency, position="Analis", scheme_id=held[0])


def generate(c, sizes: Sizes, ref: dict, name_sql: str, log) -> None:
    """Agencies and their people, rounds and proposals; the quality records: topped up to ``sizes``."""
    t = time.monotonic()
    _agencies(c, sizes, ref, name_sql)
    accounts(c)
    _stamp_agencies()
    _quality(c, sizes, ref)
    log(f"agencies, proposals and quality records topped up in {time.monotonic() - t:.0f} s")


def _stamp_agencies() -> None:
    """Each application's agency now (``agencies.roster.restamp``, which the bulk SQL above bypasses): those
    added since the last step, and the bench applicant's (taken over from bulk applicant 1)."""
    from agencies.roster import application_agency, restamp
    from applicants.models import Application
    from assessments.certificates.models import Certificate

    restamp(users=Application.objects.filter(agency__isnull=True).values("applicant_id"))
    restamp(users=Application.objects.filter(applicant__email="bench.applicant@bench.go.id").values("applicant_id"))
    # certificates added in bulk since their application was stamped take its agency
    Certificate.objects.filter(agency__isnull=True, application__agency__isnull=False).update(
        agency=application_agency())


def _count(c, table: str) -> int:
    c.execute(f"SELECT count(*) FROM {table}")
    return c.fetchone()[0]


def _units_sql() -> str:
    return "(ARRAY[" + ",".join(f"'{u}'" for u in UNITS) + "])"


def _agencies(c, sizes: Sizes, ref: dict, name_sql: str) -> None:
    """The agencies (one per unit of the applications), a profile for every applicant and the roster."""
    from agencies.models import RosterEntry
    from applicants.models import Agency, ApplicantProfile

    if not _count(c, "applicants_agency"):
        c.execute(insert(Agency, {"name": f"{_units_sql()}[i]"}, f"generate_series(1, {len(UNITS)}) i"))
    nip = "'19' || lpad(((u::bigint * 2654435761) % 10000000000000000)::text, 16, '0')"
    unit = f"{_units_sql()}[1 + (u / 7) % {len(UNITS)}]"  # the unit data.py gives the user's applications
    have = _count(c, "applicants_applicantprofile")
    if have < sizes.users:
        c.execute(insert(ApplicantProfile, {
            "user_id": f"{APPLICANT_IDS} + u", "nip": nip, "full_name": name_sql, "birth_place": "'Medan'",
            "birth_date": "DATE '1985-01-01' + (u % 5000)", "gender": "'1'", "org_unit": unit,
            "position": "'Analis'", "rank": "'III/a'", "education": "'S1'", "years_of_service": "5",
            "email": "'pemohon' || u || '@bench.go.id'",
        }, f"generate_series({have}, {sizes.users - 1}) u"))
    have = _count(c, "agencies_rosterentry")
    want = sizes.users * 2 // 3  # the roster lists two in three of them (the others by their profile's unit)
    if have < want:
        c.execute(insert(RosterEntry, {
            "nip": nip, "name": name_sql, "agency_id": f"(SELECT id FROM applicants_agency WHERE name = {unit})",
            "position": "'Analis'", "rank": "'III/a'", "education": "'S1'",
        }, f"generate_series({have}, {want - 1}) u"))
    _rounds(c, sizes, ref, name_sql)


def _rounds(c, sizes: Sizes, ref: dict, name_sql: str) -> None:
    """A funded round a year (this year's two open), places for every agency, three cohorts of each agency a round
    and proposals spread over the cohorts (one for 20 applications)."""
    from agencies.models import Cohort, FundedRound, Proposal, RoundQuota

    rounds = max(sizes.applications // 100_000, 2)
    have = _count(c, "agencies_fundedround")
    if have < rounds:
        c.execute("UPDATE agencies_fundedround SET status = 'closed', closes_on = opens_on + 60, closed_at = now() "
                  "WHERE status = 'open'")
        c.execute(insert(FundedRound, {
            "name": "'Putaran APBD ' || i", "fiscal_year": f"2026 - {rounds} + i",
            "status": f"CASE WHEN i > {rounds} - 2 THEN 'open' ELSE 'closed' END",
            "opens_on": f"current_date - 30 - ({rounds} - i) * 365",
            "closes_on": f"CASE WHEN i > {rounds} - 2 THEN current_date + 30 ELSE current_date - 30 - ({rounds} - i) "
                         "* 365 + 60 END", "opened_at": "now()",
        }, f"generate_series({have + 1}, {rounds}) i"))
        c.execute("INSERT INTO agencies_fundedround_schemes (fundedround_id, scheme_id) SELECT r.id, s.id FROM "
                  "agencies_fundedround r CROSS JOIN schemes_scheme s WHERE NOT EXISTS (SELECT 1 FROM "
                  "agencies_fundedround_schemes x WHERE x.fundedround_id = r.id)")
        c.execute(insert(RoundQuota, {"round_id": "r.id", "agency_id": "a.id", "places": "100"},
                         "agencies_fundedround r CROSS JOIN applicants_agency a WHERE NOT EXISTS (SELECT 1 FROM "
                         "agencies_roundquota q WHERE q.round_id = r.id AND q.agency_id = a.id)"))
        c.execute(insert(Cohort, {"agency_id": "a.id", "round_id": "r.id", "scheme_id": "s.id",
                                  "created_by_id": f"{ref['staff'][0]}"},
                         "agencies_fundedround r CROSS JOIN applicants_agency a CROSS JOIN (SELECT id FROM "
                         "schemes_scheme ORDER BY id LIMIT 3) s WHERE NOT EXISTS (SELECT 1 FROM agencies_cohort x "
                         "WHERE x.round_id = r.id)"))
    have, want = _count(c, "agencies_proposal"), sizes.applications // 20
    if have < want:  # a proposal of each person of a cohort's agency, spread over the cohorts
        c.execute(insert(Proposal, {
            "cohort_id": "(SELECT array_agg(id ORDER BY id) FROM agencies_cohort)[1 + u % (SELECT count(*) FROM "
                         "agencies_cohort)]",
            "nip": "'29' || lpad(u::text, 16, '0')", "name": name_sql, "status": "'invited'",
            "invited_at": "now() - (u % 300) * interval '1 day'", "email": "'usul' || u || '@bench.go.id'",
        }, f"generate_series({have}, {want - 1}) u"))


def _quality(c, sizes: Sizes, ref: dict) -> None:
    from quality.system.models import (
        ControlledDocument,
        CorrectiveAction,
        DocumentVersion,
        Finding,
        SystemReview,
    )

    staff = f"ARRAY{ref['staff']}::bigint[]"
    reviews = max(sizes.applications // 5_000, 4)  # two audits and a review a year over decades, at a million: 200
    have = _count(c, "quality_systemreview")
    if have < reviews:
        c.execute(insert(SystemReview, {
            "kind": "CASE WHEN i % 3 = 0 THEN 'management_review' ELSE 'internal_audit' END",
            "held_on": "current_date - i * 7", "scope": "'Seluruh skema'", "participants": "'Tim mutu'",
            "status": "CASE WHEN i % 10 = 0 THEN 'recorded' ELSE 'concluded' END",
            "recorded_by_id": f"({staff})[1 + i % 200]", "recorded_at": "now() - i * interval '7 days'",
        }, f"generate_series({have}, {reviews - 1}) i"))
        c.execute(insert(Finding, {  # five findings a review, each with its corrective action
            "review_id": "r.id", "number": "n", "severity": "CASE WHEN n = 1 THEN 'major' ELSE 'minor' END",
            "description": "'Temuan ' || n", "recorded_by_id": "r.recorded_by_id",
        }, "quality_systemreview r CROSS JOIN generate_series(1, 5) n WHERE NOT EXISTS "
           "(SELECT 1 FROM quality_finding f WHERE f.review_id = r.id)"))
        c.execute(insert(CorrectiveAction, {
            "finding_id": "f.id", "description": "'Perbaiki prosedur'", "owner_id": f"({staff})[1 + f.id % 200]",
            "due_on": "r.held_on + 7", "created_at": "f.recorded_at",  # the major finding's still open
            "status": "CASE WHEN f.number = 1 THEN 'open' ELSE 'closed' END",
            "closed_at": "CASE WHEN f.number = 1 THEN NULL ELSE now() END",
        }, "quality_finding f JOIN quality_systemreview r ON r.id = f.review_id WHERE NOT EXISTS "
           "(SELECT 1 FROM quality_correctiveaction a WHERE a.finding_id = f.id)"))
    documents = max(sizes.applications // 10_000, 4)
    have = _count(c, "quality_controlleddocument")
    if have < documents:
        c.execute(insert(ControlledDocument, {
            "code": "'DOK-' || lpad(i::text, 5, '0')", "title": "'Prosedur ' || i", "kind": "'procedure'",
            "created_by_id": f"({staff})[1 + i % 200]",
        }, f"generate_series({have}, {documents - 1}) i"))
        c.execute(insert(DocumentVersion, {  # three approved versions each: the last in force
            "document_id": "d.id", "label": "'v' || n", "effective_on": "current_date - (4 - n) * 365",
            "status": "'approved'", "uploaded_by_id": "d.created_by_id", "approved_at": "now()",
            "file": "'bench/dokumen.pdf'", "original_name": "'dokumen.pdf'", "kind": "'pdf'",
        }, "quality_controlleddocument d CROSS JOIN generate_series(1, 3) n WHERE NOT EXISTS "
           "(SELECT 1 FROM quality_documentversion v WHERE v.document_id = d.id)"))
