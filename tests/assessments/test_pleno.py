"""The pleno (issue 19 item 5): the certification decisions of an event taken in a meeting of committee members
who assessed none of the participants decided, with a decree number and a decision letter that certificates and
the BNSP registration request refer to. Required on a plan (every event now: no event is held without one); an event assessed before still
is decided without."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments import services
from assessments.certificates import services as certs
from assessments.events.models import Participant, Pleno
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from tests import module_world
from tests.conftest import client_for
from tests.factories import UserFactory

from .factories import (
    EVENT_WORLD,
    assess,
    event_world,
    mark_all_present,
    planned_event,
    run_steps,
    the_test_day_arrives,
)
from .test_certificate_layout import keep, pdftotext

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _lina_reads_english(lina):
    lina.preferred_language = "en"
    lina.save(update_fields=["preferred_language"])


def review_event(event, lina, tono, asa, alice):
    """The event held and reviewed (step 7): Alice all K, Bob BK in one unit, both awaiting the decision."""
    bk = event.scheme.scheme_units.first().unit.code
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa, results={} if p.application.applicant == alice else {bk: "BK"})
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    return run_steps(event, 7, admin=lina, tuk_head=tono)


def _reviewed() -> dict:
    w = event_world()
    w["event"] = w["reviewed"] = review_event(w["event"], w["lina"], w["tono"], w["asa"], w["alice"])
    return w


globals().update(module_world.shared(_reviewed, *EVENT_WORLD, "reviewed", language="en"))  # once a module


@pytest.fixture
def members(db):
    return [UserFactory(full_name="Dewi Komite", email="dewi@example.go.id", roles=[Role.QUALITY]),
            UserFactory(full_name="Rudi Komite", email="rudi@example.go.id", roles=[Role.LSP_ADMIN])]


def _pleno(event, lina, members, number="SK/001/LSP/2026", on=None):
    return services.pleno_create(event, actor=lina, held_on=on or TODAY(), decree_number=number, members=members)


def _by_name(event):
    return {p.application.applicant.email.split("@")[0]: p for p in event.participants.select_related(
        "application__applicant")}


# --- services -------------------------------------------------------------------------------------------------

def test_a_pleno_is_held_between_the_test_and_today(reviewed, lina, members):
    with pytest.raises(services.AssessmentError, match="before the test"):
        _pleno(reviewed, lina, members, on=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(services.AssessmentError, match="future"):
        _pleno(reviewed, lina, members, on=TODAY() + datetime.timedelta(days=1))
    assert not Pleno.objects.exists()
    assert _pleno(reviewed, lina, members).held_on == TODAY()


def test_not_before_the_event_is_reviewed(lina, scheme, site, assessor, members):
    planned = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor)
    with pytest.raises(services.AssessmentError, match="must be reviewed"):
        _pleno(planned, lina, members)


def test_a_member_who_assessed_is_refused_with_who_and_why(reviewed, lina, members, asa):
    with pytest.raises(services.AssessmentError) as refused:
        _pleno(reviewed, lina, [*members, asa])
    message = refused.value.message
    assert "Asa Assessor assessed participants of this event" in message
    assert "Alice Applicant" in message and "did not assess" in message
    options = {o["user"].full_name: o["problem"] for o in services.member_options(reviewed)}
    assert options["Dewi Komite"] is None and "assessed participants" in options["Asa Assessor"]
    assert "Alice Applicant" not in options  # applicants are not staff


def test_a_member_is_active_staff_and_there_is_at_least_one(reviewed, lina, members, alice):
    with pytest.raises(services.AssessmentError, match="at least one member"):
        _pleno(reviewed, lina, [])
    with pytest.raises(services.AssessmentError, match="is not of the LSP"):
        _pleno(reviewed, lina, [alice])
    members[0].is_active = False
    members[0].save()
    with pytest.raises(services.AssessmentError, match="deactivated"):
        _pleno(reviewed, lina, members)


def test_only_lsp_personnel_without_an_interest_in_the_candidates_sit_in_the_pleno(reviewed, lina, members, alice):
    """A surveillance audit found a pleno closed with the Sekretaris Daerah and the candidate's own head of agency:
    staff outside the LSP are refused, and so is anyone of the LSP who is a candidate, declared a conflict with one
    or works in a candidate's agency; each refusal names who and why, and the member list shows it beforehand."""
    from agencies.models import AgencyMembership
    from applicants.models import Agency
    from assessments.events.models import ConflictOfInterest
    from tests.assessments.factories import make_assessor

    sekda = UserFactory(full_name="Sekar Sekda", email="sekar@example.go.id", roles=[Role.REGIONAL_SECRETARY])
    verifier = UserFactory(full_name="Vera Verifikator", email="vera@example.go.id", roles=[Role.VERIFIER])
    for outsider in (sekda, verifier):
        with pytest.raises(services.AssessmentError, match=f"{outsider.full_name} is not of the LSP"):
            _pleno(reviewed, lina, [members[0], outsider])
    bob = _by_name(reviewed)["bob"]
    head = UserFactory(full_name="Hadi Kepala", email="hadi@example.go.id", roles=[Role.AGENCY_HEAD, Role.QUALITY])
    AgencyMembership.objects.create(user=head, agency=Agency.objects.create(name=bob.application.org_unit))
    with pytest.raises(services.AssessmentError, match=f"Hadi Kepala works at {bob.application.org_unit}"):
        _pleno(reviewed, lina, [head])
    other = make_assessor(UserFactory(full_name="Oki Asesor", email="oki@example.go.id", roles=[Role.ASSESSOR]))
    ConflictOfInterest.objects.create(assessor=other, person=bob.application.applicant, reason="Sepupu")
    with pytest.raises(services.AssessmentError, match="Oki Asesor declared a conflict of interest with"):
        _pleno(reviewed, lina, [other.user])
    alice.role_links.create(role=Role.QUALITY)
    alice.__dict__.pop("roles", None)
    with pytest.raises(services.AssessmentError, match="is a participant of this event"):
        _pleno(reviewed, lina, [alice])
    options = {o["user"].full_name: o["problem"] for o in services.member_options(reviewed)}
    assert "Sekar Sekda" not in options and "Vera Verifikator" not in options
    assert "works at" in options["Hadi Kepala"] and "conflict of interest" in options["Oki Asesor"]
    assert _pleno(reviewed, lina, members).members.count() == 2


def test_the_decree_number_is_required_trimmed_and_unique(reviewed, lina, members):
    with pytest.raises(services.AssessmentError, match="decree number"):
        _pleno(reviewed, lina, members, number="   ")
    with pytest.raises(services.AssessmentError, match="at most 80"):
        _pleno(reviewed, lina, members, number="X" * 81)
    assert _pleno(reviewed, lina, members, number="  SK/7/2026 ").decree_number == "SK/7/2026"
    with pytest.raises(services.AssessmentError, match="already recorded for another pleno"):
        _pleno(reviewed, lina, members, number="sk/7/2026")
    assert Pleno.objects.count() == 1


def test_decisions_in_the_pleno_are_recorded_with_it(reviewed, lina, members):
    pleno = _pleno(reviewed, lina, members)
    people = _by_name(reviewed)
    services.pleno_decide(pleno, people["alice"], actor=lina, decision="K")
    services.pleno_decide(pleno, people["bob"], actor=lina, decision="BK")
    alice, bob = (Participant.objects.get(pk=people[n].pk) for n in ("alice", "bob"))
    assert (alice.status, alice.decision, alice.pleno) == ("competent", "K", pleno)
    assert (bob.status, bob.decision, bob.pleno) == ("not_yet_competent", "BK", pleno)
    entry = AuditEntry.objects.get(action="assessments.participant.decided_competent", object_id=str(alice.pk))
    assert entry.note == "Pleno SK/001/LSP/2026"
    assert AuditEntry.objects.filter(action="assessments.pleno.created", object_id=str(pleno.pk)).exists()
    # closing freezes the decisions as printed; no decision is recorded in a closed pleno
    services.pleno_close(pleno, actor=lina)
    pleno.refresh_from_db()
    assert pleno.status == "closed" and [r["decision"] for r in pleno.decisions] == ["K", "BK"]


def test_an_event_assessed_before_plans_is_still_decided_without_a_pleno(reviewed, lina):
    from assessments.events.models import Event

    Event.objects.filter(pk=reviewed.pk).update(plan=None)  # set-up: an event held before the plan guard
    p = _by_name(reviewed)["alice"]
    services.participant_decide(p, actor=lina, decision="K", note="")
    p.refresh_from_db()
    assert p.decision == "K" and p.pleno is None


def test_a_pleno_member_who_assessed_the_participant_cannot_decide_on_them(reviewed, lina, members, asa):
    pleno = _pleno(reviewed, lina, members)
    pleno.members.add(asa)  # e.g. the assessor was assigned after the pleno was recorded
    with pytest.raises(services.AssessmentError, match="Asa Assessor assessed Alice Applicant"):
        services.pleno_decide(pleno, _by_name(reviewed)["alice"], actor=lina, decision="K")


def test_nothing_is_decided_in_a_closed_pleno(reviewed, lina, members):
    pleno = _pleno(reviewed, lina, members)
    with pytest.raises(services.AssessmentError, match="at least one decision"):
        services.pleno_close(pleno, actor=lina)
    services.pleno_decide(pleno, _by_name(reviewed)["alice"], actor=lina, decision="K")
    services.pleno_close(pleno, actor=lina)
    with pytest.raises(services.AssessmentError, match="is closed"):
        services.pleno_decide(pleno, _by_name(reviewed)["bob"], actor=lina, decision="BK")


# --- documents: the letter, the certificate, BNSP ----------------------------------------------------------------

def test_the_decision_letter_names_the_decree_members_and_each_decision(reviewed, lina, members):
    pleno = _pleno(reviewed, lina, members)
    people = _by_name(reviewed)
    services.pleno_decide(pleno, people["alice"], actor=lina, decision="K")
    services.pleno_decide(pleno, people["bob"], actor=lina, decision="BK")
    draft = pdftotext(certs.signed_decision_letter_pdf(pleno))
    assert "DRAF" in draft
    services.pleno_close(pleno, actor=lina)
    pleno.refresh_from_db()
    pdf = certs.signed_decision_letter_pdf(pleno)
    keep(pdf, "surat-keputusan.pdf")
    text = pdftotext(pdf)
    assert "SURAT KEPUTUSAN" in text and "SK/001/LSP/2026" in text and "DRAF" not in text
    assert "Dewi Komite" in text and "Rudi Komite" in text
    alice_row = text[text.index("Alice Applicant"):text.index("Bob Applicant")]
    bob_row = text[text.index("Bob Applicant"):text.index("K = Kompeten")]
    assert "Kompeten (K)" in alice_row and "Belum" not in alice_row
    assert "Belum Kompeten (BK)" in bob_row


def test_the_certificate_and_the_bnsp_request_carry_the_decree(reviewed, lina, members, alice, bob):
    pleno = _pleno(reviewed, lina, members, number="SK/099/2026")
    people = _by_name(reviewed)
    services.pleno_decide(pleno, people["alice"], actor=lina, decision="K")
    from assessments.events.models import Event

    Event.objects.filter(pk=reviewed.pk).update(plan=None)  # set-up: as for an event assessed before plans
    services.participant_decide(people["bob"], actor=lina, decision="K", note="Bukti tambahan memadai")
    for name in ("alice", "bob"):
        services.participant_accept_obligations(people[name], user=people[name].application.applicant)
    cert = certs.certificate_issue(Participant.objects.get(pk=people["alice"].pk), actor=lina)
    assert cert.snapshot["decree_number"] == "SK/099/2026"
    pdf = certs.certificate_pdf(cert)
    keep(pdf, "sertifikat-pleno.pdf")
    assert "SK/099/2026" in pdftotext(pdf)
    bob_letter = certs.result_letter_issue(Participant.objects.get(pk=people["bob"].pk), actor=lina)
    bob_cert = certs.certificate_issue(Participant.objects.get(pk=people["bob"].pk), actor=lina)
    assert "decree_number" not in bob_cert.snapshot and "decree_number" not in bob_letter.snapshot
    alice_letter = certs.result_letter_issue(Participant.objects.get(pk=people["alice"].pk), actor=lina)
    assert "Surat Keputusan nomor SK/099/2026" in " ".join(pdftotext(certs.letter_pdf(alice_letter)).split())
    response = client_for(lina).get(reverse("assessments:bnsp-export") + f"?event={reviewed.pk}")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    rows = {r[1]: r for r in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)}
    alice_row, bob_row = rows[cert.holder_name], rows[bob_cert.holder_name]
    assert alice_row[9] == "SK/099/2026" and alice_row[8].date() == pleno.held_on
    assert bob_row[9] == bob_letter.number  # decided without a pleno: the result letter's number, as before


# --- pages ------------------------------------------------------------------------------------------------------

def test_the_lsp_admin_records_a_pleno_and_its_decisions_on_its_pages(reviewed, lina, members, asa):
    c = client_for(lina)
    event_page = c.get(reverse("assessments:event", args=[reviewed.pk])).content.decode()
    assert reverse("assessments:event-pleno", args=[reviewed.pk]) in event_page
    page = c.get(reverse("assessments:event-pleno", args=[reviewed.pk])).content.decode()
    assert "Asa Assessor" in page and "assessed participants of this event" in page
    assert f'value="{asa.pk}" id="member-{asa.pk}" disabled' in page
    form = {"decree_number": "SK/5/2026", "held_on": TODAY().isoformat(), "members": [asa.pk, members[0].pk]}
    refused = c.post(reverse("assessments:event-pleno", args=[reviewed.pk]), form)
    assert refused.status_code == 200 and "Asa Assessor assessed participants" in refused.content.decode()
    assert "SK/5/2026" in refused.content.decode()  # what was typed stays
    form["members"] = [m.pk for m in members]
    created = c.post(reverse("assessments:event-pleno", args=[reviewed.pk]), form)
    pleno = Pleno.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse("assessments:pleno", args=[pleno.pk])
    alice = _by_name(reviewed)["alice"]
    decided = c.post(reverse("assessments:pleno-decide", args=[pleno.pk, alice.pk]), {f"p{alice.pk}-decision": "K"},
                     follow=True)
    assert "recorded in the pleno" in decided.content.decode()
    assert Participant.objects.get(pk=alice.pk).pleno == pleno
    closed = c.post(reverse("assessments:pleno-close", args=[pleno.pk]), follow=True).content.decode()
    assert "decision letter issued" in closed
    letter = c.get(reverse("assessments:pleno-letter", args=[pleno.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"


def test_only_the_lsp_admin_reaches_the_pleno_pages(client, reviewed, lina, members, asa, tono, quinn, alice):
    pleno = _pleno(reviewed, lina, members)
    p = _by_name(reviewed)["alice"]
    gets = [reverse("assessments:event-pleno", args=[reviewed.pk]), reverse("assessments:pleno", args=[pleno.pk]),
            reverse("assessments:pleno-letter", args=[pleno.pk])]
    posts = [reverse("assessments:pleno-decide", args=[pleno.pk, p.pk]),
             reverse("assessments:pleno-close", args=[pleno.pk])]
    for url in gets + posts:
        response = client.get(url) if url in gets else client.post(url, {f"p{p.pk}-decision": "K"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url
    for user in (asa, tono, quinn, alice):
        c = client_for(user)
        for url in gets:
            assert c.get(url).status_code == 403, (user, url)
        for url in posts:
            assert c.post(url, {f"p{p.pk}-decision": "K"}).status_code == 403, (user, url)
    assert Participant.objects.get(pk=p.pk).decision == ""
    for url in gets:
        assert client_for(lina).get(url).status_code == 200


def test_the_closed_letter_is_signed_electronically_and_the_draft_is_not(reviewed, lina, members, tmp_path,
                                                                         settings):
    from certportal.signing.models import SignedDocument
    from certportal.signing.validation import Verdict
    from tests.esign import throwaway_signer, validate_against

    esign = throwaway_signer(tmp_path, settings)
    pleno = _pleno(reviewed, lina, members)
    services.pleno_decide(pleno, _by_name(reviewed)["alice"], actor=lina, decision="K")
    url = reverse("assessments:pleno-letter", args=[pleno.pk])
    draft = client_for(lina).get(url).content
    assert validate_against(draft, esign.ca_pem).verdict == Verdict.UNSIGNED
    services.pleno_close(pleno, actor=lina)
    signed = client_for(lina).get(url).content
    check = validate_against(signed, esign.ca_pem)
    assert check.verdict == Verdict.AUTHENTIC and "SK/001/LSP/2026" in check.reason
    assert SignedDocument.objects.filter(kind="decision_letter", object_id=str(pleno.pk), outcome="signed").exists()


def test_the_closed_plenos_letter_is_signed_once_and_the_draft_never_kept(reviewed, lina, members, login, tmp_path,
                                                                          settings):
    from certportal.signing.models import SignedDocument, StoredPaper
    from tests.esign import throwaway_signer

    throwaway_signer(tmp_path, settings)
    pleno = _pleno(reviewed, lina, members)
    services.pleno_decide(pleno, _by_name(reviewed)["alice"], actor=lina, decision="K")
    url = reverse("assessments:pleno-letter", args=[pleno.pk])
    assert "DRAF" in pdftotext(login(lina).get(url).content) and not StoredPaper.objects.exists()
    services.pleno_close(pleno, actor=lina)
    first, again = login(lina).get(url).content, login(lina).get(url).content
    assert first == again and "SK/001/LSP/2026" in pdftotext(first)
    assert SignedDocument.objects.filter(kind="decision_letter", object_id=str(pleno.pk)).count() == 1
    assert StoredPaper.objects.filter(kind="decision_letter").count() == 1


def test_without_who_checks_interests_and_declarations_no_pleno_is_held(reviewed, lina, members):
    """The guards fail closed: were the agencies room (who works for whose agency) or the quality room (the
    declarations of interest) not installed, the pleno is refused with why, not held unchecked."""
    from assessments.events import hooks

    for point in (hooks.INTEREST_IN, hooks.DECLARATION_MISSING):
        with point.withheld(), pytest.raises(services.AssessmentError, match=f"extension point {point.name}"):
            _pleno(reviewed, lina, members)
    assert not Pleno.objects.exists()
    assert _pleno(reviewed, lina, members).members.count() == 2
