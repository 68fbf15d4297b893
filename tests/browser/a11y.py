"""axe-core in Chromium: the pages each role sees, and how to check one.

axe-core comes from the npm registry (tests/a11y/package.json, installed by ``npm ci`` in .ci/run and ``make test``).
:func:`run_axe` evaluates its script in a page that has none yet (through the DevTools protocol, which the page's
Content-Security-Policy does not block), so only the pages checked parse it; a context may still add it to every
page as an init script. :func:`role_pages` and :func:`public_pages` list the pages of the demo data
(``load_reference`` + ``load_demo``) for each role; :func:`check_page` opens one, optionally opens the phone menu or
submits its form empty, and returns the serious and critical violations of the WCAG 2.0/2.1 A and AA rules;
:func:`axe_lines` and :func:`page_lines` check the page already open in a tab (the crawl's:
tests/browser/test_crawl.py).
"""

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
DUPLICATE_IDS = """() => { const seen = {}, twice = new Set();
    document.querySelectorAll('[id]').forEach(e => { if (seen[e.id]) twice.add(e.id); seen[e.id] = 1; });
    return [...twice]; }"""
# the page's language and its repeated ids, in one round trip to the browser
LANG_AND_IDS = f"() => ({{lang: document.documentElement.getAttribute('lang'), twice: ({DUPLICATE_IDS})()}})"

# The demo accounts (certportal/management/commands/load_demo.py) and one applicant of the assessed events.
DEMO_USERS = {
    "applicant": "pemohon@demo.go.id",
    "verifier": "verifikator@demo.go.id",
    "assessor": "asesor@demo.go.id",
    "lsp_admin": "admin.lsp@demo.go.id",
    "tuk_head": "kepala.tuk@demo.go.id",
    "quality": "mutu@demo.go.id",
    "complaint_officer": "pengaduan@demo.go.id",
    "supervisor": "pimpinan@demo.go.id",
    "agency_officer": "pengelola.dinkes@demo.go.id",
    "agency_head": "kepala.dinkes@demo.go.id",
    "regional_secretary": "sekda@demo.go.id",
}


@dataclass(frozen=True)
class Page:
    url: str
    submit_empty: bool = False  # submit the page's main form with nothing filled in, to show its errors
    before: Callable | None = None  # what a person does first to reach the page (given the browser page)


def _menu_pages(role: str) -> list[Page]:
    from certportal import menus

    return [Page(item.url) for item in menus.menu_for(role) if item.url != "#"]


def public_pages() -> list[Page]:
    from assessments.certificates.models import Certificate
    from complaints.models import Complaint, SurveyInvitation
    from schemes.models import Qualification, Scheme

    scheme = Scheme.objects.order_by("pk").first()
    qualification = Qualification.objects.order_by("pk").first()
    certificate = Certificate.objects.filter(status="issued").order_by("pk").first()
    complaint = Complaint.objects.order_by("pk").first()
    survey = SurveyInvitation.objects.filter(response__isnull=True).order_by("pk").first()
    answered = SurveyInvitation.objects.filter(response__isnull=False).order_by("pk").first() or _answered_survey()
    pages = [
        Page(reverse("public-home")), Page(reverse("privacy")),
        Page(reverse("accounts:login"), submit_empty=True), Page(reverse("accounts:register"), submit_empty=True),
        Page(reverse("accounts:password-reset"), submit_empty=True),
        Page(reverse("schemes:catalogue")), Page(reverse("schemes:scheme-detail", args=[scheme.pk])),
        Page(reverse("schemes:qualifications")),
        Page(reverse("schemes:qualification-detail", args=[qualification.pk])),
        Page(reverse("schemes:packaging-checker")), Page(reverse("schemes:service-standard")),
        Page(reverse("assessments:verify"), submit_empty=True),
        Page(reverse("assessments:verify-code", args=[certificate.verification_code])),
        Page(reverse("assessments:verify-document"), submit_empty=True),
        *_scope_public_pages(certificate),
        Page(reverse("assessments:verify-credential"), submit_empty=True),
        Page(reverse("complaints:public-new"), submit_empty=True),
        Page(reverse("complaints:track-lookup"), submit_empty=True),
        Page(reverse("complaints:track", args=[complaint.secret])),
        Page(reverse("complaints:survey", args=[survey.token]), submit_empty=True),
        Page(reverse("complaints:survey", args=[answered.token])),  # "already answered": an info note
        Page("/halaman-yang-tidak-ada/"),
    ]
    return pages + [p for p in _menu_pages("public") if p.url not in {q.url for q in pages}]


def _scope_public_pages(certificate) -> list[Page]:
    """Issue 30: the misuse report form, the verification of a reduced certificate and of its replacement."""
    from assessments.certificates.scope_models import ScopeReduction

    pages = [Page(reverse("assessments:misuse-new", args=[certificate.verification_code]), submit_empty=True)]
    for reduction in ScopeReduction.objects.select_related("certificate", "replacement").order_by("pk")[:1]:
        pages += [Page(reverse("assessments:verify-code", args=[reduction.certificate.verification_code])),
                  Page(reverse("assessments:verify-code", args=[reduction.replacement.verification_code]))]
    return pages


def _scope_admin_pages(certificate) -> list[Page]:
    """Issue 30: the scope reduction form, a reduced certificate, each misuse report (open and handled)."""
    from assessments.certificates.models import Certificate
    from assessments.certificates.scope_models import MisuseReport, ScopeReduction

    reducible = next((c for c in Certificate.objects.filter(status="issued").order_by("pk")
                      if c.state() == "valid" and len(c.snapshot.get("units") or []) > 1), certificate)
    # (the form asks first: submitted empty, its confirmation would stop it; the form is checked as it opens)
    pages = [Page(reverse("assessments:certificate-reduce", args=[reducible.pk]))]
    pages += [Page(reverse("assessments:certificate", args=[r.certificate_id]))
              for r in ScopeReduction.objects.order_by("pk")[:1]]
    return pages + [Page(reverse("assessments:misuse-report", args=[r.pk])) for r in MisuseReport.objects.order_by("pk")]


def _answered_survey():
    """An invitation whose survey is answered (its page shows the "already answered" note)."""
    from complaints.models import SurveyInvitation
    from complaints.services import survey_answer

    invitation = SurveyInvitation.objects.create(reference="a11y:answered", email="answered@example.go.id")
    survey_answer(invitation=invitation, scores=[3] * 9)
    return invitation


def role_pages(role: str) -> list[Page]:  # noqa: C901, PLR0912 (one list per role reads best as one function)
    """The role's menu pages plus the detail pages behind them, on the demo records."""
    from applicants.models import Application, Status
    from assessments.certificates.models import Certificate
    from assessments.events.models import Appeal, Assessor, Event, Participant, Pleno, UnitResult
    from certportal.accounts.models import User
    from certportal.sla.models import SlaPolicy
    from complaints.models import Complaint
    from schemes.models import Qualification, Scheme, TestSite, Unit

    pages = [Page(reverse("notifications:inbox")), Page(reverse("accounts:personal-data")),
             Page(reverse("accounts:password-change"), submit_empty=True)]
    if role == "applicant":
        user = User.objects.get(email=DEMO_USERS[role])
        draft = Application.objects.filter(applicant=user, status=Status.DRAFT).first()
        for app in Application.objects.filter(applicant=user):
            pages.append(Page(reverse("applicants:detail", args=[app.pk])))
        pages += [Page(reverse("applicants:profile"), submit_empty=True), Page(reverse("applicants:start")),
                  Page(reverse("applicants:step-data", args=[draft.pk]), submit_empty=True),
                  Page(reverse("applicants:step-documents", args=[draft.pk])),
                  Page(reverse("applicants:step-self-assessment", args=[draft.pk])),
                  Page(reverse("applicants:step-submit", args=[draft.pk]))]
        participant = Participant.objects.order_by("pk").first()
        pages.append(Page(reverse("assessments:mine")))
        for mine in Certificate.objects.filter(application__applicant=user, status="issued").order_by("pk")[:1]:
            pages.append(Page(reverse("assessments:holder-certificate", args=[mine.pk])))  # with its credential
        if participant and participant.application.applicant == user:
            pages.append(Page(reverse("assessments:my-participation", args=[participant.pk])))
    elif role == "verifier":
        for status in (Status.SUBMITTED, Status.RESUBMITTED, Status.COMPLETE):
            app = Application.objects.filter(status=status).first()
            pages.append(Page(reverse("applicants:verify", args=[app.pk])))
    elif role == "assessor":
        for participant in Participant.objects.order_by("pk")[:2]:
            pages.append(Page(reverse("assessments:participant", args=[participant.pk])))
        for event in Event.objects.order_by("pk"):  # the results grid (issue 19: bulk work)
            pages.append(Page(reverse("assessments:event-grid", args=[event.pk])))
    elif role in ("lsp_admin", "tuk_head"):
        for event in Event.objects.order_by("pk"):
            pages.append(Page(reverse("assessments:event", args=[event.pk])))
        pages.append(Page(reverse("assessments:participant", args=[Participant.objects.order_by("pk").first().pk])))
        if role == "lsp_admin":
            certificate = Certificate.objects.filter(status="issued").order_by("pk").first()
            pages += [Page(reverse("assessments:certificate", args=[certificate.pk])),
                      Page(reverse("assessments:appeal", args=[Appeal.objects.order_by("pk").first().pk])),
                      Page(reverse("assessments:event-create"), submit_empty=True),
                      Page(reverse("assessments:assessor-create"), submit_empty=True),
                      Page(reverse("assessments:assessor-edit", args=[Assessor.objects.order_by("pk").first().pk])),
                      Page(reverse("accounts:staff-create"), submit_empty=True),
                      Page(reverse("schemes:manage-scheme-edit", args=[Scheme.objects.order_by("pk").first().pk])),
                      Page(reverse("schemes:manage-scheme-create"), submit_empty=True),
                      Page(reverse("schemes:manage-unit-edit", args=[Unit.objects.order_by("pk").first().pk])),
                      Page(reverse("schemes:manage-qualification-edit",
                                   args=[Qualification.objects.order_by("pk").first().pk])),
                      Page(reverse("schemes:manage-test-site-edit",
                                   args=[TestSite.objects.order_by("pk").first().pk])),
                      Page(reverse("schemes:manage-skkni-upload"), submit_empty=True),
                      Page(reverse("schemes:manage-service-standard")),
                      Page(reverse("schemes:manage-unit-create"), submit_empty=True),
                      Page(reverse("schemes:manage-test-site-create")),
                      Page(reverse("schemes:manage-qualification-create")),
                      Page(reverse("assessments:event-attendance", args=[Event.objects.order_by("pk").first().pk])),
                      Page(reverse("assessments:event-pleno", args=[Event.objects.order_by("pk").first().pk])),
                      Page(reverse("assessments:pleno", args=[Pleno.objects.order_by("pk").first().pk])),
                      Page(reverse("assessments:result-correct", args=[UnitResult.objects.order_by("pk").first().pk])),
                      Page(reverse("accounts:staff-edit", args=[User.objects.get(email=DEMO_USERS["verifier"]).pk])),
                      *_scope_admin_pages(certificate)]
            policy = SlaPolicy.objects.order_by("pk").first()
            if policy is not None:
                pages.append(Page(reverse("sla:policy-edit", args=[policy.code])))
    elif role == "complaint_officer":
        for complaint in Complaint.objects.order_by("pk"):
            pages.append(Page(reverse("complaints:detail", args=[complaint.pk])))
        pages.append(Page(reverse("complaints:staff-new"), submit_empty=True))
    elif role == "supervisor":
        pages += [Page(reverse("sla:calendar")), Page(reverse("sla:policies"))]
        pages += _people_pages(supervisor=True)
    if role in ("agency_officer", "agency_head", "regional_secretary"):
        pages += _agency_pages(role)
    if role in ("agency_officer", "agency_head"):
        pages += _people_pages()
    if role == "lsp_admin":
        pages += _round_pages()
    if role in ("lsp_admin", "supervisor"):
        pages += quality_pages(role)
    if role in SYSTEM_ROLES:
        pages += management_system_pages(role)
    if role in ("lsp_admin", "quality", "supervisor"):
        pages += _impartiality_pages(role)
    if role in ("lsp_admin", "quality"):
        pages += _competence_pages()
    unique: dict[str, Page] = {}
    for page in _menu_pages(role) + pages:  # a page listed twice is checked once, with its form submitted if either asks
        if page.url not in unique or (page.submit_empty and not unique[page.url].submit_empty):
            unique[page.url] = page
    return list(unique.values())


def _impartiality_pages(role: str) -> list[Page]:
    """Issue 30 item 1: the demo's threat analysis; for the LSP admin the committee and analysis forms too."""
    from quality.impartiality.models import CommitteeMember, ThreatAnalysis

    pages = [Page(reverse("quality:impartiality")),
             Page(reverse("quality:threat-analysis", args=[ThreatAnalysis.objects.order_by("pk").first().pk]))]
    if role == "lsp_admin":
        member = CommitteeMember.objects.order_by("pk").first()
        pages += [Page(reverse("quality:committee-add"), submit_empty=True),
                  Page(reverse("quality:committee-edit", args=[member.pk])),
                  Page(reverse("quality:threat-analysis-create"), submit_empty=True)]
    return pages


def _competence_pages() -> list[Page]:
    """The competence of personnel: the list, the criteria, the demo assessor's page (warnings) and a record's form."""
    from certportal.accounts.models import User

    assessor = User.objects.get(email=DEMO_USERS["assessor"])
    return [Page(reverse("quality:competence-list")), Page(reverse("quality:competence-criteria"), submit_empty=True),
            Page(reverse("quality:competence-person", args=[assessor.pk])),
            Page(reverse("quality:competence-record-add", args=[assessor.pk, "witnessing"]), submit_empty=True)]


def _agency_pages(role: str) -> list[Page]:
    """Issue 29: the demo cohort of Dinas Kesehatan (for the Sekretaris Daerah also Dinas Pendidikan's, whose page
    shows the form to sign the recommendation it waits for), the invitation, the officer's proposal page and the
    preview of an uploaded list with its faulty rows."""
    from agencies.models import Cohort, Proposal

    cohorts = Cohort.objects.order_by("pk")
    pages = [Page(reverse("agencies:cohort-detail", args=[c.pk]))
             for c in (cohorts if role == "regional_secretary" else cohorts[:1])]
    if role == "agency_officer":
        pages.append(Page(reverse("agencies:propose")))
        pages.append(Page(reverse("agencies:invitation", args=[Proposal.objects.order_by("pk").first().token])))
        pages.append(Page(reverse("agencies:preview"), before=upload_staff_list))
    return pages


def _staff_list() -> bytes:
    """A list of three staff as an officer fills the template in: one to propose, a NIP one digit short, the same
    NIP twice."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in (["NIP", "Nama", "Surel", "Pendidikan", "Pangkat (golongan)"],
                ["198702192011011004", "Agus Prasetyo, S.KM.", "agus.prasetyo@demo.go.id", "S1", "III/b"],
                ["19870219201101100", "Salah Ketik", "salah.ketik@demo.go.id", "S1", "III/b"],
                ["198702192011011004", "Dua Kali", "dua.kali@demo.go.id", "S1", "III/b"]):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload_staff_list(page) -> None:
    """The preview is kept in the officer's session: reach it as they do, uploading a list on the proposal page."""
    page.goto(reverse("agencies:propose"))
    page.set_input_files("#id_upload-file", {"name": "usulan.xlsx", "buffer": _staff_list(),
                                             "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml"
                                                         ".sheet"})
    with page.expect_navigation():
        page.locator("form:has(#id_upload-file) button").click()


def _people_pages(*, supervisor: bool = False) -> list[Page]:
    """Issue 29 item 5: the agency's view of its people (for the supervisor, Dinas Kesehatan chosen)."""
    from applicants.models import Agency

    query = f"?agency={Agency.objects.get(name='Dinas Kesehatan').pk}" if supervisor else ""
    certificates, competence = reverse("agencies:people-certificates"), reverse("agencies:people-competence")
    more = f"{query}&" if query else "?"
    return [Page(reverse("agencies:people") + query), Page(certificates + query),
            Page(certificates + more + "group=expired"), Page(competence + query),
            Page(competence + more + "jabatan=analis+pelayanan+kesehatan")]


def quality_pages(role: str) -> list[Page]:
    """Issue 30 items 5 and 6: the periodic reports to BNSP (the demo's draft and sent one), the form to make one,
    the records-retention page and the disposal lists (the demo's one awaiting approval)."""
    from quality.reports.models import PeriodicReport
    from quality.retention.models import DisposalList

    pages = [Page(reverse("quality:report-list")), Page(reverse("quality:disposal-list"))]
    pages += [Page(report.get_absolute_url()) for report in PeriodicReport.objects.order_by("pk")]
    pages += [Page(disposal.get_absolute_url()) for disposal in DisposalList.objects.order_by("pk")]
    if role == "lsp_admin":
        pages.append(Page(reverse("quality:report-create"), submit_empty=True))
    return pages


def _round_pages() -> list[Page]:
    from agencies.models import FundedRound

    funded_round = FundedRound.objects.order_by("pk").first()
    return [Page(reverse("agencies:round-detail", args=[funded_round.pk])),
            Page(reverse("agencies:round-quotas", args=[funded_round.pk])),
            Page(reverse("agencies:round-create"), submit_empty=True)]


SYSTEM_ROLES = ("lsp_admin", "supervisor", "quality", "tuk_head")


def management_system_pages(role: str) -> list[Page]:
    """Issue 30 item 2: the demo's audit, review, corrective actions and controlled documents; the forms for the
    LSP admin; the Kepala TUK's own (overdue) action and his list."""
    from quality.system.models import ControlledDocument, CorrectiveAction, SystemReview

    actions = list(CorrectiveAction.objects.order_by("pk"))
    if role == "tuk_head":
        return [Page(reverse("quality:system-my-actions")),
                *(Page(a.get_absolute_url()) for a in actions if a.owner.email == DEMO_USERS["tuk_head"])]
    pages = [Page(reverse("quality:system-home")), Page(reverse("quality:system-actions")),
             Page(reverse("quality:system-documents")),
             *(Page(r.get_absolute_url()) for r in SystemReview.objects.order_by("pk")),
             *(Page(a.get_absolute_url()) for a in actions),
             *(Page(d.get_absolute_url()) for d in ControlledDocument.objects.order_by("pk"))]
    if role == "lsp_admin":
        review = SystemReview.objects.filter(status="recorded").order_by("pk").first()
        document = ControlledDocument.objects.order_by("pk").first()
        pages += [Page(reverse("quality:system-review-create"), submit_empty=True),
                  Page(reverse("quality:system-document-create"), submit_empty=True),
                  Page(reverse("quality:system-version-upload", args=[document.pk]), submit_empty=True)]
        if review is not None:
            pages.append(Page(reverse("quality:system-finding-add", args=[review.pk]), submit_empty=True))
    return pages


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text() + "\n;true"  # evaluated as a script; its value is not a function to call


def load_axe(page) -> None:
    """axe-core into the page and its frames, unless an init script or an earlier run put it there. A frame it
    cannot be evaluated in (one going away, a browser's own viewer) is left without it: axe then skips that frame."""
    from playwright.sync_api import Error as PlaywrightError

    for frame in page.frames:
        try:
            if not frame.evaluate("() => typeof window.axe === 'object'"):
                frame.evaluate(_axe_source())
        except PlaywrightError:
            if frame == page.main_frame:
                raise


# The walks check ``color-contrast`` (about three quarters of an axe run's time) once per state of a page's colours,
# not once per language: a page's colours do not depend on its language (no style reads ``:lang``), while each
# width and each state shows elements of its own. Indonesian checks them on a phone and with its menu open,
# English on the desktop and with a form's errors shown; every other rule runs in every state in both languages.
CONTRAST_STATES = {"id": ("phone", "menu open"), "en": ("desktop", "submitted empty")}


def contrast_checked(language: str | None, state: str) -> bool:
    """Whether ``color-contrast`` runs in ``state`` (phone, desktop, menu open, submitted empty) in ``language``
    (None: a check outside the walks, every rule everywhere)."""
    return language is None or state in CONTRAST_STATES[language]


# axe.run on what the page shows now; null when the page has no axe yet (then loaded, and run again)
AXE_RUN_JS = """async ([context, tags, contrast]) => {
    if (typeof window.axe !== 'object') return null;
    const r = await axe.run(context === 'document' ? document : context,
                            {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
                             rules: {'color-contrast': {enabled: contrast}}});
    return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                   targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
                                   summary: v.nodes.length ? v.nodes[0].failureSummary : ''}));
}"""


def run_axe(page, context: str = "document", *, contrast: bool = True) -> list[dict]:
    """The serious and critical violations of the WCAG A/AA rules on what the page shows now (without
    ``color-contrast`` when ``contrast`` is false). A page without frames is asked in one round trip when axe is
    already in it (the crawl runs axe two to four times on each page it loads); a page with frames has axe put into
    each frame that lacks it first, as a frame may have come or changed since."""
    arguments = [context, WCAG_TAGS, contrast]
    result = page.evaluate(AXE_RUN_JS, arguments) if len(page.frames) == 1 else None
    if result is None:
        load_axe(page)
        result = page.evaluate(AXE_RUN_JS, arguments)
    return [v for v in result if v["impact"] in BLOCKING]


def open_phone_menu(page) -> None:
    """On a narrow screen, open the navigation bar's menu (and its first drop-down) as a visitor would."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#mainNav.show").wait_for()
        group = page.locator("#mainNav .role-menu .dropdown-toggle").first
        if group.count() and group.is_visible():
            group.click()


def submit_empty(page) -> None:
    """Submit the page's main form with nothing filled in (the browser's own checks switched off)."""
    form = page.locator("main form:has(button, [type=submit])").last
    with page.expect_navigation():
        form.evaluate("f => { f.noValidate = true; f.querySelectorAll('[required]').forEach(e => e.required = false);"
                      " f.querySelectorAll('input[type=text], input[type=email], textarea').forEach(e => e.value = '');"
                      " f.requestSubmit(f.querySelector('button:not([type=button]), [type=submit]')); }")
    page.wait_for_load_state()


def check_page(page, target: Page, *, open_menu: bool = False, submit: bool = False,
               phone: dict | None = None, language: str | None = None) -> list[str]:
    """Open ``target`` and return one line per serious/critical violation (rule, page, selectors): as it opens, with
    the phone menu open (``open_menu``), and after its form was submitted empty (``submit``). With ``phone`` (a
    viewport), the page as it opened is also checked at the phone's width without loading it again: its layout
    follows the width as a phone's does (media queries, and portal.js's table regions are awaited), and then the
    form is submitted back at the width it opened at. With ``language`` (a walk's), ``color-contrast`` runs in the
    states :data:`CONTRAST_STATES` gives that language."""
    if target.before is not None:
        target.before(page)
    response = page.goto(target.url)
    if response is None or response.status >= 500:
        return [f"HTTP {response.status if response else '-'} on {target.url}"]
    opened_at = page.viewport_size
    desktop = "phone" if opened_at and opened_at["width"] <= PHONE["width"] else "desktop"
    states: list[tuple[str, str, Callable | None]] = [("", desktop, None)]
    if phone is not None:
        states.append((f" [{phone['width']}px]", "phone", lambda p: resize(p, phone)))
    if open_menu:
        states.append((" [menu open]", "menu open", open_phone_menu))
    if submit:
        def back_and_submit(p):
            if phone is not None:
                resize(p, opened_at)
            if open_menu:
                p.goto(target.url)
            submit_empty(p)
        states.append((" [submitted empty]", "submitted empty", back_and_submit))
    lines = []
    for label, state, action in states:
        if action is not None:
            action(page)
        lines += axe_lines(page, target.url, label, contrast=contrast_checked(language, state))
    return lines


def axe_lines(page, url: str, label: str = "", *, contrast: bool = True) -> list[str]:
    """One line per serious/critical violation on what the page shows now (rule, page and state, selectors)."""
    lines = []
    for v in run_axe(page, contrast=contrast):
        reason = v["summary"].strip().splitlines()[-1].strip() if v["summary"] else v["help"]
        lines.append(f"{v['id']} ({v['impact']}) on {url}{label}: {', '.join(v['targets'])} — {reason}")
    return lines


def page_lines(page, url: str, language: str) -> list[str]:
    """What is wrong with the page open in the tab as a whole: not shown in ``language``, or element ids repeated."""
    lines = []
    seen = page.evaluate(LANG_AND_IDS)
    if seen["lang"] != language:  # the page really is in that language
        lines.append(f"{url} is not shown in {language}")
    twice = seen["twice"]
    if twice:
        lines.append(f"duplicate ids on {url}: {', '.join(twice)}")
    return lines


# portal.js gives a table region a tab stop while it is wider than its box, again after a resize (debounced)
TABLES_SETTLED = """() => [...document.querySelectorAll('.table-responsive, main pre')].every(b =>
    b.dataset.tabindexSet === 'fixed' || (b.scrollWidth > b.clientWidth + 1) === b.hasAttribute('tabindex'))"""


def resize(page, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    page.wait_for_function(TABLES_SETTLED)
