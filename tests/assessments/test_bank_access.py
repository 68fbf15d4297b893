"""Who reads the question bank and its keys: the bank is closed to anyone being assessed on the scheme while their
application or sitting is open (an applicant who also holds the assessor role included), whatever else they are;
the keys and expected answers are read only by an assessor of an event of the scheme and by the keepers the LSP
admin assigns (audited); every refusal of a member of staff is audited with the reason they were shown."""

import pytest
from django.urls import reverse

from applicants.models import Status as AppStatus
from assessments.events.models import Participant
from assessments.instruments.models.plans import BankKeeper
from assessments.instruments.services import written_test as wt
from certportal.audit.models import AuditEntry
from tests.assessments.factories import agree, make_application, planned_event

from .written_factories import fill_bank, plan_with_written_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(scheme):
    return [su.unit for su in scheme.scheme_units.order_by("position")]


@pytest.fixture
def exam(lina, scheme, site, assessor, alice_app, units):
    """Asa assesses an event of the scheme that began an hour ago; Alice sat its written test and submitted it."""
    plan_with_written_test(scheme, admin=lina, units=units[:1])
    fill_bank(units[0], actor=lina)
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app])
    participant = agree(event.participants.get())
    test = wt.written_test_start(participant, user=participant.application.applicant)
    wt.written_test_submit(test, user=participant.application.applicant)
    return event


def bank_urls(scheme, unit):
    return [reverse("assessments:bank-scheme", args=[scheme.pk]),
            reverse("assessments:bank-items", args=[scheme.pk, unit.pk, "IA.05"])]


def test_an_assessor_being_assessed_on_the_scheme_is_refused_the_bank_and_every_key(login, asa, lina, scheme,
                                                                                   site, units, exam):
    page = login(asa).get(bank_urls(scheme, units[0])[1]).content.decode()
    assert "bank-key" in page  # on an event of the scheme, Asa reads the keys...
    # ...until Asa applies for the same scheme and is named for a test of it
    own = planned_event(actor=lina, scheme=scheme, site=site, days_ahead=20,
                        applications=[make_application(scheme, asa, name="Asa Assessor")])
    assert own.participants.get().status == Participant.Status.NAMED
    c = login(asa)
    assert scheme.code not in c.get(reverse("assessments:bank")).content.decode()
    for url in bank_urls(scheme, units[0]):
        refused = c.get(url)
        text = refused.content.decode()
        assert refused.status_code == 403, url
        assert "Anda sedang diases pada skema ini" in text and "Pilihan" not in text
    alice_p = exam.participants.get()
    for name in ("test-sheet", "test-pdf"):  # the answer sheet and its PDF print the keys
        assert c.get(reverse(f"assessments:{name}", args=[alice_p.pk])).status_code == 403, name
    record = reverse("assessments:instrument-record", args=[alice_p.pk, units[0].pk, "ia05"])
    assert c.get(record).status_code == 403
    refusals = AuditEntry.objects.filter(action="assessments.bankitem.refused", actor=asa)
    assert refusals.count() == 2 and "sedang diases" in refusals.first().note
    # decided and certified: the assessment is over and the bank opens again
    own.participants.update(status=Participant.Status.COMPETENT)
    asa.applications.update(status=AppStatus.CERTIFIED)
    assert "bank-key" in login(asa).get(bank_urls(scheme, units[0])[1]).content.decode()


def test_an_lsp_admin_being_assessed_on_the_scheme_is_refused_too(login, lina, scheme, units):
    make_application(scheme, lina, status=AppStatus.SUBMITTED)
    response = login(lina).get(bank_urls(scheme, units[0])[0])
    assert response.status_code == 403 and "sedang diases" in response.content.decode()


def test_an_assessor_in_scope_but_on_no_event_of_the_scheme_reads_questions_without_keys(login, other_assessor_user,
                                                                                        scheme, units, exam):
    c = login(other_assessor_user)
    page = c.get(bank_urls(scheme, units[0])[1]).content.decode()
    assert "Soal 1 unit" in page and "Pilihan A soal 1" in page
    assert "bank-key" not in page and "(kunci)" not in page and 'id="bank-add"' not in page
    item = units[0].bank_items.first()
    for url in (reverse("assessments:bank-item", args=[scheme.pk, item.pk]),
                reverse("assessments:bank-import", args=[scheme.pk])):
        refused = c.get(url)
        assert refused.status_code == 403 and "penjaga bank" in refused.content.decode(), url
    posted = c.post(bank_urls(scheme, units[0])[1], {"text": "Soal sisipan", "option_a": "x", "option_b": "y",
                                                     "key": "A"})
    assert posted.status_code == 403 and not units[0].bank_items.filter(text="Soal sisipan").exists()
    assert AuditEntry.objects.filter(action="assessments.bankitem.refused", actor=other_assessor_user).count() == 3


def test_the_lsp_admin_assigns_a_keeper_who_then_reads_the_keys_audited(login, lina, asa, assessor,
                                                                        other_assessor_user, scheme, units, exam):
    oscar = other_assessor_user
    items = bank_urls(scheme, units[0])[1]
    assert "bank-key" not in login(oscar).get(items).content.decode()
    # an assessor may not assign keepers
    assign = reverse("assessments:bank-keeper-assign", args=[scheme.pk])
    assert login(asa).post(assign, {"person": oscar.pk}).status_code == 403
    c = login(lina)
    assert "Belum ada yang ditugaskan menjaga bank ini." in c.get(bank_urls(scheme, units[0])[0]).content.decode()
    done = c.post(assign, {"person": oscar.pk}, follow=True).content.decode()
    assert "Oscar Other Assessor kini menjaga bank soal ini" in done
    keeper = BankKeeper.objects.get(scheme=scheme, user=oscar)
    assert AuditEntry.objects.filter(action="assessments.bankkeeper.assigned", actor=lina,
                                     note__contains="Oscar Other Assessor").exists()
    assert "bank-key" in login(oscar).get(items).content.decode()
    c.post(reverse("assessments:bank-keeper-remove", args=[scheme.pk, keeper.pk]))
    assert not BankKeeper.objects.exists()
    assert AuditEntry.objects.filter(action="assessments.bankkeeper.removed", actor=lina).exists()
    assert "bank-key" not in login(oscar).get(items).content.decode()


def test_nobody_keeps_the_bank_of_a_scheme_they_are_being_assessed_on(login, lina, other_assessor_user, scheme):
    make_application(scheme, other_assessor_user, status=AppStatus.VERIFIED)
    response = login(lina).post(reverse("assessments:bank-keeper-assign", args=[scheme.pk]),
                                {"person": other_assessor_user.pk}, follow=True)
    assert "sedang diases pada skema ini dan tidak dapat menjaga bank soalnya" in response.content.decode()
    assert not BankKeeper.objects.exists()
