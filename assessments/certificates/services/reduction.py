"""Scope reduction (ISO/IEC 17024 9.6; Pedoman BNSP 05/2013 9.5): after surveillance, a holder's report or a
complaint, the LSP admin records a pleno-style decision (decree number, day, members, ground, reason) that reduces
a certificate to the units still held. In one transaction the original takes its ``reduced`` transition, a new
certificate with the units kept replaces it (new number and verification code, the original's expiry date, the
units removed named in its printed data) and the holder is told (portal and e-mail)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.certificates.models import Certificate
from assessments.certificates.scope_models import ScopeReduction
from assessments.certificates.services.issue import next_certificate_number
from assessments.certificates.services.verification import new_verification_code
from assessments.certificates.workflow import CERTIFICATE
from assessments.certificates.workflow_scope import REDUCTION
from assessments.errors import AssessmentError, AssessmentRefused
from assessments.events.services.pleno import member_problem
from certportal import dates
from certportal.audit.services import audit_record
from certportal.errors import ErrorCode
from certportal.workflow import allowed_actions, transition


def certificate_units(cert: Certificate) -> list[dict]:
    """The units the certificate lists, as printed (code and title)."""
    return [{"code": u.get("code", ""), "title": u.get("title", "")} for u in cert.snapshot.get("units") or []]


def _split_units(cert: Certificate, kept_codes) -> tuple[list[dict], list[dict]]:
    units = certificate_units(cert)
    kept_codes = set(kept_codes)
    unknown = kept_codes - {u["code"] for u in units}
    if unknown:
        raise AssessmentError(_("These units are not on the certificate: %(codes)s.") % {
            "codes": ", ".join(sorted(unknown))})
    kept = [u for u in units if u["code"] in kept_codes]
    removed = [u for u in units if u["code"] not in kept_codes]
    if not removed:
        raise AssessmentError(_("Choose at least one unit the holder no longer holds: keeping every unit is not "
                                "a reduction."))
    if not kept:
        raise AssessmentError(_("Removing every unit removes the whole scope: that is a withdrawal. Withdraw the "
                                "certificate instead."))
    return kept, removed


def _refuse_unless_reducible(cert: Certificate, actor) -> None:
    """The ``reduced`` transition's own check (the button's rule) before the decision is read: a certificate from
    the LSP's register has no test event whose members could decide, so it is refused there, with the reason."""
    checked = allowed_actions(cert, actor, only=("reduced",))["reduced"]
    if not checked.allowed:
        code = ErrorCode.RULE if checked.state_ok and checked.role_ok else (
            ErrorCode.WRONG_STATE if not checked.state_ok else ErrorCode.WRONG_PERSON)
        raise AssessmentRefused(checked.reason, code=code, action=checked.code)


def _check_decision(cert: Certificate, *, reason: str, decree_number: str, decided_on: datetime.date,
                    members: list) -> None:
    if not reason:
        raise AssessmentError(_("Give the reason: it is recorded with the certificate."))
    if not decree_number:
        raise AssessmentError(_("Give the decree number of the decision."))
    if ScopeReduction.objects.filter(decree_number=decree_number).exists():
        raise AssessmentError(_("Decree number %(number)s is already recorded.") % {"number": decree_number})
    if decided_on > timezone.localdate():
        raise AssessmentError(_("The decision cannot be dated in the future."))
    if decided_on < cert.issued_on:
        raise AssessmentError(_("The decision cannot be dated before the certificate was issued on %(date)s.")
                              % {"date": dates.day(cert.issued_on)})
    if not members:
        raise AssessmentError(_("Choose at least one member who took the decision."))
    problems = [p for p in (member_problem(u, cert.participant.event) for u in members) if p]
    if problems:
        raise AssessmentError(" ".join(problems))


def reduction_decide(cert: Certificate, *, actor, kept_codes, ground: str, reason: str, decree_number: str,
                     decided_on: datetime.date, members, ground_reference: str = "",
                     ip: str | None = None) -> ScopeReduction:
    """Reduce ``cert`` to the units ``kept_codes``; returns the decision (its ``replacement`` is the new
    certificate). Refused with a reason: no unit removed, every unit removed (a withdrawal), a certificate not in
    force or one from the LSP's register (the ``reduced`` transition's guard, checked first), a decision without
    reason, decree, members or with a wrong day."""
    _refuse_unless_reducible(cert, actor)
    reason, decree_number, members = (reason or "").strip(), (decree_number or "").strip(), list(members)
    if ground not in ScopeReduction.Ground.values:
        raise AssessmentError(_("Say what the reduction follows: surveillance, a report of the holder or a "
                                "complaint."))
    kept, removed = _split_units(cert, kept_codes)
    _check_decision(cert, reason=reason, decree_number=decree_number, decided_on=decided_on, members=members)
    on = timezone.localdate()
    with transaction.atomic():
        seq, new_number = _reserve_number(on)
        note = _("Scope reduced by decision %(decree)s: units removed %(units)s; replaced by certificate "
                 "%(number)s. %(reason)s") % {"decree": decree_number, "number": new_number, "reason": reason,
                                             "units": ", ".join(u["code"] for u in removed)}
        old = transition(cert, "reduced", user=actor, reason=note, ip=ip, status_reason=note, suspended_until=None,
                         suspended_by_correction=False)
        new = _issue_reduced(old, (seq, new_number), kept, removed, actor=actor, on=on)
        reduction = ScopeReduction.objects.create(
            certificate=old, replacement=new, ground=ground, ground_reference=(ground_reference or "").strip()[:120],
            units_removed=removed, units_kept=kept, reason=reason, decree_number=decree_number,
            decided_on=decided_on, decided_by=actor)
        reduction.members.set(members)
        audit_record(actor=actor, obj=reduction, action=REDUCTION.code("decided"), to_state=reduction.status,
                     ip_address=ip, note=f"{decree_number}: {old.number} → {new.number}; "
                     + ", ".join(u.full_name for u in members))
        audit_record(actor=actor, obj=new, action=CERTIFICATE.code("issued"), to_state=new.status, ip_address=ip,
                     note=f"{new.number} ← {old.number}: {decree_number}")
        _tell_holder(reduction)
    return reduction


def _reserve_number(on: datetime.date) -> tuple[int, str]:
    return next_certificate_number(on)


def _issue_reduced(old: Certificate, numbered: tuple[int, str], kept: list[dict], removed: list[dict], *, actor,
                   on: datetime.date) -> Certificate:
    """The certificate with the units kept: the original's printed data with only those units, naming the number
    it replaces and the units removed; valid until the original's expiry date."""
    kept_codes = {u["code"] for u in kept}
    snapshot = {**old.snapshot, "units": [u for u in old.snapshot.get("units") or [] if u.get("code") in kept_codes],
                "replaces": old.number, "reduced_units": removed,
                "first_issued_on": old.snapshot.get("first_issued_on") or old.issued_on.isoformat()}
    sequence, number = numbered
    return Certificate.objects.create(
        participant_id=old.participant_id, application_id=old.application_id, replaces=old, number=number,
        year=on.year, sequence=sequence, verification_code=new_verification_code(), issued_on=on,
        expires_on=old.expires_on, renews_id=None, holder_name=old.holder_name, holder_nip=old.holder_nip,
        holder_unit=old.holder_unit, scheme_code=old.scheme_code, scheme_name=old.scheme_name, issued_by=actor,
        snapshot=snapshot, bnsp_registration_number=None, blanko_number=None)


def _tell_holder(reduction: ScopeReduction) -> None:
    from certportal.notifications.services import notify

    new = reduction.replacement
    notify(new.application.applicant, template="assessments/email/certificate_reduced",
           url=reverse("assessments:certificate", kwargs={"pk": new.pk}),
           context={"old": reduction.certificate, "cert": new, "reduction": reduction,
                    "removed": reduction.removed_codes, "reason": reduction.reason})


def reduction_of(cert: Certificate) -> ScopeReduction | None:
    """The decision that reduced ``cert`` (on the original) or that issued it (on the replacement), or None."""
    return (ScopeReduction.objects.filter(certificate=cert).first()
            or ScopeReduction.objects.filter(replacement=cert).first())
