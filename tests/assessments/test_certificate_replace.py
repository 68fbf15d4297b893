"""Correcting certificates: a new certificate that names the one it replaces; the old one is withdrawn, never
deleted, and its public verification says so."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from applicants.models import Status as AppStatus
from assessments import services
from assessments.certificates import services as certs
from assessments.certificates.models import Certificate, Handover
from certportal.audit.models import AuditEntry
from tests import module_world

from .factories import EVENT_WORLD, assess, decide, event_world, mark_all_present, run_steps

pytestmark = pytest.mark.django_db

RIGHT_NIP = "198503142010012007"


def misspelt_certificate(event, lina, tono, asa, alice):
    """Alice's certificate, issued 100 days ago with her name misspelt."""
    run_steps(event, 4, admin=lina, tuk_head=tono)
    mark_all_present(event, actor=asa)
    for p in event.participants.all():
        assess(p, assessor_user=asa)
    run_steps(event, 5, admin=lina, tuk_head=tono, assessor_user=asa)
    services.report_sign_as_assessor(event, actor=asa)
    run_steps(event, 7, admin=lina, tuk_head=tono)
    p = event.participants.get(application__applicant=alice)
    decide(p, actor=lina, decision="K")
    services.participant_accept_obligations(p, user=alice)
    p.application.applicant_name = "Alice Aplicant, S.Sos."
    p.application.save(update_fields=["applicant_name"])
    cert = certs.certificate_issue(p, actor=lina)
    # The whole story happened 100 days ago (a certificate is never dated before its test and decision, so the
    # dates are moved back together rather than issuing a back-dated certificate).
    back = datetime.timedelta(days=100)
    type(event).objects.filter(pk=event.pk).update(starts_at=F("starts_at") - back)
    type(p).objects.filter(pk=p.pk).update(decided_at=F("decided_at") - back)
    Certificate.objects.filter(pk=cert.pk).update(issued_on=cert.issued_on - back,
                                                  expires_on=certs.add_years(cert.issued_on - back, 3))
    cert.refresh_from_db()
    return cert


def _misspelt() -> dict:
    w = event_world()
    w["cert"] = misspelt_certificate(w["event"], w["lina"], w["tono"], w["asa"], w["alice"])
    return w


globals().update(module_world.shared(_misspelt, *EVENT_WORLD, "cert", language="en"))  # once a module


def replace(cert, actor, **changes):
    data = {"reason": "Nama salah ketik pada sertifikat.", "holder_name": "Alice Applicant, S.Sos.",
            "holder_nip": cert.holder_nip, "holder_unit": cert.holder_unit, "holder_position": "Kepala Unit"}
    return certs.certificate_replace(cert, actor=actor, **{**data, **changes})


def form_data(cert, **changes):
    data = {"holder_name": "Alice Applicant, S.Sos.", "holder_nip": cert.holder_nip,
            "holder_unit": cert.holder_unit, "holder_position": "Kepala Unit", "reason": "Nama salah ketik."}
    return {f"replace-{k}": v for k, v in {**data, **changes}.items()}


# --- the service -----------------------------------------------------------------------------------------

def test_replacement_has_a_new_number_and_code_and_keeps_the_original_expiry(cert, lina):
    new = replace(cert, lina, holder_nip=RIGHT_NIP, holder_unit="Badan Kepegawaian Daerah")
    assert new.replaces == cert and new.number != cert.number and new.sequence == cert.sequence + 1
    assert new.verification_code != cert.verification_code
    assert new.issued_on == timezone.localdate() and new.expires_on == cert.expires_on  # validity not extended
    assert (new.holder_name, new.holder_nip, new.holder_unit) == (
        "Alice Applicant, S.Sos.", RIGHT_NIP, "Badan Kepegawaian Daerah")
    assert new.snapshot["holder"]["position"] == "Kepala Unit" and new.snapshot["replaces"] == cert.number
    assert new.snapshot["units"] == cert.snapshot["units"] and new.scheme_code == cert.scheme_code
    assert new.state() == "valid"
    assert certs.certificate_context(new)["replaces_number"] == cert.number


def test_the_old_certificate_is_withdrawn_with_a_reason_naming_the_new_number(cert, lina):
    new = replace(cert, lina)
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.WITHDRAWN and cert.state() == "withdrawn"
    assert new.number in cert.status_reason and "Nama salah ketik" in cert.status_reason
    assert list(cert.replaced_by.all()) == [new]
    assert Certificate.objects.count() == 2  # never deleted
    assert certs.certificate_issue(cert.participant, actor=lina) == new  # printing the event prints the new one


def test_both_changes_are_audited_with_who_from_to_and_why(cert, lina):
    new = replace(cert, lina)
    old_row = AuditEntry.objects.for_object(cert).filter(to_state="withdrawn").get()
    assert (old_row.actor, old_row.from_state) == (lina, "issued") and new.number in old_row.note
    new_row = AuditEntry.objects.for_object(new).get()
    assert (new_row.actor, new_row.to_state) == (lina, "issued")
    assert cert.number in new_row.note and "Nama salah ketik" in new_row.note
    assert "Alice Aplicant, S.Sos." in new_row.note and "Alice Applicant, S.Sos." in new_row.note  # from → to


def test_only_an_lsp_admin_replaces_and_only_with_a_reason(cert, victor, sofia, lina):
    for someone in (victor, sofia):
        with pytest.raises(services.AssessmentError, match="Only an LSP administrator"):
            replace(cert, someone)
    with pytest.raises(services.AssessmentError, match="Give the reason"):
        replace(cert, lina, reason="  ")
    with pytest.raises(services.AssessmentError, match="holder's name"):
        replace(cert, lina, holder_name=" ")
    with pytest.raises(services.AssessmentError, match="18 digits"):
        replace(cert, lina, holder_nip="12345")
    cert.refresh_from_db()
    assert Certificate.objects.count() == 1 and cert.status == Certificate.Status.ISSUED


def test_a_replaced_certificate_cannot_be_replaced_again(cert, lina):
    new = replace(cert, lina)
    with pytest.raises(services.AssessmentError, match=f"already been replaced by {new.number}"):
        replace(cert, lina)
    assert Certificate.objects.count() == 2
    newer = replace(new, lina, holder_unit="Badan Kepegawaian Daerah", reason="Perangkat daerah salah.")
    assert newer.replaces == new and newer.expires_on == cert.expires_on
    assert newer.snapshot["first_issued_on"] == cert.issued_on.isoformat()


def test_withdrawn_suspended_or_expired_certificates_are_not_replaced(cert, lina):
    today = timezone.localdate()
    with pytest.raises(services.AssessmentError, match="expired"):
        replace(cert, lina, on=cert.expires_on + datetime.timedelta(days=1))
    certs.certificate_suspend(cert, actor=lina, reason="Diperiksa.", until=today + datetime.timedelta(days=30))
    with pytest.raises(services.AssessmentError, match="suspended"):
        replace(cert, lina)
    certs.certificate_withdraw(cert, actor=lina, reason="Pelanggaran kode etik.")
    with pytest.raises(services.AssessmentError, match="withdrawn certificate cannot be replaced"):
        replace(cert, lina)
    assert Certificate.objects.count() == 1


def test_the_replacement_is_handed_over_after_the_original_without_closing_the_application_twice(cert, lina,
                                                                                                victor):
    certs.handover_record(actor=victor, certificate=cert, received_by="Alice Applicant")
    new = replace(cert, lina)
    with pytest.raises(services.AssessmentError, match="not handed over: the certificate is withdrawn"):
        certs.handover_record(actor=victor, certificate=cert, received_by="Alice Applicant")
    certs.handover_record(actor=victor, certificate=new, received_by="Alice Applicant")
    assert Handover.objects.filter(certificate=new).exists()
    new.application.refresh_from_db()
    assert new.application.status == AppStatus.HANDED_OVER
    with pytest.raises(services.AssessmentError, match="already been handed over"):
        certs.handover_record(actor=victor, certificate=new, received_by="Alice Applicant")


# --- the screen ------------------------------------------------------------------------------------------

def test_lsp_admin_issues_the_correction_from_the_certificate_page(login, lina, cert):
    client = login(lina)
    page = client.get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    assert 'id="replace-form"' in page and 'value="Alice Aplicant, S.Sos."' in page  # pre-filled
    response = client.post(reverse("assessments:certificate-replace", args=[cert.pk]), form_data(cert))
    new = Certificate.objects.get(replaces=cert)
    assert response.status_code == 302 and response["Location"] == reverse("assessments:certificate", args=[new.pk])
    page = client.get(response["Location"]).content.decode()
    assert new.number in page and cert.number in page  # the success message names both
    assert f'id="cert-replaces"><a href="{reverse("assessments:certificate", args=[cert.pk])}">{cert.number}</a>' \
        in page
    old_page = client.get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    assert f'href="{reverse("assessments:certificate", args=[new.pk])}">{new.number}</a>' in old_page
    assert 'id="cert-replaced-by"' in old_page and 'id="replace-form"' not in old_page
    assert 'id="handover-form"' not in old_page  # a withdrawn certificate is not handed over


def test_the_holder_sees_both_links_but_no_form(login, lina, alice, cert):
    new = replace(cert, lina)
    client = login(alice)
    old_page = client.get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    new_page = client.get(reverse("assessments:certificate", args=[new.pk])).content.decode()
    assert 'id="cert-replaced-by"' in old_page and new.number in old_page
    assert 'id="cert-replaces"' in new_page and 'id="replace-form"' not in new_page


def test_the_holders_list_says_which_of_the_two_numbers_is_valid(login, lina, alice, cert):
    new = replace(cert, lina)
    page = login(alice).get(reverse("assessments:mine")).content.decode()
    old_at, new_at = page.index(cert.number), page.index(new.number)
    assert 'data-state="withdrawn"' in page[old_at:old_at + 200] and 'data-state="valid"' in page[new_at:new_at + 200]


def test_the_correcting_certificate_pdf_names_the_replaced_number_and_the_first_issue(lina, cert):
    from .test_documents import text_of

    new = replace(cert, lina)
    text = text_of(certs.certificate_pdf(new))
    assert f"Replaces certificate no. {cert.number}" in text and "Alice Applicant, S.Sos." in text
    from certportal.templatetags.documents import long_date

    assert f"pertama diterbitkan / first issued {long_date(cert.issued_on)}" in text
    assert long_date(new.expires_on) in text


def test_other_roles_get_403_and_anonymous_goes_to_login(client, login, cert, alice, bob, asa, victor, quinn,
                                                        sofia):
    url = reverse("assessments:certificate-replace", args=[cert.pk])
    for someone in (alice, bob, asa, victor, quinn, sofia):
        assert login(someone).post(url, form_data(cert)).status_code == 403, someone
    response = client.post(url, form_data(cert))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    page = login(victor).get(reverse("assessments:certificate", args=[cert.pk])).content.decode()
    assert 'id="replace-form"' not in page
    assert Certificate.objects.count() == 1


def test_form_errors_keep_what_was_typed(login, lina, cert):
    client = login(lina)
    url = reverse("assessments:certificate-replace", args=[cert.pk])
    response = client.post(url, form_data(cert, reason="", holder_unit="Badan Kepegawaian Daerah"))
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Badan Kepegawaian Daerah"' in page
    assert 'id="replace-form"' in page and "is-invalid" in page
    response = client.post(url, form_data(cert, holder_nip="19850314"))
    assert 'value="19850314"' in response.content.decode() and "is-invalid" in response.content.decode()
    assert Certificate.objects.count() == 1


def test_a_refusal_by_the_service_is_shown_on_the_form_with_the_values(login, lina, cert):
    client = login(lina)
    url = reverse("assessments:certificate-replace", args=[cert.pk])
    client.post(url, form_data(cert))
    response = client.post(url, form_data(cert, holder_name="Alice Applicant Kedua"))
    page = response.content.decode()
    new = Certificate.objects.get(replaces=cert)
    assert response.status_code == 200 and 'value="Alice Applicant Kedua"' in page
    form = page[page.index('id="replace-form"'):]
    assert "alert-danger" in form and new.number in form  # "already replaced by <new number>"
    assert Certificate.objects.count() == 2


# --- public verification ---------------------------------------------------------------------------------

def test_the_old_code_verifies_as_withdrawn_and_names_the_replacement(client, lina, cert):
    new = replace(cert, lina, holder_nip=RIGHT_NIP)
    page = client.get(reverse("assessments:verify-code", args=[cert.verification_code])).content.decode()
    assert 'data-status="withdrawn"' in page
    assert f'id="verify-replaced-by">{new.number}<' in page
    assert new.verification_code not in page and RIGHT_NIP not in page and cert.holder_nip not in page
    assert "salah ketik" not in page  # the reason is internal
    page = client.get(reverse("assessments:verify-code", args=[new.verification_code])).content.decode()
    assert 'data-status="valid"' in page and f'id="verify-replaces">{cert.number}<' in page


def test_the_json_names_the_replacement_and_the_replaced_number(client, lina, cert):
    new = replace(cert, lina)
    old = client.get(reverse("assessments:verify-json", args=[cert.verification_code])).json()
    assert old["status"] == "withdrawn" and old["replaced_by"] == new.number and old["replaces"] is None
    data = client.get(reverse("assessments:verify-json", args=[new.verification_code])).json()
    assert data["status"] == "valid" and data["replaces"] == cert.number and data["replaced_by"] is None
    assert data["expires_on"] == cert.expires_on.isoformat() and "nip" not in str(data).lower()
    assert new.verification_code not in str(old)
