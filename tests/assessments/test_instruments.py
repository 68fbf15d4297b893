"""The instruments an assessor fills per participant and unit (FR.IA.01, 08 and the bank instruments): the rows the
portal builds, the outcome rules, drafts that a second tab never overwrites silently, signing, records that never
change once signed, who may read them, their PDFs, and a K that rests on them (FR.AK.02)."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applicants.models import SelfAssessment
from assessments import services
from assessments.errors import AssessmentError
from assessments.events.models import Event
from assessments.instruments.models.plans import BankItem
from assessments.instruments.models.records import InstrumentRecord
from assessments.instruments.paperwork.instruments import render_record
from assessments.instruments.services import entries
from assessments.instruments.services import instruments as instr
from certportal.audit.models import AuditEntry
from certportal.workflow import action_label, transition

from .factories import (
    agree,
    fill_planned_instruments,
    give_criteria,
    give_portfolio,
    make_application,
    mark_all_present,
    planned_event,
    run_steps,
    scheme_with_units,
    sufficient_values,
    the_test_day_arrives,
    validated_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(lina, tono, asa, scheme, site, assessor, alice_app, bob_app):
    """The test day of an event planned under the scheme's validated plan: Alice (experienced: portfolio and
    interview) and Bob (not experienced: observation and oral questions), both present, FR.AK.01 accepted."""
    validated_plan(scheme)
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app, bob_app])
    assert event.plan_id
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    for p in event.participants.select_related("application__applicant"):
        agree(p)
    return event


@pytest.fixture
def alice_p(planned, alice):
    return planned.participants.get(application__applicant=alice)


@pytest.fixture
def bob_p(planned, bob):
    return planned.participants.get(application__applicant=bob)


@pytest.fixture
def units(scheme):
    return [su.unit for su in scheme.scheme_units.order_by("position")]


PARTICIPANT_PAGE_QUERIES = 35  # the staff participant page of `planned` (43 when each panel asked for the codes first)


def url(p, unit, code):
    return reverse("assessments:instrument-record", args=[p.pk, unit.pk, code.replace(".", "").lower()])


def record(p, unit, code):
    return InstrumentRecord.objects.filter(participant=p, unit=unit, instrument=code).first()


def kuk_post(unit, answer="ya", **extra):
    return {**{f"achieved_c{c.pk}": answer for c in give_criteria(unit)}, **extra}


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


# --- the outcome rules ---------------------------------------------------------------------------------------


def test_outcome_is_sufficient_only_when_every_row_passes_and_never_for_an_empty_record():
    ok, no = InstrumentRecord.Outcome.SATISFACTORY, InstrumentRecord.Outcome.NOT_SATISFACTORY
    assert entries.outcome_of("IA.01", [{"achieved": True}, {"achieved": True}]) == ok
    assert entries.outcome_of("IA.01", [{"achieved": True}, {"achieved": False}]) == no
    every_check = dict.fromkeys(entries.CHECKS, True)
    assert entries.outcome_of("IA.08", [every_check, every_check]) == ok
    assert entries.outcome_of("IA.08", [every_check, {**every_check, "current": False}]) == no
    assert entries.outcome_of("IA.07", [{"satisfactory": True}]) == ok
    assert entries.outcome_of("IA.09", [{"satisfactory": True}, {"satisfactory": False}]) == no
    for code in ("IA.01", "IA.08", "IA.02", "IA.11"):
        assert entries.outcome_of(code, []) == no


def test_a_record_is_signed_only_when_every_row_is_answered_and_a_third_party_is_named():
    assert "KUK 1.2" in entries.sign_refusal("IA.01", [{"number": "1.1", "achieved": True},
                                                     {"number": "1.2", "achieved": None}], {})
    assert "SK" in entries.sign_refusal("IA.08", [{"name": "SK", **dict.fromkeys(entries.CHECKS, True),
                                                 "sufficient": None}], {})
    assert entries.sign_refusal("IA.07", [], {})  # nothing asked: add a question of your own
    rows = [{"satisfactory": True}]
    assert entries.sign_refusal("IA.07", rows, {}) is None
    assert "third party" in entries.sign_refusal("IA.10", rows, {})
    assert entries.sign_refusal("IA.10", rows, {"person_name": "Kabid", "person_role": "Atasan"}) is None


# --- FR.IA.01 --------------------------------------------------------------------------------------------------


def test_the_observation_checklist_lists_every_kuk_of_every_element(login, asa, bob_p, units):
    criteria = give_criteria(units[0])
    page = login(asa).get(url(bob_p, units[0], "IA.01")).content.decode()
    assert 'id="record-form"' in page
    for c in criteria:
        assert c.text in page and f'name="achieved_c{c.pk}"' in page and f'name="note_c{c.pk}"' in page
    assert page.count('class="mb-3 instrument-element"') == 2


def test_the_assessor_saves_a_draft_then_signs_and_a_kuk_not_achieved_makes_it_not_sufficient(login, asa, bob_p,
                                                                                               units):
    client, unit = login(asa), units[0]
    criteria = give_criteria(unit)
    first = f"achieved_c{criteria[0].pk}"
    response = client.post(url(bob_p, unit, "IA.01"), {first: "ya", f"note_c{criteria[0].pk}": "Cekatan",
                                                       "action": "save"})
    assert response.status_code == 302
    draft = record(bob_p, unit, "IA.01")
    assert draft.status == "draft" and draft.entries[0]["achieved"] is True and draft.entries[0]["note"] == "Cekatan"
    assert draft.entries[1]["achieved"] is None

    refused = client.post(url(bob_p, unit, "IA.01"), {first: "ya", "action": "sign", "signed_name": "Asa Assessor",
                                                      "version": instr.version_of(draft)})
    assert refused.status_code == 200 and "KUK 1.2" in refused.content.decode()  # every row first
    draft.refresh_from_db()
    assert draft.status == "draft"

    data = kuk_post(unit, **{f"achieved_c{criteria[-1].pk}": "tidak"}, action="sign", signed_name="asa assessor",
                    version=instr.version_of(draft), notes="Latih lagi langkah terakhir")
    assert client.post(url(bob_p, unit, "IA.01"), data).status_code == 302
    signed = record(bob_p, unit, "IA.01")
    assert (signed.status, signed.outcome, signed.signed_name) == ("signed", "not_satisfactory", "asa assessor")
    assert signed.signed_at and signed.ip_address == "127.0.0.1"
    assert signed.snapshot["participant"]["name"] == "Bob Applicant, S.E." and signed.snapshot["unit"]["code"] == unit.code
    assert [row["achieved"] for row in signed.snapshot["entries"]] == [True, True, True, False]
    actions = list(AuditEntry.objects.filter(object_id=str(signed.pk), action__startswith="assessments.instrumentrecord")
                   .values_list("action", flat=True).order_by("id"))
    assert actions == ["assessments.instrumentrecord.created", "assessments.instrumentrecord.signed"]
    assert action_label("assessments.instrumentrecord.signed")


def test_signing_needs_the_assessors_own_name(alice_p, bob_p, asa, units):
    give_criteria(units[0])
    rows = entries.record_rows(bob_p, units[0], "IA.01", None)
    data = instr.RecordInput(values=sufficient_values("kuk", rows))
    with pytest.raises(AssessmentError, match="type your name as it is in your account: Asa Assessor"):
        instr.record_sign(bob_p, unit=units[0], instrument="IA.01", actor=asa, data=data, signed_name="Bob Applicant")
    assert record(bob_p, units[0], "IA.01") is None  # all or nothing: not even the draft


def test_a_unit_without_kuk_cannot_be_observed_and_the_page_says_why(login, asa, bob_p, units):
    with pytest.raises(AssessmentError, match="no performance criteria"):
        instr.record_sign(bob_p, unit=units[1], instrument="IA.01", actor=asa, data=instr.RecordInput(values={}),
                          signed_name="Asa Assessor")
    page = login(asa).get(url(bob_p, units[1], "IA.01")).content.decode()
    assert "belum memiliki kriteria unjuk kerja (KUK)" in page and 'id="record-form"' in page


# --- a second tab, signed records ----------------------------------------------------------------------------


def test_a_save_from_a_second_tab_opened_before_the_first_saved_is_refused_and_loses_nothing(login, asa, bob_p,
                                                                                            units):
    client, unit = login(asa), units[0]
    criteria = give_criteria(unit)
    first, second = f"note_c{criteria[0].pk}", f"note_c{criteria[1].pk}"
    assert client.post(url(bob_p, unit, "IA.01"), {first: "tab A", "action": "save"}).status_code == 302
    opened = instr.version_of(record(bob_p, unit, "IA.01"))  # both tabs open the saved draft
    assert client.post(url(bob_p, unit, "IA.01"), {first: "tab A again", "action": "save",
                                                   "version": opened}).status_code == 302
    response = client.post(url(bob_p, unit, "IA.01"), {second: "tab B", "action": "save", "version": opened})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="record-refused"' in page
    assert "saved elsewhere" in page or "disimpan di tempat lain" in page
    assert 'value="tab B"' in page  # what tab B typed is still on its page
    saved = record(bob_p, unit, "IA.01")
    assert [row["note"] for row in saved.entries[:2]] == ["tab A again", ""]


def test_two_first_saves_at_once_the_later_is_refused(asa, bob_p, units):
    give_criteria(units[0])
    instr.record_save(bob_p, unit=units[0], instrument="IA.01", actor=asa, data=instr.RecordInput(values={}))
    with pytest.raises(AssessmentError, match="saved elsewhere"):
        instr.record_save(bob_p, unit=units[0], instrument="IA.01", actor=asa,
                          data=instr.RecordInput(values={}, version=""))


def test_a_signed_record_is_never_changed(login, asa, bob_p, units):
    fill_planned_instruments(bob_p, asa)
    signed = record(bob_p, units[0], "IA.01")
    before = (signed.entries, signed.snapshot, signed.updated_at)
    with pytest.raises(AssessmentError, match="never changed"):
        instr.record_save(bob_p, unit=units[0], instrument="IA.01", actor=asa,
                          data=instr.RecordInput(values={}, version=instr.version_of(signed)))
    for action in ("saved", "signed"):
        with pytest.raises(AssessmentError):
            transition(signed, action, user=asa, entries=[])
    page = login(asa).post(url(bob_p, units[0], "IA.01"), {"action": "save", "version": instr.version_of(signed)})
    assert page.status_code == 200 and 'id="record-form"' not in page.content.decode()
    signed.refresh_from_db()
    assert (signed.entries, signed.snapshot, signed.updated_at) == before


# --- who fills, when, what ------------------------------------------------------------------------------------


def test_only_the_planned_instruments_are_filled_and_never_ia05(asa, alice_p, bob_p, units):
    give_criteria(units[0])
    with pytest.raises(AssessmentError, match="does not ask for FR.IA.01"):
        instr.record_save(alice_p, unit=units[0], instrument="IA.01", actor=asa, data=instr.RecordInput(values={}))
    with pytest.raises(AssessmentError, match="FR.IA.05"):
        instr.record_save(bob_p, unit=units[0], instrument="IA.05", actor=asa, data=instr.RecordInput(values={}))


def test_nothing_is_filled_by_another_assessor_before_the_test_or_for_an_absent_participant(
        lina, tono, asa, other_assessor_user, scheme, site, assessor, bob_app, units):
    validated_plan(scheme)
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[bob_app],
                          days_ahead=3)
    run_steps(event, 4, admin=lina, tuk_head=tono)
    p = event.participants.get()
    give_criteria(units[0])
    data = instr.RecordInput(values={})
    with pytest.raises(AssessmentError, match="starts on"):
        instr.record_save(p, unit=units[0], instrument="IA.01", actor=asa, data=data)
    the_test_day_arrives(event)
    with pytest.raises(AssessmentError, match="FR.AK.01"):
        instr.record_save(p, unit=units[0], instrument="IA.01", actor=asa, data=data)
    agree(p)
    with pytest.raises(AssessmentError, match="assessor"):
        instr.record_save(p, unit=units[0], instrument="IA.01", actor=other_assessor_user, data=data)
    services.attendance_record(event, actor=asa, participants={p.pk: False}, assessors={})
    with pytest.raises(AssessmentError, match="absent"):
        instr.record_save(p, unit=units[0], instrument="IA.01", actor=asa, data=data)
    assert not InstrumentRecord.objects.exists()


# --- FR.IA.08 and the bank instruments ------------------------------------------------------------------------


def test_the_portfolio_verification_lists_the_dossier_with_its_files_and_the_self_assessment(login, asa, alice_p,
                                                                                             units):
    docs = give_portfolio(alice_p.application)
    SelfAssessment.objects.create(application=alice_p.application, unit=units[0], answer="yes",
                                  evidence="Laporan pelayanan triwulan II")
    file = docs[0].files.get()
    page = login(asa).get(url(alice_p, units[0], "IA.08")).content.decode()
    assert "SK penugasan dan laporan kegiatan" in page and reverse("applicants:file", args=[file.pk]) in page
    assert "Laporan pelayanan triwulan II" in page and 'id="self-assessment"' in page
    key = f"d{docs[0].pk}"
    checks = {f"{c}_{key}": "ya" for c in entries.CHECKS}
    response = login(asa).post(url(alice_p, units[0], "IA.08"), {**checks, f"current_{key}": "tidak",
                                                                 "action": "sign", "signed_name": "Asa Assessor"})
    assert response.status_code == 302
    signed = record(alice_p, units[0], "IA.08")
    assert signed.outcome == "not_satisfactory" and signed.entries[0]["files"][0]["name"] == "portofolio.pdf"
    assert signed.snapshot["self_assessment"][0]["evidence"] == "Laporan pelayanan triwulan II"
    # the assessor opens the file through the dossier's own permission-checked download
    assert login(asa).get(reverse("applicants:file", args=[file.pk])).status_code == 200


def test_a_bank_instrument_asks_each_active_item_and_the_assessor_may_add_own_questions(login, asa, bob_p, units):
    unit = units[0]
    item = BankItem.objects.create(unit=unit, instrument="IA.07", text="Apa tujuan standar pelayanan?",
                                   expected="Kepastian layanan bagi masyarakat")
    BankItem.objects.create(unit=unit, instrument="IA.07", text="Pertanyaan lama", is_active=False)
    client = login(asa)
    page = client.get(url(bob_p, unit, "IA.07")).content.decode()
    assert "Apa tujuan standar pelayanan?" in page and "Pertanyaan lama" not in page and 'id="text_new"' in page
    shown = AuditEntry.objects.get(action="assessments.bankitem.viewed")  # the bank is confidential
    assert shown.actor == asa and f"#{item.pk}" in shown.note and "FR.IA.07" in shown.note
    response = client.post(url(bob_p, unit, "IA.07"), {
        f"answer_i{item.pk}": "Agar layanan pasti", f"satisfactory_i{item.pk}": "ya",
        "text_new": "Bagaimana menangani keluhan?", "answer_new": "Dicatat dan ditindaklanjuti",
        "satisfactory_new": "ya", "action": "save"})
    assert response.status_code == 302
    draft = record(bob_p, unit, "IA.07")
    assert [(r["key"], r["text"], r.get("own", False)) for r in draft.entries] == [
        (f"i{item.pk}", "Apa tujuan standar pelayanan?", False), ("o1", "Bagaimana menangani keluhan?", True)]
    page = client.get(url(bob_p, unit, "IA.07")).content.decode()
    assert 'name="text_o1"' in page  # the own question stays editable until signed
    response = client.post(url(bob_p, unit, "IA.07"), {
        "text_o1": "", "action": "sign", "signed_name": "Asa Assessor", "version": instr.version_of(draft)})
    assert response.status_code == 302  # emptied: taken out; the bank item was answered before
    signed = record(bob_p, unit, "IA.07")
    assert signed.outcome == "satisfactory" and len(signed.entries) == 1


def test_an_empty_bank_is_assessed_with_the_assessors_own_question(asa, bob_p, units):
    values = sufficient_values("bank", [])
    signed = instr.record_sign(bob_p, unit=units[1], instrument="IA.07", actor=asa, signed_name="Asa Assessor",
                               data=instr.RecordInput(values=values))
    assert signed.outcome == "satisfactory" and signed.entries[0]["own"] is True
    assert "Jelaskan langkah pelayanan" in pdf_text(render_record(signed))


def test_hostile_input_is_refused_with_a_clear_message(asa, bob_p, units):
    criteria = give_criteria(units[0])
    for values in ({f"c{criteria[0].pk}": {"achieved": "maybe"}}, {f"c{criteria[0].pk}": {"note": "x" * 1001}}):
        with pytest.raises(AssessmentError):
            instr.record_save(bob_p, unit=units[0], instrument="IA.01", actor=asa,
                              data=instr.RecordInput(values=values))
    instr.record_save(bob_p, unit=units[0], instrument="IA.01", actor=asa,
                      data=instr.RecordInput(values={"c999999": {"achieved": "ya"}}))  # a forged row: ignored
    assert all(row["achieved"] is None for row in record(bob_p, units[0], "IA.01").entries)


# --- who sees the records -------------------------------------------------------------------------------------


@pytest.fixture
def signed_ia01(asa, bob_p, units):
    fill_planned_instruments(bob_p, asa)
    return record(bob_p, units[0], "IA.01")


def record_pages(rec):
    return [url(rec.participant, rec.unit, rec.instrument), reverse("assessments:instrument-pdf", args=[rec.pk]),
            reverse("assessments:ak02-pdf", args=[rec.participant_id])]


@pytest.mark.slow
def test_the_own_assessor_lsp_admin_and_quality_read_the_records(login, asa, lina, quinn, signed_ia01):
    for user in (asa, lina, quinn):
        for page in record_pages(signed_ia01):
            assert login(user).get(page).status_code == 200, (user, page)
    page = login(lina).get(url(signed_ia01.participant, signed_ia01.unit, "IA.01")).content.decode()
    assert 'id="record-form"' not in page and 'id="record-rows"' in page  # read only


def test_another_assessor_the_applicant_and_the_tuk_head_get_403_and_anonymous_logs_in(
        client, login, other_assessor_user, bob, alice, tono, lina, planned, signed_ia01):
    services.event_add_assessor(planned, assessor=other_assessor_user.assessor, actor=lina)
    for user in (other_assessor_user, bob, alice, tono):
        for page in record_pages(signed_ia01):
            assert login(user).get(page).status_code == 403, (user, page)
    for page in record_pages(signed_ia01):
        response = client.get(page)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_the_participant_page_lists_the_plans_evidence_with_each_records_state(login, asa, lina, tono, bob_p, units):
    give_criteria(units[0])
    instr.record_save(bob_p, unit=units[0], instrument="IA.01", actor=asa, data=instr.RecordInput(values={}))
    page = login(asa).get(reverse("assessments:participant", args=[bob_p.pk])).content.decode()
    section = page.split('id="instruments"')[1].split("</section>")[0]
    assert section.count('class="instrument-unit') == 3
    first = section.split(f'data-unit="{units[0].code}"')[1].split("</ul>")[0]
    assert 'data-instrument="IA.01" data-state="draft"' in first and 'data-instrument="IA.07" data-state="none"' in first
    assert url(bob_p, units[0], "IA.01") in first and url(bob_p, units[0], "IA.07") in first
    # the Kepala TUK sees the participant but not the records
    assert 'id="instruments"' not in login(tono).get(reverse("assessments:participant", args=[bob_p.pk])).content.decode()


def test_the_participant_page_asks_about_its_readers_own_assessments_inside_its_queries(
        login, asa, lina, bob_p, units, django_assert_max_num_queries):
    """The panels leave out the schemes their reader is being assessed on within each of their queries, not by two
    queries of their own before each panel (four panels asked: 45 queries on the demo's page, now 37). An LSP admin
    being assessed on another scheme still reads this one's records."""
    make_application(scheme_with_units(1), lina, status="submitted")
    client = login(lina)
    client.get(reverse("assessments:participant", args=[bob_p.pk]))  # the session's first reads
    with django_assert_max_num_queries(PARTICIPANT_PAGE_QUERIES):
        page = client.get(reverse("assessments:participant", args=[bob_p.pk])).content.decode()
    assert 'id="instruments"' in page and page.count('class="instrument-unit') == len(units)


def test_an_event_without_a_plan_says_so_in_one_line(login, asa, lina, tono, event):
    run_steps(event, 4, admin=lina, tuk_head=tono)
    Event.objects.filter(pk=event.pk).update(plan=None)  # set-up: an event confirmed before the plan guard
    p = event.participants.first()
    page = login(asa).get(reverse("assessments:participant", args=[p.pk])).content.decode()
    assert 'id="instruments-no-plan"' in page and "instrument-line" not in page


# --- a K rests on the records (FR.AK.02) ----------------------------------------------------------------------


def test_k_rests_on_the_plans_evidence_or_on_a_reason(login, asa, alice_p, units):
    """Alice (experienced): IA.08 and IA.09 signed sufficient for the first unit → K without a reason; the other
    units are refused with their codes named, until the reason is given."""
    client = login(asa)
    give_portfolio(alice_p.application)
    BankItem.objects.create(unit=units[0], instrument="IA.09", text="Ceritakan kasus pelayanan tersulit Anda")
    for code in ("IA.08", "IA.09"):
        rows = entries.record_rows(alice_p, units[0], code, None)
        post = {f"{field}_{key}": value for key, fields in sufficient_values(entries.kind_of(code), rows).items()
                for field, value in fields.items()}
        response = client.post(url(alice_p, units[0], code), {**post, "action": "sign", "signed_name": "Asa Assessor"})
        assert response.status_code == 302, response.content.decode()[:3000]
    assert {r.instrument: r.outcome for r in InstrumentRecord.objects.filter(participant=alice_p)} == {
        "IA.08": "satisfactory", "IA.09": "satisfactory"}

    participant_url = reverse("assessments:participant", args=[alice_p.pk])
    page = client.get(participant_url).content.decode()
    assert f'id="evidence_gap_reason_{units[0].pk}"' not in page
    assert f'id="evidence_gap_reason_{units[1].pk}"' in page and f'id="gap_{units[1].pk}"' in page
    response = client.post(participant_url, {f"result_{u.pk}": "K" for u in units}, follow=True)
    page = response.content.decode()
    assert units[1].code in page and units[2].code in page and "FR.IA.08" in page
    results = {r.unit_id: r for r in alice_p.results.all()}
    assert set(results) == {units[0].pk}
    assert "FR.IA.08" in results[units[0].pk].evidence and results[units[0].pk].evidence_gap_reason == ""

    reason = "Portofolio dibahas lengkap dalam wawancara unit sebelumnya"
    response = client.post(participant_url, {f"result_{units[1].pk}": "K",
                                             f"evidence_gap_reason_{units[1].pk}": reason})
    assert response.status_code == 302
    assert alice_p.results.get(unit=units[1]).evidence_gap_reason == reason
    page = client.get(participant_url).content.decode()
    assert reason in page

    grid_save = reverse("assessments:event-grid-save", args=[alice_p.event_id])
    refused = client.post(grid_save, {"participant": alice_p.pk, "unit": units[2].pk, "result": "K"})
    assert refused.status_code == 422 and units[2].code in refused.json()["message"]
    saved = client.post(grid_save, {"participant": alice_p.pk, "unit": units[2].pk, "result": "K",
                                    "evidence_gap_reason": reason})
    assert saved.status_code == 200 and saved.json()["evidence_gap_reason"] == reason


def test_the_grid_shows_the_instruments_behind_each_cell(login, asa, alice_p, bob_p, units):
    fill_planned_instruments(bob_p, asa)
    page = login(asa).get(reverse("assessments:event-grid", args=[bob_p.event_id])).content.decode()
    bob_cell = page.split(f'data-participant="{bob_p.pk}" data-unit="{units[0].pk}"')[1].split("</td>")[0]
    assert 'data-instrument="IA.01" data-state="sufficient"' in bob_cell and "cell-gap" not in bob_cell
    alice_cell = page.split(f'data-participant="{alice_p.pk}" data-unit="{units[0].pk}"')[1].split("</td>")[0]
    assert 'data-instrument="IA.08" data-state="none"' in alice_cell and "cell-gap" in alice_cell


def test_the_grid_with_a_plan_costs_the_same_queries_at_2_and_at_20_participants(login, lina, tono, asa, scheme, site,
                                                                                 assessor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import make_application

    validated_plan(scheme)

    def queries(n):
        apps = [make_application(scheme, experienced=i % 2 == 0) for i in range(n)]
        event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=apps)
        run_steps(event, 4, admin=lina, tuk_head=tono)
        mark_all_present(event, actor=asa)
        fill_planned_instruments(event.participants.order_by("pk").last(), asa)
        with CaptureQueriesContext(connection) as ctx:
            assert login(asa).get(reverse("assessments:event-grid", args=[event.pk])).status_code == 200
        return len(ctx.captured_queries)

    assert queries(2) == queries(20)


# --- the PDFs -------------------------------------------------------------------------------------------------


def test_each_form_prints_from_its_snapshot_laid_out_like_the_paper_form(login, lina, asa, alice_p, bob_p, units):
    BankItem.objects.create(unit=units[0], instrument="IA.09", text="Ceritakan kasus pelayanan tersulit Anda")
    fill_planned_instruments(bob_p, asa)
    fill_planned_instruments(alice_p, asa)
    ia01 = pdf_text(render_record(record(bob_p, units[0], "IA.01")))
    assert "FR.IA.01 · Versi 1" in ia01 and "CEKLIS OBSERVASI" in ia01
    assert "Bob Applicant, S.E." in ia01 and "Asa Assessor" in ia01 and units[0].code in ia01
    assert "Kebutuhan pelanggan 1.1 diidentifikasi sesuai SOP" in ia01 and "Penilaian Lanjut" in ia01
    ia08 = pdf_text(render_record(record(alice_p, units[0], "IA.08")))
    assert "CEKLIS VERIFIKASI PORTOFOLIO" in ia08 and "SK penugasan dan laporan kegiatan" in ia08
    assert "Memadai" in ia08 and "Bukti memadai" in ia08
    ia09 = pdf_text(render_record(record(alice_p, units[0], "IA.09")))
    assert "FR.IA.09" in ia09 and "PERTANYAAN WAWANCARA" in ia09 and "Ceritakan kasus pelayanan tersulit" in ia09
    assert "Dijawab dengan benar dan lengkap" in ia09
    # frozen: a later change of the KUK's wording does not change the signed form
    criterion = give_criteria(units[0])[0]
    criterion.text = "Teks baru"
    criterion.save()
    assert "Teks baru" not in pdf_text(render_record(record(bob_p, units[0], "IA.01")))
    response = login(lina).get(reverse("assessments:instrument-pdf", args=[record(bob_p, units[1], "IA.01").pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_third_party_clarification_names_who_was_asked(login, lina, tono, asa, scheme, site, assessor, bob_app):
    """A plan that asks FR.IA.10 of participants who are not experienced: the page asks who was asked (name and
    role, needed to sign), the record keeps them in its details and the PDF prints them."""
    from assessments.instruments.services.plans import (
        PlanRow,
        plan_create,
        plan_set_rows,
        plan_validate,
        scheme_instruments_set,
    )

    from .factories import make_assessor

    scheme_instruments_set(scheme, actor=lina, instruments=["IA.01", "IA.07", "IA.08", "IA.09", "IA.10"])
    maker = make_assessor(schemes=[scheme]).user
    plan = plan_create(scheme, actor=maker)
    rows = [PlanRow(r.unit_id, r.group, r.instrument, r.evidence_type, r.evidence) for r in plan.evidence.all()]
    rows += [PlanRow(su.unit_id, "training_std", "IA.10", "T", "Keterangan atasan langsung")
             for su in scheme.scheme_units.all()]
    plan_validate(plan_set_rows(plan, actor=maker, rows=rows), actor=make_assessor(schemes=[scheme]).user)
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[bob_app])
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    p = event.participants.get()
    agree(p)
    unit = scheme.scheme_units.order_by("position").first().unit
    client = login(asa)
    page = client.get(url(p, unit, "IA.10")).content.decode()
    assert 'name="detail_person_name"' in page and 'name="detail_person_role"' in page
    own = {"text_new": "Bagaimana kinerja pelayanan yang bersangkutan?", "answer_new": "Konsisten dan ramah",
           "satisfactory_new": "ya", "action": "sign", "signed_name": "Asa Assessor"}
    refused = client.post(url(p, unit, "IA.10"), own)
    assert refused.status_code == 200 and 'id="record-refused"' in refused.content.decode()
    response = client.post(url(p, unit, "IA.10"), {**own, "detail_person_name": "Drs. Hadi Kusuma",
                                                   "detail_person_role": "Kepala Bidang Pelayanan (atasan langsung)"})
    assert response.status_code == 302
    signed = record(p, unit, "IA.10")
    assert signed.details == {"person_name": "Drs. Hadi Kusuma", "contact": "",
                              "person_role": "Kepala Bidang Pelayanan (atasan langsung)"}
    text = pdf_text(render_record(signed))
    assert "KLARIFIKASI BUKTI PIHAK KETIGA" in text and "Drs. Hadi Kusuma" in text and "Nama pihak ketiga" in text


def test_forged_addresses_and_an_overlong_reason_are_refused(login, asa, lina, alice_p, bob_p, units, scheme):
    client = login(asa)
    assert client.get(url(bob_p, units[0], "IA.01").replace("/ia01/", "/ia04/")).status_code == 404
    assert client.get(url(bob_p, units[0], "IA.01").replace(f"/{units[0].pk}/", "/999999/")).status_code == 404
    assert client.get(reverse("assessments:instrument-record", args=[999999, units[0].pk, "ia01"])).status_code == 403
    assert client.get(reverse("assessments:instrument-pdf", args=[999999])).status_code == 403
    give_criteria(units[0])
    draft = instr.record_save(bob_p, unit=units[0], instrument="IA.01", actor=asa, data=instr.RecordInput(values={}))
    assert login(lina).get(reverse("assessments:instrument-pdf", args=[draft.pk])).status_code == 404  # not signed
    response = client.post(reverse("assessments:participant", args=[alice_p.pk]),
                           {f"result_{units[0].pk}": "K", f"evidence_gap_reason_{units[0].pk}": "x" * 2001})
    assert response.status_code == 200 and not alice_p.results.exists()
