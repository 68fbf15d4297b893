"""Seed 002 step 2, its second part: "merencanakan pelaksanaan uji kompetensi, berkoordinasi dengan Bidang Teknis
Operasional dan informasinya ke Bagian Administrasi" (Asesor Kompetensi). Each assessor of the event records their
planning on the event's planning page; the LSP admin, the Kepala TUK of the site and the other assessors read it;
step 2 waits for every assessor's planning and names who has not; the planning is a paper of the event, a part of
each participant's assessment file and of the archive of step 8."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.certificates.services.event_papers import render_event_document
from assessments.events.models import EventPlanning, Participant
from assessments.events.services.planning import planning_problem, planning_save
from assessments.events.services.readiness import READINESS_ITEMS, readiness_save
from assessments.events.workflow.next_act import next_act
from assessments.instruments.paperwork.assessment_file import parts, render_assessment_file
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.workflow import allowed_actions
from tests.factories import UserFactory
from tests.pdf_layout import pdf_text

from .factories import SiteFactory, confirm_step1, make_assessor

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql("the event's pages and papers as they run")]

ALL_READY = {name: True for name, _label in READINESS_ITEMS}
PLANNING = {"units_methods": "Unit 1: observasi langsung (IA.01)", "schedule": "09.00 pengarahan; 09.30 observasi",
            "tools_materials": "Komputer dengan aplikasi layanan, printer", "coordination": "Dengan Pak Budi, Bidang "
            "Teknis Operasional, 20 November"}


@pytest.fixture
def two_assessors(event, lina, other_assessor_user):
    """The event with a second assessor, Oscar, besides Asa; step 1 done."""
    from assessments.events.models import Assessor

    services.event_add_assessor(event, assessor=Assessor.objects.get(user=other_assessor_user), actor=lina)
    return confirm_step1(event, admin=lina)


def _page(client, event):
    return client.get(reverse("assessments:event-planning", args=[event.pk]))


def test_step_2_waits_for_every_assessors_planning_and_names_who_has_not(two_assessors, lina, tono, asa,
                                                                        other_assessor_user, login):
    event = two_assessors
    readiness_save(event, actor=tono, items=ALL_READY)
    waiting = "Waiting for the planning of the test by the assessors: Asa Assessor, Oscar Other Assessor."
    assert planning_problem(event) == waiting
    with pytest.raises(services.AssessmentError, match="Asa Assessor, Oscar Other Assessor"):
        services.event_step_complete(event, 2, actor=tono)
    planning_save(event, actor=asa, data=PLANNING)
    # the refusal and the button come from the same rule: only Oscar is named, and the Kepala TUK gets no button
    with pytest.raises(services.AssessmentError, match=r"assessors: Oscar Other Assessor\.$"):
        services.event_step_complete(event, 2, actor=tono)
    action = allowed_actions(event, tono)["site_prepared"]
    assert not action.allowed and "Oscar Other Assessor" in action.reason and "Asa" not in action.reason
    assert 'data-act="site_prepared"' not in login(tono).get(reverse("assessments:event", args=[event.pk])).content.decode()
    # the next act points the assessor who has not planned to the planning page
    with translation.override("en"):
        act = next_act(event)
    assert act.who == "Assessor (Oscar Other Assessor)" and act.what.endswith("Oscar Other Assessor.")
    assert act.url == reverse("assessments:event-planning", args=[event.pk])
    assert act.for_viewer(other_assessor_user) and not act.for_viewer(asa)
    planning_save(event, actor=other_assessor_user, data=PLANNING)
    assert planning_problem(event) is None
    assert 'data-act="site_prepared"' in login(tono).get(reverse("assessments:event", args=[event.pk])).content.decode()
    event = services.event_step_complete(event, 2, actor=tono)
    assert event.status == "site_ready"
    with translation.override("en"), pytest.raises(services.AssessmentError, match="can no longer be changed"):
        planning_save(event, actor=asa, data=PLANNING)


def test_the_readiness_checklist_comes_first_then_the_planning(two_assessors, tono):
    event = two_assessors
    with translation.override("en"):
        assert next_act(event).where == "readiness checklist on this page"
        readiness_save(event, actor=tono, items=ALL_READY)
        assert next_act(event).where == "Planning of the test"


def test_the_assessor_records_and_corrects_their_planning_on_the_page_audited(two_assessors, asa, login):
    event = two_assessors
    client = login(asa)
    page = _page(client, event).content.decode()
    assert 'id="save-planning"' in page and 'id="planning-waiting"' in page
    r = client.post(reverse("assessments:event-planning", args=[event.pk]), PLANNING)
    assert r.status_code == 302
    r = client.post(reverse("assessments:event-planning", args=[event.pk]), {**PLANNING, "schedule": "08.00 mulai"})
    planning = EventPlanning.objects.get(event=event)  # one per assessor: the second save corrects the first
    assert (planning.schedule, planning.planned_by, planning.link.assessor.user) == ("08.00 mulai", asa, asa)
    assert planning.plan == event.plan
    page = _page(client, event).content.decode()
    assert "08.00 mulai" in page and "Komputer dengan aplikasi layanan" in page
    entries = AuditEntry.objects.for_object(event).filter(action="assessments.event.planning_recorded")
    assert entries.count() == 2 and {e.actor for e in entries} == {asa}


def test_a_huge_or_empty_planning_is_refused_with_a_message(two_assessors, asa, login):
    event = two_assessors
    client = login(asa)
    r = client.post(reverse("assessments:event-planning", args=[event.pk]), {**PLANNING, "schedule": "x" * 5001})
    assert r.status_code == 200 and "5000" in r.content.decode().replace(".", "").replace(",", "")
    r = client.post(reverse("assessments:event-planning", args=[event.pk]), {**PLANNING, "coordination": " "})
    assert r.status_code == 200 and 'id="save-planning"' in r.content.decode()
    assert not EventPlanning.objects.exists()


def test_who_reads_the_planning_and_who_is_refused(two_assessors, lina, tono, asa, other_assessor_user, quinn,
                                                    sofia, alice, login, client, scheme):
    event = two_assessors
    planning_save(event, actor=asa, data=PLANNING)
    for reader in (lina, tono, other_assessor_user):  # the admin, the site's Kepala TUK, the other assessor
        r = _page(login(reader), event)
        assert r.status_code == 200 and "Komputer dengan aplikasi layanan" in r.content.decode(), reader
    assert 'id="save-planning"' not in _page(login(lina), event).content.decode()
    assert 'id="save-planning"' not in _page(login(tono), event).content.decode()
    assert 'id="save-planning"' in _page(login(other_assessor_user), event).content.decode()
    stranger = UserFactory(full_name="Sri Stranger", roles=[Role.ASSESSOR])
    make_assessor(stranger, schemes=[scheme])
    other_head = UserFactory(full_name="Hadi Other Head", roles=[Role.TUK_HEAD])
    SiteFactory(head=other_head)
    for user in (stranger, other_head, quinn, sofia, alice):
        assert _page(login(user), event).status_code == 403, user.full_name
        pdf = login(user).get(reverse("assessments:event-document", args=[event.pk, "perencanaan"]))
        assert pdf.status_code == 403, user.full_name
    r = _page(client, event)
    assert r.status_code == 302 and "next=" in r.url  # anonymous: to the login page
    # the LSP admin reads but does not plan for an assessor
    r = login(lina).post(reverse("assessments:event-planning", args=[event.pk]), PLANNING)
    assert r.status_code == 200 and EventPlanning.objects.count() == 1


def test_the_event_page_links_the_planning_for_its_readers(two_assessors, lina, asa, quinn, login):
    event = two_assessors
    url = reverse("assessments:event", args=[event.pk])
    mine = login(asa).get(url).content.decode()
    assert 'id="record-planning"' in mine and 'data-act="planning_recorded"' in mine
    admin = login(lina).get(url).content.decode()
    assert 'id="open-planning"' in admin and 'id="record-planning"' not in admin
    quality = login(quinn).get(url).content.decode()
    assert 'id="planning"' in quality and reverse("assessments:event-planning", args=[event.pk]) not in quality


def test_the_planning_pdf_the_archive_and_the_assessment_file(two_assessors, lina, asa, login):
    event = two_assessors
    participant = Participant.objects.filter(event=event).select_related("assessor__user").first()
    assert participant.assessor.user == asa
    [part] = [p for p in parts(participant) if p.code == "SOP 002 L2"]
    assert part.render is None and part.missing == "Belum dicatat oleh asesor"
    planning_save(event, actor=asa, data=PLANNING)
    r = login(lina).get(reverse("assessments:event-document", args=[event.pk, "perencanaan"]))
    assert r.status_code == 200
    text = pdf_text(r.content)
    assert "PERENCANAAN PELAKSANAAN UJI KOMPETENSI" in text and "Bidang Teknis Operasional" in text
    assert "Asa Assessor" in text and "Komputer dengan aplikasi layanan, printer" in text
    assert "Oscar Other Assessor" in text and "Belum direncanakan." in text
    archive = pdf_text(render_event_document(event, "arsip"))
    assert "Perencanaan pelaksanaan oleh asesor (langkah 2)" in archive and "09.30 observasi" in archive
    text = pdf_text(render_assessment_file(participant))
    assert "SOP 002 L2 Perencanaan Pelaksanaan Uji Kompetensi oleh Asesor" in text  # on the cover, with its page
    assert "PERENCANAAN PELAKSANAAN UJI KOMPETENSI" in text and "Komputer dengan aplikasi layanan" in text
    assert "Oscar Other Assessor" not in text  # only the participant's own assessor's planning
