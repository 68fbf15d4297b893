"""Scope reduction (issue 30 item 3; ISO/IEC 17024 9.6): a pleno-style decision reduces a certificate to the units
still held; the original is marked reduced, a new certificate with the units kept replaces it, verification (page,
JSON, API) says so and the holder is told."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.certificates import services as certs
from assessments.certificates.models import Certificate
from assessments.certificates.scope_models import ScopeReduction
from assessments.certificates.services.holder import api_token_issue
from assessments.certificates.services.reduction import reduction_decide
from assessments.errors import AssessmentError
from certportal.audit.models import AuditEntry
from certportal.notifications.models import Notification
from tests.pdf_layout import pdf_text

from .scope_fixtures import *  # noqa: F403 (the module's world: Alice's certificate, made once)

pytestmark = pytest.mark.django_db


def codes(cert):
    return [u["code"] for u in cert.snapshot["units"]]


def reduce(cert, lina, members, kept=None, **changes):
    data = {"kept_codes": kept if kept is not None else codes(cert)[:2], "ground": "surveillance",
            "ground_reference": "SURV-2026-01", "reason": "Bukti surveilans unit ketiga tidak ada.",
            "decree_number": "SK-RED/001/2026", "decided_on": timezone.localdate(), "members": members}
    return reduction_decide(cert, actor=lina, **{**data, **changes})


def test_reduction_marks_the_original_reduced_and_issues_a_replacement_with_the_units_kept(cert, lina, quinn):
    third = codes(cert)[2]
    reduction = reduce(cert, lina, [lina, quinn])
    cert.refresh_from_db()
    new = reduction.replacement
    assert cert.status == "reduced" and cert.state() == "reduced"
    assert new.replaces == cert and new.number != cert.number and new.expires_on == cert.expires_on
    assert codes(new) == codes(cert)[:2] and new.snapshot["reduced_units"][0]["code"] == third
    assert reduction.units_removed[0]["code"] == third and set(reduction.members.all()) == {lina, quinn}
    assert AuditEntry.objects.filter(action="assessments.certificate.reduced", object_id=str(cert.pk),
                                     from_state="issued", to_state="reduced").exists()
    assert AuditEntry.objects.filter(action="assessments.scopereduction.decided").exists()
    text = pdf_text(certs.signed_certificate_pdf(new))
    assert codes(new)[0] in text and third not in text and cert.number in text


def test_the_holder_is_told_by_email_and_in_the_portal(cert, lina, quinn, alice, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = reduce(cert, lina, [quinn]).replacement
    assert any(alice.email in m.to and cert.number in m.subject and new.number in m.body for m in mail.outbox)
    assert Notification.objects.filter(user=alice, url__contains=f"/sertifikat/{new.pk}/").exists()


@pytest.mark.parametrize("kept,message", [([], "withdrawal"), (None, "not a reduction")])
def test_removing_every_unit_or_none_is_refused(cert, lina, quinn, kept, message):
    with pytest.raises(AssessmentError, match=message):
        reduce(cert, lina, [quinn], kept=kept if kept is not None else codes(cert))
    cert.refresh_from_db()
    assert cert.status == "issued" and not ScopeReduction.objects.exists()


def test_a_member_who_assessed_the_holder_and_a_withdrawn_certificate_are_refused(cert, lina, asa, quinn):
    with pytest.raises(AssessmentError, match="assess"):
        reduce(cert, lina, [asa])
    certs.certificate_withdraw(cert, actor=lina, reason="Dicabut.")
    with pytest.raises(AssessmentError, match="not possible now"):
        reduce(cert, lina, [quinn])
    assert Certificate.objects.count() == 1


def test_public_page_json_and_api_say_reduced_and_point_to_the_replacement(cert, lina, quinn, client):
    new = reduce(cert, lina, [quinn]).replacement
    third = codes(cert)[2]
    page = client.get(reverse("assessments:verify-code", args=[cert.verification_code])).content.decode()
    assert 'data-status="reduced"' in page and new.number in page and third in page
    data = client.get(reverse("assessments:verify-json", args=[cert.verification_code])).json()
    assert data["status"] == "reduced" and data["replaced_by"] == new.number
    assert [u["code"] for u in data["units_removed"]] == [third]
    data = client.get(reverse("assessments:verify-json", args=[new.verification_code])).json()
    assert data["status"] == "valid" and data["replaces"] == cert.number and data["replaces_reduced"] is True
    assert [u["code"] for u in data["units_removed"]] == [third]
    _token, raw = api_token_issue(name="PT Contoh", actor=lina)
    answer = client.post("/api/v1/certificates/lookup", {"codes": [cert.verification_code, new.verification_code]},
                         content_type="application/json", headers={"Authorization": f"Bearer {raw}"}).json()
    old_r, new_r = answer["results"]
    assert old_r["status"] == "reduced" and old_r["replaced_by"] == new.number
    assert new_r["replaces_reduced"] and [u["code"] for u in new_r["units"]] == codes(new)


def test_the_page_offers_the_reduction_and_the_form_reduces(cert, lina, quinn, login):
    client = login(lina)
    page = client.get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    assert reverse("assessments:certificate-reduce", args=[cert.pk]) in page
    response = client.post(reverse("assessments:certificate-reduce", args=[cert.pk]), {
        "kept": codes(cert)[:1], "ground": "complaint", "ground_reference": "ADU-7", "decree_number": "SK-9",
        "decided_on": timezone.localdate().isoformat(), "members": [quinn.pk], "reason": "Pengaduan terbukti."})
    new = Certificate.objects.get(replaces=cert)
    assert response.status_code == 302 and response["Location"] == reverse("assessments:certificate", args=[new.pk])
    page = client.get(response["Location"]).content.decode()
    assert "SK-9" in page and cert.number in page


def test_the_form_says_why_every_unit_cannot_be_removed(cert, lina, quinn, login):
    response = login(lina).post(reverse("assessments:certificate-reduce", args=[cert.pk]), {
        "ground": "complaint", "decree_number": "SK-9", "decided_on": timezone.localdate().isoformat(),
        "members": [quinn.pk], "reason": "x"})
    assert response.status_code == 200 and Certificate.objects.count() == 1


@pytest.mark.parametrize("who,status", [("victor", 403), ("quinn", 403), ("alice", 403), ("asa", 403)])
def test_only_the_lsp_admin_reduces(request, cert, login, who, status):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("assessments:certificate-reduce", args=[cert.pk])).status_code == status


def test_anonymous_is_sent_to_login(cert, client):
    response = client.get(reverse("assessments:certificate-reduce", args=[cert.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_holders_personal_data_lists_the_reduction(cert, lina, quinn, alice):
    from assessments.personal_data import collect

    new = reduce(cert, lina, [quinn]).replacement
    records = {s.key: s for s in collect(alice)}["scope_reductions"].records
    assert records[0]["certificate__number"] == cert.number and records[0]["replacement__number"] == new.number


def test_a_reduced_certificate_takes_no_holder_report_and_no_renewal(cert, lina, quinn, alice):
    from assessments.certificates.services.holder import holder_report_submit
    from assessments.certificates.services.renewal import recertify_refusal

    reduce(cert, lina, [quinn])
    cert.refresh_from_db()
    with pytest.raises(AssessmentError):
        holder_report_submit(cert, user=alice, text="Perubahan.")
    assert "replaces it" in recertify_refusal(cert, alice, timezone.localdate())


def test_correcting_the_reduced_certificate_keeps_the_removed_unit_off(cert, lina, quinn):
    """A typo corrected on the certificate that replaced a reduced one: the unit removed by the decision does not
    come back from the recorded results."""
    third = codes(cert)[2]
    new = reduce(cert, lina, [lina, quinn]).replacement
    corrected = certs.certificate_replace(new, actor=lina, reason="Nama salah ketik.", holder_name="Alice Aplikan")
    assert codes(corrected) == codes(new) and third not in codes(corrected)
    assert corrected.snapshot["reduced_units"][0]["code"] == third
    text = pdf_text(certs.signed_certificate_pdf(corrected))
    assert "Alice Aplikan" in text and codes(new)[0] in text and third not in text
