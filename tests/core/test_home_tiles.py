"""Issue 43 items 4-6: every home tile counts what its reader can act on now, by the rule that allows the act, and
its link opens (and so do the links of the page it opens).

The demo is loaded, each demo persona logs in and reads its home page's tiles (count and link, as shown). For each
tile that counts acts, the count must equal the number of records on which the act's own rule (the workflow
machine's :func:`allowed_actions`, or the service's refusal) would let that person act now, asked here of every
record, not of the tile's query. A tile that counts something else says so in :data:`NOT_AN_ACT`, with why; a new
tile in neither list fails. Then the demo moves (the Kepala PD withdraws a recommendation, the assessor signs their
FR.AK.05, the minutes are written) and the tiles follow.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agencies.letters.rules import SIGNER
from agencies.letters.services import letter_withdraw, live_letter
from agencies.models import Cohort, CohortLetter, LetterStatus
from agencies.selectors import cohorts_visible_to
from assessments.events.models import Appeal, Event
from assessments.events.workflow.next_act import next_act
from assessments.instruments.services import records
from certportal.accounts.models import Role, User
from certportal.menus import home_url_for
from certportal.workflow import allowed_actions
from quality.system.models import CorrectiveAction

pytestmark = pytest.mark.django_db

TILE = re.compile(r'href="([^"]*)" data-work="([^"]+)">.*?data-count>(\d+)<', re.S)


def _may(obj, user, *names) -> bool:
    return any(a.allowed for a in allowed_actions(obj, user, only=names).values())


def _letters(user) -> int:
    """Cohorts with a letter of ``user``'s office not signed yet that the letter's machine lets them sign."""
    kinds = [k for k, role in SIGNER.items() if user.has_role(role)]
    return sum(1 for cohort in Cohort.objects.all() if cohort in cohorts_visible_to(user) and any(
        live_letter(cohort, kind) is None and _may(CohortLetter(cohort=cohort, kind=kind), user, "signed")
        for kind in kinds))


def _events(user, name: str) -> int:
    return sum(1 for event in Event.objects.all() if _may(event, user, name))


# tile -> the number of records on which the act's rule lets ``user`` act now
ACTS = {
    "letters-to-sign": _letters,
    "reviews": lambda user: _events(user, "review_signed"),
    "signatures": lambda user: _events(user, "report_signed_by_assessor"),
    "assessor-reports": lambda user: sum(1 for e in Event.objects.all() if not records.report_refusal(e, user)),
    "assessment-reviews": lambda user: sum(1 for e in Event.objects.all() if not records.review_refusal(e, user)),
    "appeals": lambda user: sum(1 for a in Appeal.objects.all() if _may(a, user, "dismissed", "upheld")),
    "corrective-actions": lambda user: sum(1 for a in CorrectiveAction.objects.all()
                                           if _may(a, user, "evidence_added", "completed")),
}
# Tiles that count something other than records one acts on one by one (their link must open all the same).
NOT_AN_ACT = {
    "places": "funded places still free: the officer proposes up to that many people",
    "invited": "invitations the people proposed have not taken up: the officer follows them up",
    "people-expiring": "the agency's staff whose certificate ends soon: a reminder, not an act in the portal",
    "people-surveillance": "the agency's staff whose surveillance is due: a reminder",
    "results": "participants whose result is not recorded yet (each unit of each is an act in the grid)",
    "agency-invitation": "the civil servant's own invitation",
    "survey": "the applicant's own survey",
    "followups": "complaints by deadline (the complaint officer's queue)",
    "answers": "complaints by deadline (the complaint officer's queue)",
    "breaches": "deadlines missed, for the supervisor to read",
    "due-today": "deadlines due today, for the supervisor to read",
    "failed-outbox": "e-mails that failed, sent again from their page",
    "verifiers": "the service standard's staffing, a figure",
    "decree-reviews": "decrees past their review date",
    "scheme-decrees": "schemes resting on a revoked decree",
    "declarations-due": "declarations of interest the committee awaits",
    "lsp-licence": "the LSP's licence to renew",
    "decree-imports": "imports of a decree waiting",
    "decisions": "the pleno's decisions (the LSP admin's queue)",
    "events-week": "events of the coming week",
    "holder-reports": "holder reports to review",
    "misuse-reports": "misuse reports to handle",
    "certificates": "certificates to issue and print",
    "certificates-corrected": "certificates suspended after a correction",
    "surveillance-review": "surveillance evidence to review",
    "surveillance-overdue": "surveillance missing",
    "periodic-duties": "the LSP's periodic duties due soon or overdue (reports, audits, reviews): reminders",
    "periodic-duties-overdue": "periodic duties overdue, for the supervisor to read",
    "corrective-actions-overdue": "corrective actions overdue, whoever owns them: for quality and the supervisor",
}


@pytest.fixture
def demo(demo_data):
    """The demo as ``make run`` loads it (once per test process, rolled back after each test)."""


def _client(email: str) -> tuple[User, Client]:
    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    return user, client


def _main_links(html: str) -> set[str]:
    main = html[html.index('<main id="main"'):html.index("</main>")]
    return {unescape(h) for h in re.findall(r'<a [^>]*href="(/[^"#]*)', main)
            if not h.startswith(("/static/", "/media/")) and not h.endswith((".pdf", ".xlsx", ".csv", ".zip"))}


def _tiles_of(user, client, role) -> dict[str, tuple[int, str]]:
    client.post(reverse("switch-role"), {"role": role})
    with translation.override("id"):
        html = client.get(home_url_for(role)).content.decode()
    return {key: (int(count), unescape(url)) for url, key, count in TILE.findall(html)}


def _links_open(client, html: str, where: tuple, visited: set[str], depth: int = 2) -> None:
    """Each link of the page, and each link of the pages they open (``depth`` clicks), answers neither 403 nor
    404 (the Kepala TUK's corrective action linked its audit, which only the readers open)."""
    for link in sorted(_main_links(html) - visited):
        visited.add(link)
        answer = client.get(link)
        assert answer.status_code not in (403, 404), (*where, link, answer.status_code)
        if depth > 1 and answer.status_code == 200 and "text/html" in answer.get("Content-Type", ""):
            _links_open(client, answer.content.decode(), (*where, link), visited, depth - 1)


def _check_persona(email: str, *, crawl: bool = False) -> dict[str, dict[str, int]]:
    """Every tile of every role of ``email``: its count is the acts its rules allow now, its link opens, and (with
    ``crawl``) so does each link on the way from it."""
    user, client = _client(email)
    seen, visited = {}, set()
    for role in Role:
        if not user.has_role(role):
            continue
        tiles = _tiles_of(user, client, role)
        for key, (count, url) in tiles.items():
            assert key in ACTS or key in NOT_AN_ACT, f"{key}: a new tile; count it by its act (ACTS) or say why not"
            if key in ACTS:
                assert count == ACTS[key](user), (email, role, key, count)
            page = client.get(url)
            assert page.status_code == 200, (email, role, key, url, page.status_code)
            if crawl:
                _links_open(client, page.content.decode(), (email, role, key, url), visited)
        seen[role] = {key: count for key, (count, _url) in tiles.items()}
    return seen


def test_every_demo_persona_s_tiles_count_what_they_may_do_and_every_link_opens(demo):
    personas = sorted(User.objects.filter(email__endswith="@demo.go.id", is_active=True, role_links__isnull=False)
                      .exclude(role_links__role=Role.APPLICANT).values_list("email", flat=True).distinct())
    assert len(personas) >= 12
    seen = {email: _check_persona(email, crawl=True) for email in personas}
    # item 5: the Kepala PD is not asked to act on the people proposed; the Sekretaris Daerah counts the one cohort
    # whose head has recommended (Dinas Pendidikan's) and the tile opens that cohort's page, with the form
    assert seen["kepala.dinkes@demo.go.id"][Role.AGENCY_HEAD].get("proposed") is None
    assert seen["sekda@demo.go.id"][Role.REGIONAL_SECRETARY] == {"letters-to-sign": 1}
    # item 4: the berita acara of the demo's event 3 is signed, its FR.AK.05 is not: the assessor has it to do
    assert seen["asesor@demo.go.id"][Role.ASSESSOR]["assessor-reports"] == 1
    assert seen["kepala.tuk@demo.go.id"][Role.TUK_HEAD]["reviews"] == 0
    # item 6: the Kepala TUK's own overdue corrective action is counted, and its page links nothing they may not open
    assert seen["kepala.tuk@demo.go.id"][Role.TUK_HEAD]["corrective-actions"] == 1


def test_the_tiles_follow_the_rules_as_the_demo_moves(demo):
    # The head of Dinas Pendidikan withdraws their recommendation: the Sekretaris Daerah has nothing to sign (the
    # machine refuses their recommendation before the head's), and the head has it to sign again.
    head = User.objects.get(email="kepala.disdik@demo.go.id")
    cohort = Cohort.objects.get(agency__name="Dinas Pendidikan")
    letter = cohort.letters.get(kind="head_recommendation", status=LetterStatus.SIGNED)
    letter_withdraw(letter, actor=head, reason="Nama jabatan keliru")
    assert _check_persona("sekda@demo.go.id")[Role.REGIONAL_SECRETARY] == {"letters-to-sign": 0}
    tiles = _check_persona("kepala.disdik@demo.go.id")[Role.AGENCY_HEAD]
    assert tiles["letters-to-sign"] == 1
    # The event after its berita acara: the assessor's FR.AK.05 is what is missing, and the page says so.
    event = Event.objects.get(status="report_signed")
    assessor = User.objects.get(email="asesor@demo.go.id")
    with translation.override("en"):
        act = next_act(event)
    assert act.what.startswith("Write the minutes of meeting first")
    Event.objects.filter(pk=event.pk).update(minutes="Rapat penutupan: berjalan lancar.")
    with translation.override("en"):
        act = next_act(Event.objects.get(pk=event.pk))
    assert (act.who, act.url) == ("Assessor (Dr. Ahmad Fauzi, M.Pd.)", reverse("assessments:ak05", args=[event.pk]))
    assert act.for_viewer(assessor)
    assert _check_persona("asesor@demo.go.id")[Role.ASSESSOR]["assessor-reports"] == 1
    records.report_sign(event, user=assessor, signed_name=assessor.full_name)
    assert _check_persona("asesor@demo.go.id")[Role.ASSESSOR]["assessor-reports"] == 0
    # now quality records FR.AK.06; the Kepala TUK still has no review to sign before it
    assert _check_persona("mutu@demo.go.id")[Role.QUALITY]["assessment-reviews"] == 1
    assert _check_persona("kepala.tuk@demo.go.id")[Role.TUK_HEAD]["reviews"] == 0
