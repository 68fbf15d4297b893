"""Issue 42 item 2: a disposal list is checked again, person by person, when it is approved and when the job runs,
by the rule that built it. Whoever came back since the list was prepared (a new draft, an agency's invitation, a
log-in) is left out, with the reason shown to the approver before the click and kept on the list; their data is
untouched, and the others on the list are anonymised as before."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from agencies.models import Cohort, FundedRound, Proposal, ProposalStatus, RoundStatus
from applicants.models import Agency, ApplicantProfile, Application
from certportal.accounts.models import User
from certportal.audit.models import AuditEntry
from complaints.models import Complaint
from quality.retention import rules, services
from quality.retention.models import DisposalList, DisposalStatus
from tests.quality import test_retention as listed
from tests.quality.test_retention import NIK, OLD_NAME

# the old applicant, the recent one and the old complaint of issue 30's tests, read in English
old, login, _english = listed.old, listed.login, listed._english

pytestmark = pytest.mark.django_db


def _prepared(admin) -> DisposalList:
    admin.post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    assert disposal.items.filter(label=OLD_NAME).exists()
    return disposal


def _untouched(user: User, upload) -> None:
    user = User.objects.get(pk=user.pk)
    assert (user.full_name, user.is_active) == (OLD_NAME, True) and user.has_usable_password()
    assert ApplicantProfile.objects.get(user=user).nik == NIK
    assert upload.file.storage.exists(upload.file.name)


def test_someone_who_started_an_application_after_the_listing_is_left_out_at_approval(
        old, lina, login, django_capture_on_commit_callbacks):
    admin = login(lina)
    disposal = _prepared(admin)
    draft = Application.objects.create(applicant=old["user"], scheme=old["app"].scheme, status="draft",
                                       applicant_name=OLD_NAME)  # he accepted an invitation today
    page = admin.get(disposal.get_absolute_url()).content.decode()
    assert 'data-testid="leaving"' in page and "1 person on the list is no longer past their period" in page
    assert "Will be left out: An application is in progress (a draft included)" in page
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DONE
    _untouched(old["user"], old["upload"])
    assert Application.objects.get(pk=draft.pk).applicant_name == OLD_NAME
    item = disposal.items.get(kind="applicant", object_id=old["user"].pk)
    assert item.dropped_reason == "open_application" and item.done_at is None and item.label == OLD_NAME
    assert Complaint.objects.get(tracking_number="ADU-OLD").email == ""  # the others on the list still go
    approval = AuditEntry.objects.for_object(disposal).get(action="quality.disposallist.approved")
    pseudonym = f"ANONIM-A{old['user'].pk:06d}"  # the list's audit rows name nobody
    assert pseudonym in approval.note and OLD_NAME not in approval.note
    assert "An application is in progress" in approval.note
    page = admin.get(disposal.get_absolute_url()).content.decode()
    assert "An application is in progress (a draft included) (" in page and 'data-testid="leaving"' not in page


def test_someone_invited_by_their_agency_after_the_listing_is_left_out(old, lina, login,
                                                                       django_capture_on_commit_callbacks):
    admin = login(lina)
    disposal = _prepared(admin)
    funded = FundedRound.objects.create(name="APBD 2027", fiscal_year=2027, opens_on=datetime.date(2026, 11, 1),
                                        closes_on=datetime.date(2026, 12, 31), status=RoundStatus.OPEN)
    cohort = Cohort.objects.create(agency=Agency.objects.create(name="Dinas Baru"), round=funded,
                                   scheme=old["app"].scheme, created_by=lina)
    Proposal.objects.create(cohort=cohort, nip=ApplicantProfile.objects.get(user=old["user"]).nip, name=OLD_NAME,
                            email="bambang@dinas.go.id", status=ProposalStatus.INVITED, invited_at=timezone.now())
    assert "Proposed by an agency: the invitation waits for the person" in admin.get(
        disposal.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    _untouched(old["user"], old["upload"])
    assert disposal.items.get(kind="applicant", object_id=old["user"].pk).dropped_reason == "agencies"


def test_someone_who_logged_in_after_the_approval_is_left_out_when_the_job_runs(old, lina, login,
                                                                                django_capture_on_commit_callbacks):
    admin = login(lina)
    disposal = _prepared(admin)
    with django_capture_on_commit_callbacks(execute=False):  # approved; the job has not run yet
        admin.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.APPROVED and not disposal.items.exclude(dropped_at=None).exists()
    User.objects.filter(pk=old["user"].pk).update(last_login=timezone.now())  # he logs in before the job
    assert "Will be left out: Logged in within the period" in admin.get(disposal.get_absolute_url()).content.decode()
    services.disposal_run(disposal.pk)
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DONE
    _untouched(old["user"], old["upload"])
    item = disposal.items.get(kind="applicant", object_id=old["user"].pk)
    assert item.dropped_reason == "logged_in" and item.done_at is None
    done = AuditEntry.objects.for_object(disposal).get(action="quality.disposallist.anonymised")
    assert "1 people anonymised" in done.note  # the complaint went, he stayed
    assert f"ANONIM-A{old['user'].pk:06d} (Logged in within the period)" in done.note
    page = admin.get(disposal.get_absolute_url()).content.decode()
    assert "Logged in within the period (" in page


def test_the_list_and_its_check_are_one_rule(old, lina):
    """Prepared today, the list's own check drops nobody: the build and the re-check cannot disagree."""
    disposal = services.disposal_propose(actor=lina)
    assert rules.left_out(disposal) == {}
    assert not old["user"].applications.filter(status="draft").exists()


def test_a_list_whose_people_all_came_back_is_not_approved(old, lina, login):
    admin = login(lina)
    disposal = _prepared(admin)
    Application.objects.create(applicant=old["user"], scheme=old["app"].scheme, status="draft",
                               applicant_name=OLD_NAME)
    Complaint.objects.filter(tracking_number="ADU-OLD").update(status="in_analysis")  # handled again
    page = admin.get(disposal.get_absolute_url()).content.decode()
    assert "2 people on the list are no longer past their period" in page
    assert "Nobody on the list is still past their period: there is nothing to approve." in page
    assert 'data-action="quality.disposallist.approved"' not in page
    refused = admin.post(f"/mutu/retensi/{disposal.pk}/setujui/", follow=True).content.decode()
    assert "Nobody on the list is still past their period" in refused
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.PROPOSED
    _untouched(old["user"], old["upload"])
    assert Complaint.objects.get(tracking_number="ADU-OLD").email == "pelapor@example.com"


def test_a_person_left_out_then_anonymised_next_year_is_named_by_the_pseudonym_on_both_lists(
        old, lina, login, django_capture_on_commit_callbacks):
    admin = login(lina)
    first = _prepared(admin)
    User.objects.filter(pk=old["user"].pk).update(last_login=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/mutu/retensi/{first.pk}/setujui/")
    assert first.items.get(kind="applicant", object_id=old["user"].pk).label == OLD_NAME  # left out, in use
    User.objects.filter(pk=old["user"].pk).update(last_login=None)  # years later, unused again
    second = services.disposal_propose(actor=lina, today=timezone.localdate().replace(year=2027))
    services.disposal_approve(second, actor=lina)
    services.disposal_run(second.pk)
    pseudonym = f"ANONIM-A{old['user'].pk:06d}"
    assert first.items.get(kind="applicant", object_id=old["user"].pk).label == pseudonym
    assert OLD_NAME not in admin.get(first.get_absolute_url()).content.decode()
