"""The LSP's own BNSP licence: planning, deciding and issuing are refused outside its scope or its dates, with the
reason, and allowed once the missing piece is recorded; the LSP admin's queue warns six months ahead."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.certificates.services.issue import certificate_issue
from assessments.errors import AssessmentError
from assessments.events.models import Participant
from certportal.audit.models import AuditEntry
from certportal.lsp.models import LspProfile
from certportal.workflow import allowed_actions

from .factories import (
    assess,
    decide,
    mark_all_present,
    planned_event,
    run_steps,
    the_test_day_arrives,
)

pytestmark = pytest.mark.django_db


def licence(*, scope=(), valid_days=365, start_days=-700, number="BNSP-LSP-1207-ID"):
    today = timezone.localdate()
    LspProfile.objects.update_or_create(pk=1, defaults={
        "name": "LSP Uji", "city": "Jakarta", "licence_number": number,
        "licence_date": today + datetime.timedelta(days=start_days),
        "licence_valid_until": today + datetime.timedelta(days=valid_days), "licence_scope": list(scope)})


def reviewed(event, *, lina, tono, asa):
    """The event held and reviewed (SOP step 7), its participants awaiting the LSP's decision."""
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    return run_steps(event, 7, admin=lina, tuk_head=tono)


def test_planning_an_event_outside_the_scope_or_after_expiry_is_refused_then_allowed(lina, scheme, site):
    when = timezone.now() + datetime.timedelta(days=30)
    licence(scope=["OTHER-01"])
    with pytest.raises(AssessmentError, match=f"The scheme {scheme.code} is not in the scope of the LSP's BNSP "
                                              "licence BNSP-LSP-1207-ID"):
        services.event_create(actor=lina, scheme=scheme, test_site=site, starts_at=when)
    licence(scope=[scheme.code], valid_days=10)
    with pytest.raises(AssessmentError, match="licence BNSP-LSP-1207-ID is valid until .*record the renewed"):
        services.event_create(actor=lina, scheme=scheme, test_site=site, starts_at=when)
    licence(scope=[scheme.code], valid_days=60)
    assert services.event_create(actor=lina, scheme=scheme, test_site=site, starts_at=when).pk


def test_the_decision_outside_the_scope_has_no_button_and_the_service_refuses_it_then_allows(
        lina, tono, asa, scheme, site, assessor, alice_app):
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app])
    event = reviewed(event, lina=lina, tono=tono, asa=asa)
    p = Participant.objects.get(event=event)
    licence(scope=["OTHER-01"])
    action = allowed_actions(p, lina)["decided_competent"]
    assert not action.allowed and f"The scheme {scheme.code} is not in the scope" in action.reason
    with pytest.raises(AssessmentError, match="not in the scope of the LSP's BNSP licence"):
        decide(p, actor=lina, decision="K")
    licence(scope=[scheme.code, "OTHER-01"])
    assert allowed_actions(p, lina)["decided_competent"].allowed
    assert decide(p, actor=lina, decision="K").decision == "K"


def test_no_certificate_after_the_licence_expired_then_issued_once_renewed(decided, lina, alice):
    p = Participant.objects.get(event=decided, application__applicant=alice)
    services.participant_accept_obligations(p, user=alice)
    licence(scope=[decided.scheme.code], valid_days=-1)
    with pytest.raises(AssessmentError, match="is valid until .*, not on"):
        certificate_issue(p, actor=lina)
    assert not p.certificates.exists()
    licence(scope=[decided.scheme.code], valid_days=300)
    assert certificate_issue(p, actor=lina).number


def test_the_participant_page_says_why_no_certificate_instead_of_the_button(decided, lina, alice, login):
    p = Participant.objects.get(event=decided, application__applicant=alice)
    services.participant_accept_obligations(p, user=alice)
    licence(scope=["OTHER-01"])
    page = login(lina).get(reverse("assessments:participant", args=[p.pk])).content.decode()
    assert 'id="issue-refused"' in page and "tidak termasuk dalam ruang lingkup lisensi BNSP" in page
    assert 'id="issue-certificate"' not in page
    licence(scope=[decided.scheme.code])
    page = login(lina).get(reverse("assessments:participant", args=[p.pk])).content.decode()
    assert 'id="issue-certificate"' in page


def test_without_a_recorded_validity_the_portal_refuses_nothing_for_the_licence(lina, scheme, site):
    LspProfile.objects.create(pk=1, name="LSP Uji", city="Jakarta", licence_number="BNSP-LSP-1207-ID")
    assert services.event_create(actor=lina, scheme=scheme, test_site=site,
                                 starts_at=timezone.now() + datetime.timedelta(days=3)).pk


def test_the_lsp_admins_queue_warns_from_six_months_before_expiry(lina, login):
    LspProfile.objects.create(pk=1, name="LSP Uji", city="Jakarta", licence_number="BNSP-LSP-1207-ID",
                              licence_valid_until=datetime.date(2027, 6, 30), licence_scope=["X"])
    with time_machine.travel(datetime.datetime(2026, 12, 29, 10, tzinfo=datetime.UTC), tick=False):
        assert 'data-work="lsp-licence"' not in login(lina).get("/beranda/", follow=True).content.decode()
    with time_machine.travel(datetime.datetime(2026, 12, 30, 10, tzinfo=datetime.UTC), tick=False):
        page = login(lina).get("/beranda/", follow=True).content.decode()
        assert 'data-work="lsp-licence"' in page and "berakhir pada 30 Juni 2027" in page
    with time_machine.travel(datetime.datetime(2027, 7, 1, 10, tzinfo=datetime.UTC), tick=False):
        page = login(lina).get("/beranda/", follow=True).content.decode()
        assert "telah berakhir pada 30 Juni 2027" in page and "border-danger" in page


def test_the_public_scheme_page_shows_the_licence_and_whether_the_scheme_is_in_scope(client, scheme):
    scheme.is_published = True
    scheme.save()
    licence(scope=[scheme.code])
    page = client.get(reverse("schemes:scheme-detail", args=[scheme.pk])).content.decode()
    assert "LSP Uji, lisensi BNSP BNSP-LSP-1207-ID, berlaku sampai" in page
    assert "Skema ini termasuk dalam ruang lingkup lisensi." in page
    licence(scope=[])
    assert "Skema ini tidak termasuk dalam ruang lingkup lisensi" in client.get(reverse("schemes:scheme-detail", args=[scheme.pk])).content.decode()


def test_the_profile_records_the_licence_its_document_and_scope_audited_and_refuses_a_hostile_document(
        login, lina, alice, scheme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.hostile_files import polyglot_pdf_html, real_pdf

    client = login(lina)
    data = {"name": "LSP Uji", "city": "Jakarta", "licence_number": "BNSP-LSP-1207-ID",
            "licence_date": "2024-01-15", "licence_valid_until": "2029-01-14", "licence_scope": [scheme.code]}
    bad = SimpleUploadedFile("lisensi.pdf", polyglot_pdf_html("http://127.0.0.1:9/"), content_type="application/pdf")
    page = client.post("/profil-lsp/", {**data, "licence_document": bad}).content.decode()
    assert "BNSP-LSP-1207-ID" in page and not LspProfile.objects.filter(licence_valid_until__isnull=False).exists()
    backwards = client.post("/profil-lsp/", {**data, "licence_valid_until": "2023-01-01"}).content.decode()
    assert "berlaku sampai tanggal setelah tanggal diberikan" in backwards
    good = SimpleUploadedFile("lisensi.pdf", real_pdf("Lisensi"), content_type="application/pdf")
    page = client.post("/profil-lsp/", {**data, "licence_document": good}, follow=True).content.decode()
    assert "berlaku sampai 14 Januari 2029" in page and scheme.code in page
    profile = LspProfile.objects.get()
    assert profile.licence_scope == [scheme.code] and profile.licence_document.name.endswith(".pdf")
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"lsp.profile.licence_date", "lsp.profile.licence_valid_until", "lsp.profile.licence_document",
            "lsp.profile.licence_scope"} <= codes
    served = client.get("/profil-lsp/lisensi/")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert login(alice).get("/profil-lsp/lisensi/").status_code == 403


def test_the_lsp_admins_queue_warns_when_fewer_than_two_verifiers_can_serve(lina, victor, login):
    from certportal.accounts.models import Role
    from tests.factories import UserFactory

    page = login(lina).get("/beranda/", follow=True).content.decode()
    assert 'data-work="verifiers"' in page and "Verifikator aktif: 1 dari 2" in page
    second = UserFactory(full_name="Vera Verifier", email="vera@example.go.id", roles=[Role.VERIFIER])
    assert 'data-work="verifiers"' not in login(lina).get("/beranda/", follow=True).content.decode()
    second.is_active = False
    second.save(update_fields=["is_active"])
    assert 'data-work="verifiers"' in login(lina).get("/beranda/", follow=True).content.decode()
