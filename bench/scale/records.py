# ruff: noqa: S608 - the SQL is built from this package's own constants and integers, never from input
"""The scale benchmark's assessment and complaint rows: test events with their participants and certificates,
appeals, complaints and survey answers (bulk SQL whose rows the models complete, :mod:`scale.rows`)."""

from __future__ import annotations

import time

from scale.rows import insert
from scale.sizes import STAFF, Sizes


def _count(c, table: str) -> int:
    c.execute(f"SELECT count(*) FROM {table}")
    return c.fetchone()[0]


def assessments(c, sizes: Sizes, sites: str, staff: str, log) -> None:
    """Certificates for handed-over applications, each through a participant of an archived test event (one event
    per scheme and 2,000 applications), and appeals on the first participants."""
    from assessments.models import Appeal, Certificate, Event, Participant

    have = _count(c, "assessments_certificate")
    if have >= sizes.certificates:
        return
    t = time.monotonic()
    events = insert(Event, {
        "starts_at": "min(submitted_at) + interval '30 days'", "place_note": "'bench ' || (id / 2000)",
        "status": "'archived'", "created_at": "min(submitted_at)", "scheme_id": "scheme_id",
        "test_site_id": f"({sites})[1 + (min(id) % 10)]",
    }, "apps GROUP BY scheme_id, id / 2000", returning="id, scheme_id, place_note")
    parts = insert(Participant, {
        "recommendation": "'K'", "decision": "'K'", "decided_at": "apps.submitted_at + interval '31 days'",
        "application_id": "apps.id", "event_id": "events.id", "attended": "true",
        "decided_by_id": f"({staff})[1 + apps.id % {STAFF}]",
    }, """apps JOIN events ON events.scheme_id = apps.scheme_id
                  AND events.place_note = 'bench ' || (apps.id / 2000)""", returning="id, application_id")
    certificates = insert(Certificate, {
        "number": "'BENCH/' || parts.id", "year": "2026", "sequence": "parts.id",
        "verification_code": "upper(substr(md5('c' || parts.id), 1, 16))",
        "issued_on": "(apps.submitted_at + interval '40 days')::date",
        "expires_on": "(apps.submitted_at + interval '1865 days')::date", "status": "'issued'",
        "holder_name": "apps.applicant_name", "holder_nip": "apps.nip", "holder_unit": "apps.org_unit",
        "scheme_code": "s.code", "scheme_name": "s.name", "created_at": "apps.submitted_at + interval '40 days'",
        "application_id": "apps.id", "participant_id": "parts.id",
    }, "parts JOIN apps ON apps.id = parts.application_id JOIN schemes_scheme s ON s.id = apps.scheme_id")
    c.execute(f"""
        WITH apps AS (
            SELECT a.id, a.scheme_id, a.applicant_name, a.nip, a.org_unit, a.submitted_at
            FROM applicants_application a
            WHERE a.status = 'handed_over' AND NOT EXISTS (
                SELECT 1 FROM assessments_participant p WHERE p.application_id = a.id)
            ORDER BY a.id LIMIT {sizes.certificates - have}),
        events AS ({events}),
        parts AS ({parts})
        {certificates}""")
    c.execute(insert(Appeal, {
        "grounds": "'Keberatan atas keputusan'", "discussed_with_assessor": "false",
        "filed_at": "now() - (id % 300) * interval '1 day'",
        "status": "CASE WHEN id % 3 = 0 THEN 'filed' ELSE 'decided' END",
        "outcome": "CASE WHEN id % 3 = 0 THEN '' ELSE 'dismissed' END", "participant_id": "id",
    }, f"""assessments_participant p
           WHERE NOT EXISTS (SELECT 1 FROM assessments_appeal x WHERE x.participant_id = p.id)
           ORDER BY id LIMIT greatest({sizes.appeals} - (SELECT count(*) FROM assessments_appeal), 0)"""))
    log(f"certificates +{sizes.certificates - have:,} (with events, participants, appeals) "
        f"in {time.monotonic() - t:.0f} s")


def complaints(c, sizes: Sizes, name_sql: str, log) -> None:
    from complaints.models import Complaint, SurveyResponse

    have = _count(c, "complaints_complaint")
    t = time.monotonic()
    if have < sizes.complaints:
        statuses = ["received", "classified", "in_analysis", "routed", "answered", "closed", "closed", "closed"]
        c.execute(insert(Complaint, {
            "tracking_number": "'ADU-BENCH-' || u", "secret": "md5('s' || u)",
            "status": "(ARRAY[" + ",".join(f"'{s}'" for s in statuses) + "])[1 + u % 8]",
            "kind": "'complaint'", "rule": "'complaint'", "channel": "'web'",
            "received_at": "now() - (u % 700) * interval '1 day'", "name": name_sql, "language": "'id'",
            "object_text": "'Layanan sertifikasi'", "message": "'Berkas saya belum diverifikasi.'",
            "service": "'application'", "component": "'time'",
        }, f"generate_series({have}, {sizes.complaints - 1}) u"))
    have = _count(c, "complaints_surveyresponse")
    if have < sizes.surveys:
        c.execute(insert(SurveyResponse, {
            "source": "'online'", "answered_on": "current_date - (g % 700)", "u1": "1 + g % 4",
            "u2": "1 + (g / 3) % 4", "u3": "2 + g % 3", "u4": "3 + g % 2", "u5": "1 + (g / 5) % 4", "u6": "4",
            "u7": "3", "u8": "2 + (g / 7) % 3", "u9": "1 + g % 4", "created_at": "now() - (g % 700) * interval '1 day'",
        }, f"generate_series({have}, {sizes.surveys - 1}) g"))
    log(f"complaints and survey answers topped up in {time.monotonic() - t:.0f} s")
