"""Issue 30 items 1, 5 and 6: after ``load_demo`` (twice: it changes nothing the second time) the auditor finds the
impartiality committee, this year's threat analysis approved, declarations (one assessor yet to sign, listed as due
in the LSP admin's queue and refused a pleno seat), a report to BNSP sent and one in draft, and this year's disposal
list awaiting approval; each page answers its owners."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from assessments.certificates.scope_models import MisuseReport
from certportal.accounts.models import User
from quality.impartiality import demo as impartiality_demo
from quality.impartiality.models import CommitteeMember, ThreatAnalysis
from quality.impartiality.rules import current_declaration, declaration_missing, due_people
from quality.reports.models import PeriodicReport
from quality.retention import demo as retention_demo
from quality.retention.models import DisposalKind, DisposalList, DisposalStatus
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data):
    call_command("load_demo", stdout=io.StringIO())  # loaded twice: the second time changes nothing
    return {email: User.objects.get(email=email) for email in
            ("admin.lsp@demo.go.id", "mutu@demo.go.id", "pimpinan@demo.go.id", impartiality_demo.UNSIGNED[0])}


def _pages_answer(user, urls) -> None:
    client = client_for(user)
    for url in urls:
        assert client.get(url).status_code == 200, (user.email, url)


def test_the_demo_has_the_committee_an_approved_analysis_and_declarations_one_missing(demo):
    assert sorted(CommitteeMember.objects.values_list("name", flat=True)) == sorted(
        name for name, _p, _i in impartiality_demo.COMMITTEE)
    analysis = ThreatAnalysis.objects.get(year=timezone.localdate().year)
    assert analysis.status == ThreatAnalysis.Status.APPROVED and analysis.threats.count() == 3
    unsigned = demo[impartiality_demo.UNSIGNED[0]]
    assert current_declaration(unsigned) is None and declaration_missing(unsigned)
    assert current_declaration(User.objects.get(email=impartiality_demo.EXPIRING[0])) is not None
    for email in ("admin.lsp@demo.go.id", "mutu@demo.go.id"):
        assert declaration_missing(demo[email]) is None
    due = set(due_people().values_list("email", flat=True))
    assert {impartiality_demo.UNSIGNED[0], impartiality_demo.EXPIRING[0]} <= due
    urls = [reverse("quality:impartiality"), reverse("quality:threat-analysis", args=[analysis.pk])]
    for email in ("admin.lsp@demo.go.id", "mutu@demo.go.id", "pimpinan@demo.go.id"):
        _pages_answer(demo[email], urls)
    with translation.override("en"):
        page = client_for(demo["admin.lsp@demo.go.id"]).get(
            reverse("quality:impartiality"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert impartiality_demo.UNSIGNED[1] in page and impartiality_demo.COMMITTEE[0][0] in page
    _pages_answer(unsigned, [reverse("quality:declaration-sign")])  # where the unsigned assessor signs


def test_the_demo_has_a_sent_report_and_a_draft(demo):
    reports = PeriodicReport.objects.order_by("year", "part")
    assert [r.status for r in reports] == ["sent", "draft"] and reports[0].sent_reference
    urls = [reverse("quality:report-list"), *[reverse("quality:report-detail", args=[r.pk]) for r in reports]]
    for email in ("admin.lsp@demo.go.id", "pimpinan@demo.go.id"):
        _pages_answer(demo[email], urls)


def test_the_demo_has_this_years_disposal_list_awaiting_approval(demo):
    disposal = DisposalList.objects.get(year=timezone.localdate().year)
    assert disposal.status == DisposalStatus.PROPOSED
    items = {(i.kind, i.label) for i in disposal.items.all()}
    assert (DisposalKind.APPLICANT, retention_demo.NAME) in items
    assert (DisposalKind.UNUSED_ACCOUNT, retention_demo.UNUSED[1]) in items
    assert any(kind == DisposalKind.MISUSE and retention_demo.REPORTER[0] in label for kind, label in items)
    assert MisuseReport.objects.get(reporter_name=retention_demo.REPORTER[0]).reporter_contact  # not yet approved
    urls = [reverse("quality:disposal-list"), disposal.get_absolute_url()]
    for email in ("admin.lsp@demo.go.id", "pimpinan@demo.go.id"):
        _pages_answer(demo[email], urls)
    page = client_for(demo["admin.lsp@demo.go.id"]).get(disposal.get_absolute_url()).content.decode()
    assert retention_demo.NAME in page and 'data-action="quality.disposallist.cancelled"' in page
    # issue 42 item 2: the applicant who came back after the listing is shown as left out, with the reason
    assert (DisposalKind.APPLICANT, retention_demo.RETURNED[1]) in items
    leaving = page.split('data-testid="leaving"', 1)[1].split("</div>", 1)[0]
    assert retention_demo.RETURNED[1] in leaving and retention_demo.NAME not in leaving


def test_the_demo_has_competence_criteria_for_every_role_and_two_assessors_to_watch(demo):
    from quality.competence import demo as competence_demo
    from quality.competence.models import CompetenceCriterion, CompetenceRecord
    from quality.competence.rules import COMPETENCE_ROLES
    from quality.system.duties import duties_due

    assert set(CompetenceCriterion.objects.values_list("role", flat=True)) == set(COMPETENCE_ROLES)
    assert CompetenceRecord.objects.filter(person__email="verifikator@demo.go.id", kind="evaluation").count() == 5
    today = timezone.localdate()
    due = {(d.code, str(d.label)) for d in duties_due(today) if d.overdue(today)}
    witness = User.objects.get(email=competence_demo.WITNESS_OVERDUE)
    short = User.objects.get(email=competence_demo.CPD_SHORT)
    assert any(code == "assessor-witnessing" and witness.full_name in label for code, label in due)
    assert any(code == "assessor-cpd" and short.full_name in label for code, label in due)
    admin = demo["admin.lsp@demo.go.id"]
    page = client_for(admin).get(reverse("quality:competence-list")).content.decode()
    assert 'data-code="witnessing" data-state="overdue"' in page and 'data-code="cpd" data-state="overdue"' in page
    _pages_answer(admin, [reverse("quality:competence-person", args=[witness.pk]),
                          reverse("quality:competence-criteria")])
    _pages_answer(witness, [reverse("quality:competence-person", args=[witness.pk])])
