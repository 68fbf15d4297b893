"""Issuing documents and changing them: numbering, the certificate and the result letter (data frozen on the
row at issue), suspension, reinstatement, withdrawal, the correcting certificate, and the handover."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Status as AppStatus
from applicants.nip import nip_problems
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.signals import service_delivered

from ..models import Certificate, CertificateSequence, Handover, Participant, Result, ResultLetter
from ..services import AssessmentError, _transition
from .verification import new_verification_code


def _next_number(kind: str, year: int) -> int:
    seq, _created = CertificateSequence.objects.select_for_update(of=("self",)).get_or_create(kind=kind, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _holder(participant: Participant) -> dict:
    app = participant.application
    data = app.profile_data or {}
    return {"name": app.applicant_name or data.get("full_name") or app.applicant.full_name,
            "nip": app.nip or data.get("nip", ""), "unit": app.org_unit or data.get("org_unit", ""),
            "position": data.get("position", "")}


def _units(participant: Participant) -> list[dict]:
    rows = {r.unit_id: r for r in participant.results.select_related("unit")}
    out = []
    for su in participant.application.scheme.scheme_units.select_related("unit").order_by("position"):
        r = rows.get(su.unit_id)
        out.append({"code": su.unit.code, "title": su.unit.title, "result": r.result if r else "",
                    "explanation": r.explanation if r else ""})
    return out


def _certificate_snapshot(participant: Participant, holder: dict) -> dict:
    """What a certificate prints besides its own fields: the K units, qualification, test site and date."""
    scheme = participant.application.scheme
    return {"holder": holder, "units": [u for u in _units(participant) if u["result"] == Result.K],
            "qualification": str(scheme.qualification) if scheme.qualification_id else "",
            "test_site": participant.event.test_site.name,
            "test_date": timezone.localtime(participant.event.starts_at).date().isoformat(),
            "validity_years": scheme.validity_years}


def certificate_issue(participant: Participant, *, actor, on: datetime.date | None = None) -> Certificate:
    """Issue the certificate of a participant decided K whose holder obligations are accepted (idempotent)."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related(
            "application__scheme", "application__applicant", "event__test_site").get(pk=participant.pk)
        existing = participant.certificates.first()
        if existing is not None:
            return existing
        if participant.decision != Result.K:
            raise AssessmentError(_("A certificate is issued only to a participant decided competent (K)."))
        if participant.obligations_accepted_at is None:
            raise AssessmentError(_("%(name)s has not accepted the certificate-holder obligations yet.")
                                  % {"name": participant.name})
        on = on or timezone.localdate()
        scheme = participant.application.scheme
        seq = _next_number("certificate", on.year)
        holder = _holder(participant)
        cert = Certificate.objects.create(
            participant=participant, application=participant.application,
            number=settings.ASSESSMENT_CERTIFICATE_NUMBER_FORMAT.format(seq=seq, year=on.year, month=on.month),
            year=on.year, sequence=seq, verification_code=new_verification_code(), issued_on=on,
            expires_on=add_years(on, scheme.validity_years), holder_name=holder["name"], holder_nip=holder["nip"],
            holder_unit=holder["unit"], scheme_code=scheme.code, scheme_name=scheme.name, issued_by=actor,
            snapshot=_certificate_snapshot(participant, holder),
        )
        _transition(participant.application, AppStatus.CERTIFIED, actor=actor, reason=cert.number)
        audit_record(actor=actor, obj=cert, action="status", to_state=Certificate.Status.ISSUED, note=cert.number)
    return cert


def result_letter_issue(participant: Participant, *, actor, on: datetime.date | None = None) -> ResultLetter:
    """The Surat Keterangan Hasil Uji Kompetensi, for every decided participant (idempotent while issued).

    Dated with the day of the decision it records (``on`` may date it later, never earlier, and never before the
    test). A letter withdrawn after a correction stays; the new decision gets a new letter and number."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related(
            "application__scheme", "event__test_site").get(pk=participant.pk)
        existing = ResultLetter.objects.filter(participant=participant, status=ResultLetter.Status.ISSUED).first()
        if existing is not None:
            return existing
        if not participant.decision or participant.decided_at is None:
            raise AssessmentError(_("The result letter is issued after the certification decision."))
        on = _letter_date(participant, on)
        seq = _next_number("letter", on.year)
        holder = _holder(participant)
        scheme = participant.application.scheme
        letter = ResultLetter.objects.create(
            participant=participant, application=participant.application,
            number=settings.ASSESSMENT_LETTER_NUMBER_FORMAT.format(seq=seq, year=on.year, month=on.month),
            issued_on=on, holder_name=holder["name"], outcome=participant.decision, issued_by=actor,
            snapshot={"holder": holder, "units": _units(participant), "scheme_code": scheme.code,
                      "scheme_name": scheme.name, "test_site": participant.event.test_site.name,
                      "test_date": timezone.localtime(participant.event.starts_at).date().isoformat(),
                      "decided_on": timezone.localtime(participant.decided_at).date().isoformat()},
        )
        audit_record(actor=actor, obj=letter, action="assessments.resultletter.issued",
                     to_state=ResultLetter.Status.ISSUED, note=letter.number)
    return letter


def _letter_date(participant: Participant, on: datetime.date | None) -> datetime.date:
    from ..workflow.participants import day_text

    decided_on = timezone.localtime(participant.decided_at).date()
    test_day = timezone.localtime(participant.event.starts_at).date()
    on = on or decided_on
    if on < test_day:
        raise AssessmentError(_("A result letter cannot be dated %(date)s, before the test on %(test)s.")
                              % {"date": day_text(on), "test": day_text(test_day)})
    if on < decided_on:
        raise AssessmentError(_("A result letter cannot be dated %(date)s, before the decision of %(decided)s.")
                              % {"date": day_text(on), "decided": day_text(decided_on)})
    return on


def certificate_suspend(cert: Certificate, *, actor, reason: str, until: datetime.date) -> Certificate:
    return _set_status(cert, actor=actor, to=Certificate.Status.SUSPENDED, reason=reason, until=until,
                       allowed={Certificate.Status.ISSUED, Certificate.Status.SUSPENDED})


def certificate_reinstate(cert: Certificate, *, actor, reason: str) -> Certificate:
    return _set_status(cert, actor=actor, to=Certificate.Status.ISSUED, reason=reason, until=None,
                       allowed={Certificate.Status.SUSPENDED})


def certificate_withdraw(cert: Certificate, *, actor, reason: str) -> Certificate:
    return _set_status(cert, actor=actor, to=Certificate.Status.WITHDRAWN, reason=reason, until=None,
                       allowed={Certificate.Status.ISSUED, Certificate.Status.SUSPENDED})


def _set_status(cert: Certificate, *, actor, to: str, reason: str, until, allowed: set) -> Certificate:
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator changes a certificate's status."))
    if not reason.strip():
        raise AssessmentError(_("Give the reason: it is recorded with the certificate."))
    if to == Certificate.Status.SUSPENDED and (until is None or until < timezone.localdate()):
        raise AssessmentError(_("Say until when the certificate is suspended (a date from today on)."))
    with transaction.atomic():
        cert = Certificate.objects.select_for_update(of=("self",)).get(pk=cert.pk)
        if cert.status not in allowed:
            raise AssessmentError(_("The certificate is “%(status)s”; this change is not possible.")
                                  % {"status": cert.get_status_display()})
        before = cert.status
        cert.status, cert.status_reason, cert.suspended_until = to, reason.strip(), until
        cert.save(update_fields=["status", "status_reason", "suspended_until"])
        audit_record(actor=actor, obj=cert, action="status", from_state=before, to_state=to, note=reason)
    return cert


def certificate_replace(cert: Certificate, *, actor, reason: str, holder_name: str, holder_nip: str = "",
                        holder_unit: str = "", holder_position: str = "",
                        on: datetime.date | None = None) -> Certificate:
    """Correct an issued certificate: issue a NEW one that names it (``replaces``) and withdraw the old one.

    The new certificate gets a new number and a new verification code and is built by the issue rules (the
    application's scheme, the K units from the recorded results, the test site and date), with the holder data
    as corrected here frozen on it. It is issued ``on`` (today) but keeps the ORIGINAL expiry date: a correction
    does not extend validity. The old certificate is withdrawn, never deleted, with a reason that names the new
    number, so its code still verifies (as withdrawn, replaced by the new number). Only an LSP admin replaces,
    with a reason, and only a valid certificate: not a withdrawn (or already replaced), suspended or expired one.
    """
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator issues a correcting certificate."))
    reason = reason.strip()
    if not reason:
        raise AssessmentError(_("Give the reason: it is recorded with the certificate."))
    holder = _corrected_holder(holder_name, holder_nip, holder_unit, holder_position)
    on = on or timezone.localdate()
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related(
            "application__scheme", "event__test_site").get(pk=cert.participant_id)
        old = Certificate.objects.select_for_update(of=("self",)).get(pk=cert.pk)
        _check_replaceable(old, on)
        if participant.decision != Result.K:
            raise AssessmentError(_("The participant is no longer decided competent (K): withdraw the certificate "
                                    "instead."))
        new = _issue_replacement(old, participant, holder, actor=actor, on=on)
        before = old.status
        old.status, old.suspended_until = Certificate.Status.WITHDRAWN, None
        old.status_reason = _("Replaced by certificate %(number)s: %(reason)s") % {"number": new.number,
                                                                                   "reason": reason}
        old.save(update_fields=["status", "status_reason", "suspended_until"])
        audit_record(actor=actor, obj=old, action="status", from_state=before, to_state=old.status,
                     note=old.status_reason)
        was = {**(old.snapshot.get("holder") or {}), "name": old.holder_name, "nip": old.holder_nip,
               "unit": old.holder_unit}
        changed = "; ".join(f"{k}: {was.get(k, '')!r} → {v!r}" for k, v in holder.items() if was.get(k, "") != v)
        audit_record(actor=actor, obj=new, action="status", to_state=new.status,
                     note=f"{new.number} ← {old.number}: {reason}" + (f" ({changed})" if changed else ""))
    return new


def _corrected_holder(name: str, nip: str, unit: str, position: str) -> dict:
    holder = {"name": " ".join(name.split()), "nip": nip.replace(" ", ""), "unit": " ".join(unit.split()),
              "position": " ".join(position.split())}
    if not holder["name"]:
        raise AssessmentError(_("Give the holder's name as it is to be printed."))
    if holder["nip"] and (problems := nip_problems(holder["nip"])):
        raise AssessmentError(" ".join(problems))
    return holder


def _check_replaceable(cert: Certificate, on: datetime.date) -> None:
    if cert.status == Certificate.Status.WITHDRAWN:
        replacement = cert.replaced_by.first()
        if replacement is not None:
            raise AssessmentError(_("This certificate has already been replaced by %(number)s; correct that one "
                                    "instead.") % {"number": replacement.number})
        raise AssessmentError(_("A withdrawn certificate cannot be replaced."))
    state = cert.state(on)
    if state == "suspended":
        raise AssessmentError(_("The certificate is suspended: lift the suspension before issuing a correction."))
    if state == "expired":
        raise AssessmentError(_("The certificate expired on %(date)s: a correction would not be valid either.")
                              % {"date": cert.expires_on.strftime("%d-%m-%Y")})


def _issue_replacement(old: Certificate, participant: Participant, holder: dict, *, actor,
                       on: datetime.date) -> Certificate:
    scheme = participant.application.scheme
    seq = _next_number("certificate", on.year)
    snapshot = _certificate_snapshot(participant, holder)
    # printed facts of the chain: the number replaced and when the competence was first certified
    snapshot.update(replaces=old.number, first_issued_on=old.snapshot.get("first_issued_on")
                    or old.issued_on.isoformat())
    return Certificate.objects.create(
        participant=participant, application=participant.application, replaces=old,
        number=settings.ASSESSMENT_CERTIFICATE_NUMBER_FORMAT.format(seq=seq, year=on.year, month=on.month),
        year=on.year, sequence=seq, verification_code=new_verification_code(), issued_on=on,
        expires_on=old.expires_on, holder_name=holder["name"], holder_nip=holder["nip"],
        holder_unit=holder["unit"], scheme_code=scheme.code, scheme_name=scheme.name, issued_by=actor,
        snapshot=snapshot)


def handover_record(*, actor, certificate: Certificate | None = None, letter: ResultLetter | None = None,
                    received_by: str, at: datetime.datetime | None = None, note: str = "") -> Handover:
    """Seed 001 step 8: the document is handed over; the application is closed and the service clock stops."""
    if not actor.has_role(Role.VERIFIER, Role.LSP_ADMIN):
        raise AssessmentError(_("Certificates are handed over by BKPSDM staff or an LSP administrator."))
    if not received_by.strip():
        raise AssessmentError(_("Say who received the document."))
    doc = certificate or letter
    if doc is None:
        raise AssessmentError(_("Choose the document that is handed over."))
    with transaction.atomic():
        app = doc.application
        if certificate is not None and Certificate.objects.filter(
                pk=certificate.pk, status=Certificate.Status.WITHDRAWN).exists():
            raise AssessmentError(_("A withdrawn certificate is not handed over."))
        if letter is not None and ResultLetter.objects.filter(
                pk=letter.pk, status=ResultLetter.Status.WITHDRAWN).exists():
            raise AssessmentError(_("A withdrawn result letter is not handed over: hand over the new one."))
        earlier = Handover.objects.filter(application=app)
        # A correcting certificate issued after the original was handed over is handed over too; the application
        # is closed already, so it is not moved again and the survey invitation is not sent a second time.
        correction = (certificate is not None and certificate.replaces_id is not None and earlier.exists()
                      and not earlier.filter(certificate=certificate).exists())
        if earlier.exists() and not correction:
            raise AssessmentError(_("This application's documents have already been handed over."))
        if certificate is None and ResultLetter.objects.filter(pk=letter.pk, outcome=Result.K).exists():
            raise AssessmentError(_("A competent participant receives the certificate."))
        handover = Handover.objects.create(application=app, certificate=certificate, result_letter=letter,
                                           handed_by=actor, received_by=received_by.strip(),
                                           handed_at=at or timezone.now(), note=note.strip())
        if correction:
            audit_record(actor=actor, obj=app, action="handed over", note=f"{doc.number} → {handover.received_by}")
            return handover
        _transition(app, AppStatus.HANDED_OVER, actor=actor, reason=_("Handed over to %(who)s") % {
            "who": handover.received_by})
        audit_record(actor=actor, obj=handover.application, action="handed over",
                     note=f"{doc.number} → {handover.received_by}")
        applicant = app.applicant
        reference = f"certificate:{certificate.pk}" if certificate else f"result-letter:{letter.pk}"
        transaction.on_commit(lambda: service_delivered.send(
            sender=Certificate if certificate else ResultLetter, user=applicant, email=applicant.email,
            name=app.applicant_name or applicant.full_name, reference=reference, scheme_code=app.scheme.code,
            language=applicant.preferred_language or settings.LANGUAGE_CODE))
    return handover
