"""Issue 30 item 1, impartiality (ISO/IEC 17024 4.3, 5.2): the committee and the threat analysis kept by the LSP
admin and read by the supervisor and quality, the yearly declaration of interest signed with a typed name, and the
refusal of whoever would assess, review, sit in a pleno or decide without a current one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certportal import personal_data
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from quality.impartiality.models import CommitteeMember, Declaration, ThreatAnalysis
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
OVERVIEW = "/mutu/ketidakberpihakan/"
SIGN = "/mutu/pernyataan/"


def _member(lina, login, **extra):
    data = {"name": "Dr. Sari Wulandari", "position": "Ketua Komite", "interest": "Asosiasi profesi",
            "term_from": "2026-01-01", "term_to": "2028-12-31", **extra}
    return login(lina).post(reverse("quality:committee-add"), data, follow=True)


# --- access -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [OVERVIEW, SIGN, "/mutu/ketidakberpihakan/komite/baru/",
                                 "/mutu/ketidakberpihakan/analisis/baru/"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/akun/masuk/" in response.url


def test_the_overview_is_for_the_lsp_admin_quality_and_the_supervisor_only(lina, quinn, sofia, asa, alice, victor,
                                                                          login):
    for user in (lina, quinn, sofia):
        assert login(user).get(OVERVIEW).status_code == 200
    for user in (asa, alice, victor):
        assert login(user).get(OVERVIEW).status_code == 403


def test_only_the_lsp_admin_keeps_the_committee_and_drafts_analyses(lina, quinn, sofia, login):
    for url in ("/mutu/ketidakberpihakan/komite/baru/", "/mutu/ketidakberpihakan/analisis/baru/"):
        assert login(lina).get(url).status_code == 200
        assert login(sofia).get(url).status_code == 403
        assert login(quinn).get(url).status_code == 403
    assert _member(sofia, login).status_code == 403
    assert not CommitteeMember.objects.exists()


def test_the_declaration_page_is_for_staff_who_may_assess_review_or_sit_in_a_pleno(asa, tono, quinn, lina, sofia,
                                                                                  alice, login):
    for user in (asa, tono, quinn, lina, sofia):
        assert login(user).get(SIGN).status_code == 200
    assert login(alice).get(SIGN).status_code == 403
    assert login(alice).post(SIGN, {"signed_name": "Alice Applicant"}).status_code == 403
    assert not Declaration.objects.filter(user=alice).exists()


# --- the committee ------------------------------------------------------------------------------------------------


def test_the_lsp_admin_adds_a_member_and_the_supervisor_reads_the_committee(lina, sofia, login):
    response = _member(lina, login)
    assert "Dr. Sari Wulandari" in response.content.decode()
    member = CommitteeMember.objects.get()
    assert AuditEntry.objects.filter(action="quality.committeemember.added", object_id=str(member.pk)).exists()
    page = login(sofia).get(OVERVIEW).content.decode()
    assert "Dr. Sari Wulandari" in page and "Asosiasi profesi" in page
    assert reverse("quality:committee-add") not in page  # read-only for the supervisor
    assert reverse("quality:committee-edit", args=[member.pk]) not in page


def test_a_term_that_ends_before_it_starts_is_refused_and_nothing_typed_is_lost(lina, login):
    response = _member(lina, login, term_to="2025-12-31")
    assert response.status_code == 200
    assert "The term cannot end before it starts." in response.content.decode() or \
        "Masa jabatan tidak dapat berakhir sebelum dimulai." in response.content.decode()
    assert 'value="Dr. Sari Wulandari"' in response.content.decode()
    assert not CommitteeMember.objects.exists()


# --- the threat analysis --------------------------------------------------------------------------------------------


def _analysis(lina, login, year=2026):
    login(lina).post(reverse("quality:threat-analysis-create"), {"year": year, "review_on": f"{year}-12-15"})
    return ThreatAnalysis.objects.get(year=year)


def test_a_threat_analysis_is_drafted_with_its_threats_and_approved_by_someone_else(lina, quinn, sofia, login):
    analysis = _analysis(lina, login)
    admin = login(lina)
    page = admin.get(analysis.get_absolute_url()).content.decode()
    assert "Record at least one threat" in page or "Catat setidaknya satu ancaman" in page
    admin.post(reverse("quality:threat-add", args=[analysis.pk]), {
        "source": "familiarity", "threat": "Asesor menilai rekan satu perangkat daerah", "level": "high",
        "measure": "Asesor dari perangkat daerah lain ditugaskan"})
    page = admin.get(analysis.get_absolute_url()).content.decode()
    assert "Asesor menilai rekan satu perangkat daerah" in page
    assert "You drafted this analysis: someone else approves it." in page or "Anda menyusun analisis ini" in page
    assert admin.post(reverse("quality:threat-analysis-approve", args=[analysis.pk])).status_code == 302
    analysis.refresh_from_db()
    assert analysis.status == ThreatAnalysis.Status.DRAFT
    login(quinn).post(reverse("quality:threat-analysis-approve", args=[analysis.pk]))
    analysis.refresh_from_db()
    assert analysis.status == ThreatAnalysis.Status.APPROVED and analysis.approved_by == quinn
    codes = list(AuditEntry.objects.filter(object_id=str(analysis.pk), action__startswith="quality.threatanalysis")
                 .order_by("pk").values_list("action", "to_state"))
    assert codes == [("quality.threatanalysis.created", "draft"), ("quality.threatanalysis.threat_added", "draft"),
                     ("quality.threatanalysis.approved", "approved")]
    # approved: no more threats; the supervisor reads it
    admin.post(reverse("quality:threat-add", args=[analysis.pk]), {
        "source": "self_interest", "threat": "Terlambat", "level": "low", "measure": "-"})
    assert analysis.threats.count() == 1
    assert "Asesor menilai rekan" in login(sofia).get(analysis.get_absolute_url()).content.decode()
    assert login(sofia).post(reverse("quality:threat-analysis-approve", args=[analysis.pk])).status_code == 403


def test_one_analysis_per_year(lina, login):
    _analysis(lina, login)
    response = login(lina).post(reverse("quality:threat-analysis-create"), {"year": 2026, "review_on": "2026-12-01"})
    assert response.status_code == 200 and ThreatAnalysis.objects.count() == 1


# --- declarations -------------------------------------------------------------------------------------------------


def test_an_assessor_signs_the_declaration_with_their_typed_name(login):
    rina = UserFactory(full_name="Rina Asesor, S.Kom.", roles=[Role.ASSESSOR], declared=False)
    c = login(rina)
    assert "You have no current declaration" in c.get(SIGN).content.decode() or \
        "Anda belum memiliki pernyataan" in c.get(SIGN).content.decode()
    c.post(SIGN, {"interests": "", "signed_name": "Rina Lain"})
    assert not Declaration.objects.filter(user=rina).exists()
    response = c.post(SIGN, {"interests": "", "signed_name": "rina asesor"}, follow=True)
    declaration = Declaration.objects.get(user=rina)
    assert declaration.valid_from == TODAY()
    assert declaration.valid_until.year == TODAY().year + 1
    assert declaration.signed_at and declaration.ip_address == "127.0.0.1"
    assert AuditEntry.objects.filter(action="quality.declaration.signed", actor=rina).count() == 1
    assert "alert-success" in response.content.decode()
    again = c.post(SIGN, {"interests": "", "signed_name": "rina asesor"})  # the same form sent again
    assert again.status_code == 200 and Declaration.objects.filter(user=rina).count() == 1


def test_a_declaration_is_valid_for_a_year():
    from quality.impartiality.rules import one_year_from

    assert one_year_from(datetime.date(2026, 3, 10)) == datetime.date(2027, 3, 9)
    assert one_year_from(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def test_the_lsp_admins_queue_shows_the_declarations_due(lina, login):
    UserFactory(full_name="Tanpa Pernyataan", roles=[Role.ASSESSOR], declared=False)
    soon = UserFactory(full_name="Segera Habis", roles=[Role.TUK_HEAD], declared=False)
    declare(soon, valid_from=TODAY() - datetime.timedelta(days=350), valid_until=TODAY() + datetime.timedelta(days=10))
    UserFactory(full_name="Pemohon Biasa", roles=[Role.APPLICANT], declared=False)  # does not declare
    page = login(lina).get(reverse("role-home", args=["lsp_admin"])).content.decode()
    tile = page.split('data-work="declarations-due"')[1].split("</a>")[0]
    assert "data-count>2<" in tile
    assert "1 overdue" in tile or "1 terlambat" in tile
    overview = login(lina).get(OVERVIEW).content.decode()
    assert "Tanpa Pernyataan" in overview and "Segera Habis" in overview


def test_the_overview_lists_everyone_in_a_constant_number_of_queries(lina, login, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 0  # drawn on every view: the drawing is measured, not a kept copy
    c = login(lina)
    c.get(OVERVIEW)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get(OVERVIEW)
    for i in range(6):
        UserFactory(full_name=f"Asesor {i}", roles=[Role.ASSESSOR])
        CommitteeMember.objects.create(name=f"Anggota {i}", position="Anggota", interest="Pemerintah",
                                       term_from=TODAY(), term_to=TODAY(), created_by=lina)
    with CaptureQueriesContext(connection) as many:
        c.get(OVERVIEW)
    assert len(many) == len(few)


def test_the_personal_data_download_has_the_declarations_and_the_committee_seat(lina, asa):
    CommitteeMember.objects.create(user=asa, name=asa.full_name, position="Anggota", interest="Asesor",
                                   term_from=TODAY(), term_to=TODAY(), created_by=lina)
    sections = {s.key: s for s in personal_data.collect(asa)}
    assert sections["quality.declarations"].records[0]["typed_name"] == asa.full_name
    assert sections["quality.committee"].records[0]["position"] == "Anggota"


def test_the_pages_speak_both_languages(lina, login):
    lina.preferred_language = "en"
    lina.save(update_fields=["preferred_language"])
    assert "Impartiality committee" in login(lina).get(OVERVIEW, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    lina.preferred_language = "id"
    lina.save(update_fields=["preferred_language"])
    assert "Komite ketidakberpihakan" in login(lina).get(OVERVIEW).content.decode()
