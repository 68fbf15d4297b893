"""The impartiality committee meets and its records show it (ISO/IEC 17024 5.2): a meeting is recorded once held,
with the members present in their term, its agenda and minutes, and the approved threat analysis it endorsed; the
evidence that each threat's measure works is recorded against the threat once the analysis is approved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certportal.audit.models import AuditEntry
from quality.impartiality import services
from quality.impartiality.models import CommitteeMeeting, CommitteeMember, Threat, ThreatAnalysis

pytestmark = pytest.mark.django_db

OVERVIEW = "/mutu/ketidakberpihakan/"
ADD = "/mutu/ketidakberpihakan/rapat/baru/"


def _members(lina, n=3, **term):
    today = timezone.localdate()
    term = {"term_from": today - datetime.timedelta(days=300), "term_to": today + datetime.timedelta(days=300),
            **term}
    return [services.member_save(actor=lina, name=f"Anggota {i}", position="Anggota", interest="Akademisi", **term)
            for i in range(n)]


def _approved(lina, quinn):
    analysis = services.analysis_create(actor=lina, year=timezone.localdate().year,
                                        review_on=timezone.localdate() + datetime.timedelta(days=30))
    services.threat_add(analysis, actor=lina, source=Threat.Source.FAMILIARITY, threat="Asesor menilai rekan kerja.",
                        level=Threat.Level.HIGH, measure="Asesor dari perangkat daerah lain.")
    return services.analysis_approve(analysis, actor=quinn)


def _post(client, members, **extra):
    data = {"held_on": timezone.localdate().isoformat(), "attendees": [m.pk for m in members],
            "agenda": "Kaji ulang analisis ancaman", "minutes": "Komite mengesahkan analisis ancaman.", **extra}
    return client.post(ADD, data, follow=True)


def test_the_lsp_admin_records_a_meeting_that_endorses_the_analysis_and_the_auditor_reads_it(lina, quinn, sofia,
                                                                                              login):
    members, analysis = _members(lina), _approved(lina, quinn)
    page = _post(login(lina), members[:2], endorsed=analysis.pk).content.decode()
    assert "Rapat komite ketidakberpihakan" in page or "Impartiality committee meeting" in page
    meeting = CommitteeMeeting.objects.get()
    assert set(meeting.attendees.all()) == set(members[:2]) and meeting.endorsed == analysis
    entry = AuditEntry.objects.get(action="quality.committeemeeting.recorded", object_id=str(meeting.pk))
    assert entry.actor == lina and "2" in entry.note
    overview = login(sofia).get(OVERVIEW).content.decode()  # the supervisor reads it, as an auditor would
    assert "Komite mengesahkan analisis ancaman." in overview and "Anggota 0" in overview
    assert ADD not in overview  # no form for a reader
    detail = login(sofia).get(analysis.get_absolute_url()).content.decode()
    assert str(meeting) in detail  # the analysis says who endorsed it


@pytest.mark.parametrize("case, message", [
    ("future", "masih akan datang"),
    ("one", "sekurang-kurangnya dua anggota"),
    ("outside", "Bukan anggota komite pada"),
    ("draft", "hanya analisis ancaman yang disetujui"),
])
def test_a_meeting_that_cannot_have_been_held_so_is_refused_and_what_was_typed_stays(lina, login, case, message):
    members = _members(lina)
    extra, chosen = {}, members[:2]
    if case == "future":
        extra["held_on"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    elif case == "one":
        chosen = members[:1]
    elif case == "outside":
        old = _members(lina, 1, term_from=datetime.date(2020, 1, 1), term_to=datetime.date(2021, 12, 31))
        CommitteeMember.objects.filter(pk=old[0].pk).update(name="Anggota Lama")
        chosen = [members[0], old[0]]
    else:
        draft = services.analysis_create(actor=lina, year=2031, review_on=datetime.date(2031, 6, 1))
        extra["endorsed"] = draft.pk
    response = _post(login(lina), chosen, **extra)
    page = response.content.decode()
    if case == "draft":  # a draft is not offered at all: the form says the choice is not valid
        assert "Masukkan pilihan yang valid" in page
    else:
        assert message.lower() in page.lower(), page[:3000]
    assert "Komite mengesahkan analisis ancaman." in page  # the minutes typed are still in the form
    assert not CommitteeMeeting.objects.exists()


def test_the_same_meeting_sent_twice_is_recorded_once(lina, login):
    members = _members(lina)
    client = login(lina)
    _post(client, members[:2])
    page = _post(client, members[:2]).content.decode()
    assert "sudah dicatat" in page
    assert CommitteeMeeting.objects.count() == 1


def test_only_the_lsp_admin_records_a_meeting(lina, quinn, sofia, asa, client, login):
    members = _members(lina)
    assert client.get(ADD).status_code == 302  # anonymous: to the log-in page
    for user in (quinn, sofia, asa):
        assert login(user).get(ADD).status_code == 403
        assert _post(login(user), members[:2]).status_code == 403
    assert not CommitteeMeeting.objects.exists()


def test_the_evidence_of_a_measure_is_recorded_once_the_analysis_is_approved(lina, quinn, asa, login):
    analysis = services.analysis_create(actor=lina, year=timezone.localdate().year,
                                        review_on=timezone.localdate() + datetime.timedelta(days=30))
    services.threat_add(analysis, actor=lina, source=Threat.Source.TRAINING, threat="Widyaiswara menilai peserta.",
                        level=Threat.Level.MEDIUM, measure="Widyaiswara tidak menilai peserta yang dilatihnya.")
    threat = analysis.threats.get()
    url = reverse("quality:threat-evidence", args=[analysis.pk])
    data = {"threat": threat.pk, "evidence": "Daftar widyaiswara dicocokkan dengan surat tugas asesor."}
    page = login(lina).post(url, data, follow=True).content.decode()  # a draft: the act is not open yet
    assert "Rekam bukti" not in page or "tidak" in page
    threat.refresh_from_db()
    assert threat.evidence == ""
    services.analysis_approve(analysis, actor=quinn)
    assert login(asa).post(url, data).status_code == 403
    page = login(quinn).post(url, data, follow=True).content.decode()
    assert "Daftar widyaiswara dicocokkan dengan surat tugas asesor." in page
    threat.refresh_from_db()
    assert threat.evidence_by == quinn and threat.evidence_at is not None
    assert AuditEntry.objects.filter(action="quality.threatanalysis.control_evidenced",
                                     object_id=str(analysis.pk), actor=quinn).exists()
    assert ThreatAnalysis.objects.get(pk=analysis.pk).status == ThreatAnalysis.Status.APPROVED
