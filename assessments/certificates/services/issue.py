"""Issuing documents and changing them: numbering, the certificate and the result letter (data frozen on the
row at issue), suspension, reinstatement, withdrawal, the correcting certificate, and the handover."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import ApplicationDocument, DocumentFile
from applicants.models import Status as AppStatus
from applicants.nip import nip_problems
from assessments.certificates.models import Certificate, CertificateSequence, Handover, ResultLetter
from assessments.certificates.services.renewal import add_years, renewal_terms
from assessments.certificates.services.verification import new_verification_code
from assessments.certificates.workflow import (
    CERTIFICATE,
    HANDED_OVER,
    LETTER_ISSUED,
    decision_refusal,
    issue_refusal,
    letter_refusal,
    suspended_before_new_decision,
)
from assessments.errors import AssessmentError
from assessments.events.models import Participant, Result
from assessments.events.services.base import _act
from certportal import dates
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.lsp.services import profile_snapshot
from certportal.signals import service_delivered
from certportal.workflow import transition


def _next_number(kind: str, year: int) -> int:
    seq, _created = CertificateSequence.objects.select_for_update(of=("self",)).get_or_create(kind=kind, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


def next_certificate_number(on: datetime.date) -> tuple[int, str]:
    """The next sequence of ``on``'s year and its printed number, past any number already held: the sequence
    follows the LSP's register once it is imported (the import moves it past the register's highest number of each
    year), and a number imported in another shape that reads the same is skipped, never issued twice."""
    while True:
        seq = _next_number("certificate", on.year)
        number = settings.ASSESSMENT_CERTIFICATE_NUMBER_FORMAT.format(seq=seq, year=on.year, month=on.month)
        if not Certificate.objects.filter(number=number).exists():
            return seq, number


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
    """What a certificate prints besides its own fields: the K units, qualification, the SKKNI decree the units come
    from, test site and date, the LSP profile (letterhead and signatory) and the holder's photo (the accepted
    dossier photo's file) of the day."""
    scheme = participant.application.scheme
    return {"holder": holder, "units": [u for u in _units(participant) if u["result"] == Result.K],
            "qualification": str(scheme.qualification) if scheme.qualification_id else "",
            "skkni_decree": skkni_snapshot(scheme),
            "test_site": participant.event.test_site.name,
            "test_date": timezone.localtime(participant.event.starts_at).date().isoformat(),
            "validity_years": scheme.validity_years, "lsp": profile_snapshot(),
            "photo_file": accepted_photo_id(participant.application), **decree_snapshot(participant)}


def skkni_snapshot(scheme) -> dict | None:
    """The scheme's SKKNI decree as it is at issue (number, year, title), or None: a later change of the scheme's
    decree does not change what an issued certificate (and its credential, signed later) says."""
    decree = scheme.decree
    return {"number": decree.number, "year": decree.year, "title": decree.title} if decree else None


def decree_snapshot(participant: Participant) -> dict:
    """The decree the decision was taken by, when it was taken in a pleno (number and day); else nothing."""
    pleno = participant.pleno
    if pleno is None:
        return {}
    return {"decree_number": pleno.decree_number, "decree_date": pleno.held_on.isoformat()}


PHOTO_WORDS = ("foto", "photo")  # the scheme's requirement for a passport photo ("Pas foto", "Pasfoto 3x4 ...")


def accepted_photo_id(application) -> int | None:
    """The applicant's photo as the verifier accepted it: the newest current JPEG/PNG file of an accepted
    document whose requirement names a photo (versions are never deleted, so the id stays printable)."""
    named = Q()
    for word in PHOTO_WORDS:
        named |= Q(document__requirement__name__icontains=word)
    return DocumentFile.objects.filter(
        named, document__application=application, document__review=ApplicationDocument.Review.ACCEPTED,
        superseded_at__isnull=True, kind__in=("jpeg", "png")).order_by("-uploaded_at", "-id").values_list(
        "pk", flat=True).first()


def certificate_issue(participant: Participant, *, actor, on: datetime.date | None = None) -> Certificate:
    """Issue the certificate of a participant decided K whose holder obligations are accepted (idempotent).

    Dated ``on`` (today by default): never before the test or the decision (:func:`issue_refusal`)."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related(
            "application__scheme", "application__applicant", "event__test_site").get(pk=participant.pk)
        existing = participant.certificates.first()
        if existing is not None:
            return existing
        on = on or timezone.localdate()
        refusal = issue_refusal(participant, on=on)
        if refusal:
            raise AssessmentError(refusal, action=CERTIFICATE.code("issued"))
        scheme = participant.application.scheme
        seq, number = next_certificate_number(on)
        holder = _holder(participant)
        # a re-certification renews the earlier certificate and takes over at its expiry date
        renews, expires_on = renewal_terms(participant.application, on, scheme.validity_years,
                                           add_years(on, scheme.validity_years))
        cert = Certificate.objects.create(
            participant=participant, application=participant.application, number=number, year=on.year, sequence=seq, verification_code=new_verification_code(), issued_on=on,
            expires_on=expires_on, renews=renews, holder_name=holder["name"], holder_nip=holder["nip"],
            holder_unit=holder["unit"], scheme_code=scheme.code, scheme_name=scheme.name, issued_by=actor,
            snapshot=_certificate_snapshot(participant, holder),
        )
        _act(participant.application, "certified", actor=actor, reason=cert.number)
        audit_record(actor=actor, obj=cert, action=CERTIFICATE.code("issued"), to_state=Certificate.Status.ISSUED,
                     note=cert.number)
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
        on = on or timezone.localtime(participant.decided_at).date()  # dated with the decision it records
        refusal = letter_refusal(participant, on=on, at=timezone.now())
        if refusal:
            raise AssessmentError(refusal)
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
                      "decided_on": timezone.localtime(participant.decided_at).date().isoformat(),
                      "lsp": profile_snapshot(), **decree_snapshot(participant)},
        )
        audit_record(actor=actor, obj=letter, action=LETTER_ISSUED, to_state=ResultLetter.Status.ISSUED,
                     note=letter.number)
    return letter


def certificate_suspend(cert: Certificate, *, actor, reason: str, until: datetime.date,
                        ip: str | None = None) -> Certificate:
    return _set_status(cert, "suspended", actor=actor, reason=reason, ip=ip, suspended_until=until)


def certificate_reinstate(cert: Certificate, *, actor, reason: str, ip: str | None = None) -> Certificate:
    """Lift the suspension: refused while the participant's decision is pending or BK (the guard says why). After
    a correction and a new K decision the application is certified again."""
    with transaction.atomic():
        cert = _set_status(cert, "reinstated", actor=actor, reason=reason, ip=ip, suspended_until=None,
                           suspended_by_correction=False)
        if cert.application_id:  # one imported from the register has no application in the portal
            _certified_again(cert.application, actor=actor, reason=cert.number)
    return cert


def _certified_again(app, *, actor, reason: str) -> None:
    """A result correction sent the application back to "assessed", the new K decision to "competent": its
    certificate standing again (reinstated or replaced) makes it "certified" again."""
    if app.status == AppStatus.COMPETENT:
        _act(app, "certified", actor=actor, reason=reason)


def suspended_after_correction(qs=None):
    """Certificates suspended because a result was corrected after they were issued: the LSP admin decides, then
    reinstates, replaces or withdraws them (their work queue, the certificate list's filter)."""
    qs = Certificate.objects.all() if qs is None else qs
    return qs.filter(status=Certificate.Status.SUSPENDED, suspended_by_correction=True)


def withdraw_letters(participant: Participant, *, actor, note: str) -> None:
    """A result of ``participant`` was corrected: their issued result letter is withdrawn (kept, marked, with the
    correction's note as the reason; the new decision gets a new letter). The note is data in no one language;
    the pages and the PDF say "withdrawn"."""
    for letter in ResultLetter.objects.filter(participant=participant, status=ResultLetter.Status.ISSUED):
        transition(letter, "withdrawn", user=actor, reason=note, withdrawn_reason=note)


def suspend_after_correction(participant: Participant, *, actor, note: str) -> list[Certificate]:
    """A result of ``participant`` was corrected (``note`` says which and why): every certificate of theirs that
    is not withdrawn is suspended in the same transaction, through the machine's ``suspended`` arrow, and the
    holder is told. The suspension lasts until the certificate's expiry date, i.e. until it is lifted after a new
    K decision (reinstated or replaced) or the certificate is withdrawn after a BK one. An already suspended
    certificate is suspended again on these terms (a shorter suspension would run out before the new decision)."""
    today = timezone.localdate()
    reason = _("Suspended until the new decision after a result correction: %(note)s") % {"note": note}
    done = []
    for cert in participant.certificates.filter(status__in=(Certificate.Status.ISSUED, Certificate.Status.SUSPENDED)):
        done.append(_set_status(cert, "suspended", actor=actor, reason=reason, ip=None,
                                suspended_until=max(cert.expires_on, today), suspended_by_correction=True))
    return done


def certificate_withdraw(cert: Certificate, *, actor, reason: str, ip: str | None = None) -> Certificate:
    return _set_status(cert, "withdrawn", actor=actor, reason=reason, ip=ip, suspended_until=None,
                       suspended_by_correction=False)


def _set_status(cert: Certificate, action: str, *, actor, reason: str, ip: str | None, **changes) -> Certificate:
    """One transition of the certificate's machine, and the holder is told (portal and e-mail, their language)."""
    with transaction.atomic():
        cert = transition(cert, action, user=actor, reason=reason, ip=ip, status_reason=(reason or "").strip(),
                          **changes)
        _tell_holder(cert, action)
    return cert


def _tell_holder(cert: Certificate, action: str) -> None:
    """The holder's account is told; a certificate imported from the register whose holder has no account in the
    portal is told to no one (the LSP reaches them as it did before the portal)."""
    from django.urls import reverse

    from certportal.notifications.services import notify

    holder = cert.holder_account  # an imported certificate's: the account linked by NIP, if any
    if holder is None:
        return
    notify(holder, template=f"assessments/email/certificate_{action}", url=reverse(
        "assessments:certificate", kwargs={"pk": cert.pk}), context={"cert": cert, "reason": cert.status_reason})


def certificate_replace(cert: Certificate, *, actor, reason: str, holder_name: str, holder_nip: str = "",
                        holder_unit: str = "", holder_position: str = "",
                        on: datetime.date | None = None) -> Certificate:
    """Correct an issued certificate: issue a NEW one that names it (``replaces``) and withdraw the old one.

    The new certificate gets a new number and a new verification code and is built by the issue rules (the
    application's scheme, the K units from the recorded results, the test site and date), with the holder data
    as corrected here frozen on it. It is issued ``on`` (today) but keeps the ORIGINAL expiry date: a correction
    does not extend validity. The old certificate is withdrawn, never deleted, with a reason that names the new
    number, so its code still verifies (as withdrawn, replaced by the new number). Only an LSP admin replaces,
    with a reason, and only a valid certificate: not a withdrawn (or already replaced), suspended or expired one —
    except a certificate suspended by a result correction once the participant is decided K again: the correcting
    certificate then carries the corrected results, without lifting the old one's suspension first.
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
        if participant.decision != Result.K or decision_refusal(participant):
            raise AssessmentError(_("The participant is no longer decided competent (K): withdraw the certificate "
                                    "instead."))
        new = _issue_replacement(old, participant, holder, actor=actor, on=on)
        note = _("Replaced by certificate %(number)s: %(reason)s") % {"number": new.number, "reason": reason}
        old = transition(old, "replaced", user=actor, reason=note, status_reason=note, suspended_until=None,
                         suspended_by_correction=False)
        was = {**(old.snapshot.get("holder") or {}), "name": old.holder_name, "nip": old.holder_nip,
               "unit": old.holder_unit}
        changed = "; ".join(f"{k}: {was.get(k, '')!r} → {v!r}" for k, v in holder.items() if was.get(k, "") != v)
        audit_record(actor=actor, obj=new, action=CERTIFICATE.code("issued"), to_state=new.status,
                     note=f"{new.number} ← {old.number}: {reason}" + (f" ({changed})" if changed else ""))
        _certified_again(participant.application, actor=actor, reason=new.number)
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
    if state == "suspended" and not suspended_before_new_decision(cert):
        raise AssessmentError(_("The certificate is suspended: lift the suspension before issuing a correction."))
    if state == "expired":
        raise AssessmentError(_("The certificate expired on %(date)s: a correction would not be valid either.")
                              % {"date": dates.day(cert.expires_on)})


def _issue_replacement(old: Certificate, participant: Participant, holder: dict, *, actor,
                       on: datetime.date) -> Certificate:
    scheme = participant.application.scheme
    seq, number = next_certificate_number(on)
    snapshot = _certificate_snapshot(participant, holder)
    # printed facts of the chain: the number replaced and when the competence was first certified
    snapshot.update(replaces=old.number, first_issued_on=old.snapshot.get("first_issued_on")
                    or old.issued_on.isoformat())
    if "skkni_decree" in old.snapshot:  # the same assessment: the units come from the decree of the first issue
        snapshot["skkni_decree"] = old.snapshot["skkni_decree"]
    if old.snapshot.get("reduced_units"):  # a scope reduced by decision stays reduced through a correction
        held = {u.get("code") for u in old.snapshot.get("units") or []}
        snapshot["units"] = [u for u in snapshot["units"] if u["code"] in held]
        snapshot["reduced_units"] = old.snapshot["reduced_units"]
    return Certificate.objects.create(
        participant=participant, application=participant.application, replaces=old, number=number, year=on.year, sequence=seq, verification_code=new_verification_code(), issued_on=on,
        expires_on=old.expires_on, holder_name=holder["name"], holder_nip=holder["nip"],
        holder_unit=holder["unit"], scheme_code=scheme.code, scheme_name=scheme.name, issued_by=actor,
        snapshot=snapshot)


def handover_record(*, actor, certificate: Certificate | None = None, letter: ResultLetter | None = None,
                    received_by: str, at: datetime.datetime | None = None, note: str = "",
                    ip: str | None = None) -> Handover:
    """Seed 001 step 8: the document is handed over; the application is closed and the service clock stops.

    A certificate is handed over through its machine's ``handed_over`` transition: never a suspended, withdrawn
    or expired one, never before the test or the decision (the guard says why)."""
    if not received_by.strip():
        raise AssessmentError(_("Say who received the document."))
    if certificate is None and letter is None:
        raise AssessmentError(_("Choose the document that is handed over."))
    at = at or timezone.now()
    with transaction.atomic():
        if certificate is not None:
            certificate = transition(certificate, "handed_over", user=actor, at=at, ip=ip,
                                     reason=_("Handed over to %(who)s") % {"who": received_by.strip()})
        else:
            _check_letter_handover(letter, actor=actor, at=at)
        doc = certificate or letter
        app = doc.application
        correction = certificate is not None and Handover.objects.filter(application=app).exists()
        handover = Handover.objects.create(application=app, certificate=certificate, result_letter=letter,
                                           handed_by=actor, received_by=received_by.strip(), handed_at=at,
                                           note=note.strip())
        audit_record(actor=actor, obj=app, action=HANDED_OVER, note=f"{doc.number} → {handover.received_by}",
                     ip_address=ip)
        if correction:
            # A correcting certificate after the original's handover: the application is closed already, so it
            # is not moved again and the survey invitation is not sent a second time.
            return handover
        _act(app, "handed_over", actor=actor, reason=_("Handed over to %(who)s") % {
            "who": handover.received_by})
        applicant = app.applicant
        reference = f"certificate:{certificate.pk}" if certificate else f"result-letter:{letter.pk}"
        transaction.on_commit(lambda: service_delivered(
            kind="certificate" if certificate else "result-letter", user=applicant, email=applicant.email,
            name=app.applicant_name or applicant.full_name, reference=reference, scheme_code=app.scheme.code,
            language=applicant.preferred_language or settings.LANGUAGE_CODE))
    return handover


def _check_letter_handover(letter: ResultLetter, *, actor, at: datetime.datetime) -> None:
    """A result letter (not yet competent) has no status of its own: the same people and time rules."""
    if not actor.has_role(Role.VERIFIER, Role.LSP_ADMIN):
        raise AssessmentError(_("Certificates are handed over by BKPSDM staff or an LSP administrator."))
    letter = ResultLetter.objects.select_related("participant__event").get(pk=letter.pk)
    if letter.outcome == Result.K:
        raise AssessmentError(_("A competent participant receives the certificate."))
    if letter.status == ResultLetter.Status.WITHDRAWN:
        raise AssessmentError(_("A withdrawn result letter is not handed over: hand over the new one."))
    if Handover.objects.filter(application_id=letter.application_id).exists():
        raise AssessmentError(_("This application's documents have already been handed over."))
    if at < letter.participant.event.starts_at or timezone.localtime(at).date() < letter.issued_on:
        raise AssessmentError(_("Nothing is handed over before the letter is issued on %(date)s.") % {
            "date": dates.day(letter.issued_on)})
