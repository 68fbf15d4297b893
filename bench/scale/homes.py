# ruff: noqa: S608 - the SQL is built from this package's own constants and integers, never from input
"""The pages each role lands on and opens from its home: the LSP admin's, the assessor's, the Kepala TUK's and
the quality reviewer's homes; the detail pages of an application, a test event, a participant and a certificate
(kept, as a reader's second view finds them, and drawn, as the first view does: ``/bench/drawn/``, diagnostic); the
certificate and result letter downloads (a fixed set, downloaded once before the rounds so that the kept
signed paper exists). With the rows those pages count, in bulk SQL (:mod:`scale.rows`) and in proportion to the
size: events under way (confirmed, held, their berita acara signed: a stock made at the first step) with their
participants, decisions to take,
certificates to issue, certificates suspended after a result correction, an assessor on every event (twenty of
them, the bench's own one among them), FR.AK.05 reports on the events past their berita acara, a result letter
for every decided participant; the bench's Kepala TUK heads the first test site.

Hooks: ``data.setup_reference`` (:func:`reference`), ``data.generate`` (:func:`generate`), ``pages.pages`` and
``pages.sessions`` (:func:`home_pages`, :data:`ROLES`), ``bench_scale.py`` (:func:`signer_env`, :func:`prime`).
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from scale.page import Page
from scale.rows import insert
from scale.sizes import Sizes

ROLES = ("assessor", "tuk_head", "quality")  # sessions besides the verifier's, the LSP admin's, the supervisor's
ASSESSORS = 20  # the bench's assessor and 19 staff: each event has one of them (the event's id decides which)
SUSPENDED_EVERY = 250  # one certificate in 250 is suspended after a result correction
DOWNLOADS = 3  # certificates and result letters downloaded (the first ones): each rendered and signed once


def reference() -> dict:
    """The assessors (the bench's assessor first), in scope of every scheme, and the Kepala TUK of the first test
    site (few rows: the ORM). Returns their ids for the SQL."""
    from django.utils import timezone

    from assessments.events.models import Assessor
    from certportal.accounts.models import User
    from schemes.models import Scheme, TestSite

    users = [User.objects.get(email="bench.assessor@bench.go.id"),
             *User.objects.filter(email__startswith="petugas").order_by("pk")[:ASSESSORS - 1]]
    until = timezone.localdate() + datetime.timedelta(days=3 * 365)
    ids = []
    for i, user in enumerate(users):
        assessor, made = Assessor.objects.get_or_create(user=user, defaults={
            "registration_number": f"MET.BENCH.{i:03d}", "licence_valid_until": until})
        if made:
            assessor.schemes.set(Scheme.objects.all())
        ids.append(assessor.pk)
    first = TestSite.objects.order_by("pk").first()
    TestSite.objects.filter(pk=first.pk).update(head=User.objects.get(email="bench.tuk-head@bench.go.id"))
    return {"assessors": ids}


def generate(c, sizes: Sizes, ref: dict, log) -> None:
    """Top the rows the homes count up (each step only adds what is missing: a second run adds nothing)."""
    t = time.monotonic()
    assessors, sites = f"ARRAY{ref['assessors']}::bigint[]", f"ARRAY{ref['sites']}::bigint[]"
    _events_under_way(c, assessors, sites, len(ref["sites"]))
    _assessors(c, assessors)
    _suspended(c)
    _letters(c)
    log(f"work under way, assessors, suspensions and result letters topped up in {time.monotonic() - t:.0f} s")


# (application status, event status, participant's recommendation, decision, participant status)
UNDER_WAY = (
    ("scheduled", "CASE scheme_id % 3 WHEN 0 THEN 'confirmed' WHEN 1 THEN 'held' ELSE 'report_signed' END",
     "CASE WHEN a.scheme_id % 3 = 2 THEN 'K' ELSE '' END", "''",
     "CASE WHEN a.scheme_id % 3 = 2 THEN 'awaiting_decision' ELSE 'named' END"),
    ("assessed", "'reviewed'", "'K'", "''", "'awaiting_decision'"),
    ("competent", "'reviewed'", "'K'", "'K'", "'competent'"),
)
STARTS = {"confirmed": "now() + interval '3 days'", "held": "now() - interval '1 day'",
          "report_signed": "now() - interval '5 days'", "reviewed": "now() - interval '12 days'"}
ROOM = 20  # participants of an event at most (a TUK's room)


def _events_under_way(c, assessors: str, sites: str, n_sites: int) -> None:
    """Events for the applications scheduled (confirmed, held or their berita acara signed), assessed (a
    recommendation without a decision) and decided competent (a certificate to issue), with their participants,
    :data:`ROOM` at most an event. The events scheduled are a stock of work made at the first step only (the
    homes ask the machine about each of them: a count that grew with the history would measure the history); the
    decisions to take and the certificates to issue, which the homes count in SQL, grow with the size."""
    c.execute("SELECT 1 FROM assessments_event WHERE place_note LIKE 'work scheduled %' LIMIT 1")
    stock = c.fetchone() is not None
    for status, event_status, recommendation, decision, part_status in UNDER_WAY:
        if not (stock and status == "scheduled"):
            _under_way(c, status, (event_status, recommendation, decision, part_status), assessors,
                       f"({sites})[1 + (min(id) % {n_sites})]")


def _under_way(c, status: str, values: tuple[str, str, str, str], assessors: str, site: str) -> None:
    from assessments.events.models import Event, Participant

    kind, recommendation, decision, part_status = values
    starts = "CASE " + " ".join(f"WHEN {kind} = '{k}' THEN {v}" for k, v in STARTS.items()) + " END"
    events = insert(Event, {
        "starts_at": starts, "place_note": f"'work {status} ' || (rn / {ROOM})", "status": kind,
        "created_at": "min(submitted_at)", "scheme_id": "scheme_id", "test_site_id": site,
    }, f"apps GROUP BY scheme_id, rn / {ROOM}", returning="id, scheme_id, place_note")
    parts = insert(Participant, {
        "recommendation": recommendation, "decision": decision,
        "decided_at": "CASE WHEN " + decision + " = '' THEN NULL ELSE now() - interval '2 days' END",
        "application_id": "a.id", "event_id": "events.id", "attended": "true", "status": part_status,
        "assessor_id": f"({assessors})[1 + events.id % {ASSESSORS}]",
    }, f"""apps a JOIN events ON events.scheme_id = a.scheme_id
                  AND events.place_note = 'work {status} ' || (a.rn / {ROOM})""", returning="id")
    c.execute(f"""
        WITH apps AS (
            SELECT a.id, a.scheme_id, a.submitted_at,
                   row_number() OVER (PARTITION BY a.scheme_id ORDER BY a.id) AS rn
            FROM applicants_application a
            WHERE a.status = '{status}' AND NOT EXISTS (
                SELECT 1 FROM assessments_participant p WHERE p.application_id = a.id)),
        events AS ({events}),
        parts AS ({parts})
        SELECT count(*) FROM parts""")


def _assessors(c, assessors: str) -> None:
    """An assessor on every event without one (confirmed; the berita acara signed on the events past it), the
    event's assessor on its participants, and their FR.AK.05 on the events reviewed or archived."""
    from assessments.events.models import EventAssessor
    from assessments.instruments.models.records import AssessorReport

    signed = "('report_signed', 'reviewed', 'archived')"
    c.execute(insert(EventAssessor, {
        "event_id": "e.id", "assessor_id": f"({assessors})[1 + e.id % {ASSESSORS}]",
        "confirmed_at": "e.created_at", "confirmed_how": "'portal'",
        "attended": f"CASE WHEN e.status IN ('held', {signed[1:-1]}) THEN true END",
        "signed_report_at": f"CASE WHEN e.status IN {signed} THEN e.starts_at + interval '2 hours' END",
    }, """assessments_event e WHERE NOT EXISTS (
              SELECT 1 FROM assessments_eventassessor x WHERE x.event_id = e.id)"""))
    c.execute(f"UPDATE assessments_participant SET assessor_id = ({assessors})[1 + event_id % {ASSESSORS}] "
              "WHERE assessor_id IS NULL")
    c.execute(insert(AssessorReport, {
        "event_id": "x.event_id", "assessor_id": "x.assessor_id", "signed_at": "x.signed_report_at",
        "signed_name": "'Asesor Bench'",
    }, """assessments_eventassessor x JOIN assessments_event e ON e.id = x.event_id
          WHERE e.status IN ('reviewed', 'archived') AND NOT EXISTS (
              SELECT 1 FROM assessments_assessorreport r WHERE r.event_id = x.event_id)"""))


def _suspended(c) -> None:
    c.execute(f"""UPDATE assessments_certificate SET status = 'suspended', suspended_by_correction = true,
                         suspended_until = expires_on, status_reason = 'Koreksi hasil (bench)'
                  WHERE id % {SUSPENDED_EVERY} = 7 AND status = 'issued'""")


def _letters(c) -> None:
    """A result letter for every decided participant without one (issued on the day of the decision)."""
    from assessments.certificates.models import ResultLetter

    c.execute(insert(ResultLetter, {
        "participant_id": "p.id", "application_id": "p.application_id", "number": "'SKHU/BENCH/' || p.id",
        "issued_on": "p.decided_at::date", "holder_name": "a.applicant_name", "outcome": "p.decision",
        "status": "'issued'", "created_at": "p.decided_at",
    }, """assessments_participant p JOIN applicants_application a ON a.id = p.application_id
          WHERE p.decision <> '' AND p.decided_at IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM assessments_resultletter l WHERE l.participant_id = p.id)"""))


_POOLS: dict[tuple[str, str], list[int]] = {}


def _pool(table: str, where: str = "") -> list[int]:
    """Ids of ``table`` among its first rows (every tenth of its first 2,000): found at both sizes. Read once,
    when the first page asks (the first step's data)."""
    if (table, where) not in _POOLS:
        from django.db import connection

        with connection.cursor() as c:
            c.execute(f"SELECT id FROM {table} {where} ORDER BY id LIMIT 2000")
            ids = [row[0] for row in c.fetchall()]
        _POOLS[table, where] = ids[::10] or ids or [0]
    return _POOLS[table, where]


KEPT = 20  # the records a kept page is measured on: what readers open again within the minute a body is kept


def _pick(table: str, url: str, where: str = ""):
    """A first view's path: one of the first :data:`KEPT` of the pool, the records its kept view is measured on.
    The pool grows with the data up to its 200 ids, and a draw from all of it would count an event of another
    state at each size (an archived event's page reads 29 queries, a reviewed one's 38, whatever its size)."""
    return lambda r: url.format(r.choice(_pool(table, where)[:KEPT]))


def _kept(table: str, url: str, where: str = "") -> dict:
    """A kept detail page's paths: each round asks again among the first :data:`KEPT` of its pool (a reader going
    back and forth between an event, its participants and their dossiers), all of them asked before the rounds.
    Its first view is measured on the same records as a page of its own (:func:`first_view`)."""
    return {"make": lambda r: url.format(r.choice(_pool(table, where)[:KEPT])),
            "every": lambda: [url.format(pk) for pk in _pool(table, where)[:KEPT]]}


def _downloads(url: str) -> list[str]:
    """The fixed set of papers downloaded: the first rows of a fresh build (ids 1 to :data:`DOWNLOADS`)."""
    return [url.format(i) for i in range(1, DOWNLOADS + 1)]


CERT_DOWNLOAD, LETTER_DOWNLOAD = "certificate download (kept signed paper)", "result letter download (kept paper)"
CERTIFICATE_PDF, LETTER_PDF = "/asesmen/sertifikat/{}/pdf/", "/asesmen/surat/{}/pdf/"


def _handed_over() -> int:
    """An application the first step holds, handed over (data.py draws each one's status from its id)."""
    from scale.sizes import SLOTS

    return next(g for g in range(2, 10_000) if SLOTS[(g * 2654435761 % 1000003) % 100] == "handed_over")


OPEN_EVENTS = "WHERE status NOT IN ('report_signed', 'reviewed', 'archived')"


def _detail_pages() -> list[tuple]:
    """The detail pages: (label, role, table, address, which rows, the second path)."""
    certificate = "/asesmen/sertifikat/{}/"
    verify = "/permohonan/verifikasi/{}/"
    return [("application detail (verification screen)", "verifier", "applicants_application", verify,
             "WHERE status NOT IN ('draft')", verify.format(_handed_over())),
            ("test event detail", "lsp_admin", "assessments_event", "/asesmen/acara/{}/", "", "/asesmen/acara/2/"),
            # an event still open: the LSP admin is offered the scheme's candidates (thousands wait at scale)
            ("test event detail, open (its candidates)", "lsp_admin", "assessments_event", "/asesmen/acara/{}/",
             OPEN_EVENTS, lambda: f"/asesmen/acara/{_pool('assessments_event', OPEN_EVENTS)[-1]}/"),
            ("participant detail", "lsp_admin", "assessments_participant", "/asesmen/peserta/{}/", "",
             "/asesmen/peserta/2/"),
            ("certificate detail (staff)", "lsp_admin", "assessments_certificate", certificate, "",
             certificate.format(2))]


def _details() -> list[Page]:
    """Each detail page kept (a reader's second view) and drawn (the first view), on the same records."""
    kept = [Page(label, role, other=other, **_kept(table, url, where))
            for label, role, table, url, where, other in _detail_pages()]
    return kept + [first_view(Page(label, role, _pick(table, url, where), other))
                   for label, role, table, url, where, other in _detail_pages()]


def first_view(page: Page) -> Page:
    """A kept page as its first view finds it (and the first after a change): nothing kept. Diagnostic: a kept
    page is held to the goal, its first view is not; its query counts and plans are checked all the same."""
    return Page(f"{page.label}, drawn (first view)", page.role, lambda r: "/bench/drawn" + page.make(r),
                lambda: "/bench/drawn" + page.other_path, diagnostic=True)


def home_pages() -> list[Page]:
    home, reviews = "/beranda/lsp_admin/", "/asesmen/tinjauan/"
    return [
        Page("LSP admin home (work queue)", "lsp_admin", lambda r: home, home + "?from=menu"),
        Page("assessor home", "assessor", lambda r: "/asesmen/asesor/", "/asesmen/asesor/?from=menu"),
        Page("Kepala TUK home (reviews)", "tuk_head", lambda r: reviews, reviews + "?from=menu"),
        Page("quality review home", "quality", lambda r: reviews, reviews + "?from=menu"),
        *_details(),
        Page(CERT_DOWNLOAD, "lsp_admin", lambda r: r.choice(_downloads(CERTIFICATE_PDF)), CERTIFICATE_PDF.format(2)),
        Page(LETTER_DOWNLOAD, "lsp_admin", lambda r: r.choice(_downloads(LETTER_PDF)), LETTER_PDF.format(2)),
    ]


def signer_env(folder: Path) -> dict[str, str]:
    """A PKCS#12 signer of the run's own (the demo CA's, made in ``folder``): downloads are signed as in production."""
    from certportal.signing.democa import DEMO_PASSWORD, ensure_demo_signer

    signer = ensure_demo_signer(folder / "esign")
    return {"ESIGN_BACKEND": "pkcs12", "ESIGN_PKCS12_PATH": str(signer.p12), "ESIGN_PKCS12_PASSWORD": DEMO_PASSWORD,
            "ESIGN_SIGNER_NAME": "Kepala LSP (bench)"}


def prime(plan: list[Page], cookies: dict[str, str], log) -> None:
    """Download every paper of the fixed sets once (render, sign, keep) before the rounds: the rounds time the
    click that serves the kept paper, as nearly every click does."""
    from django.test import Client

    t, n = time.monotonic(), 0
    for page in plan:
        if page.label in (CERT_DOWNLOAD, LETTER_DOWNLOAD):
            client = Client()
            client.cookies["sessionid"] = cookies[page.role]
            for path in {*_downloads(CERTIFICATE_PDF if page.label == CERT_DOWNLOAD else LETTER_PDF), page.other_path}:
                response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code} (the paper could not be made)")
                n += 1
    if n:
        log(f"{n} papers rendered, signed and kept in {time.monotonic() - t:.1f} s")
