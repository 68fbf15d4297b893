"""State machines of the assessments app: certificates (with their handover) and print jobs.

Certificate: issued ⇄ suspended → withdrawn (a correction withdraws the old one as ``replaced``). A certificate
stands on a competent (K) decision: a result corrected after the decision suspends it (until its expiry date, i.e.
until lifted), it is not reinstated while the new decision is pending or BK, and after a new K decision it is
reinstated or replaced directly by the correcting certificate (:func:`decision_refusal`). "Expired" is not
a stored state: it is derived from the date (:meth:`Certificate.state`), and the guards read it. Issuing creates
the row, so it is not a transition; its rules are :func:`issue_refusal` and its audit code
``assessments.certificate.issued``. Handing a certificate over keeps its status and is the transition
``handed_over``: refused for a suspended, withdrawn or expired certificate, before the test and before the decision.

PrintJob: queued → running → done | failed, failed → queued (the LSP admin retries). The worker's and the
periodic check's moves are ``system`` transitions (no person takes them, no person is offered them).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.certificates.models import (
    Certificate,
    Handover,
    HolderReport,
    PrintJob,
    ResultLetter,
    SurveillanceReport,
)
from assessments.errors import AssessmentRefused
from assessments.events.models import Participant, ParticipantStatus, Result
from certportal import dates
from certportal.accounts.models import Role
from certportal.jobs.machine import job_machine
from certportal.lsp.licence import licence_refusal
from certportal.workflow import Machine, Transition, register_labels

ADMIN, HANDING = (Role.LSP_ADMIN,), (Role.VERIFIER, Role.LSP_ADMIN)
C, P = Certificate.Status, PrintJob.Status


def _day(value: datetime.date | datetime.datetime) -> str:
    return dates.day(value)


def _local_day(at: datetime.datetime) -> datetime.date:
    return timezone.localtime(at).date()


# --- issuing (a creation, not a transition: the same rules for the service, the preview and the buttons) ----

def issue_refusal(participant: Participant, *, on: datetime.date | None = None,
                  at: datetime.datetime | None = None) -> str | None:
    """Why ``participant`` cannot get a certificate dated ``on`` now (``at``), or None.

    A certificate is dated on the day of the decision or later, never before the test: nothing is certified
    before the event has started and the LSP has decided competent (K)."""
    at = at or timezone.now()
    on = on or _local_day(at)
    if participant.decision != Result.K:
        return _("A certificate is issued only to a participant decided competent (K).")
    starts = participant.event.starts_at
    if at < starts or on < _local_day(starts):
        return _("No certificate before the test on %(date)s.") % {"date": _day(starts)}
    if participant.decided_at and on < _local_day(participant.decided_at):
        return _("A certificate is dated on or after the decision of %(date)s.") % {
            "date": _day(participant.decided_at)}
    if on > _local_day(at):
        return _("A certificate is not dated in the future.")
    if participant.obligations_accepted_at is None:
        return _("%(name)s has not accepted the certificate-holder obligations yet.") % {"name": participant.name}
    return licence_refusal(participant.event.scheme.code, on)


def letter_refusal(participant: Participant, *, on: datetime.date, at: datetime.datetime) -> str | None:
    """The result letter follows the decision: dated on its day or later, never before the test."""
    if not participant.decision:
        return _("The result letter is issued after the certification decision.")
    starts = participant.event.starts_at
    if at < starts or on < _local_day(starts):
        return _("No result letter before the test on %(date)s.") % {"date": _day(starts)}
    if participant.decided_at and on < _local_day(participant.decided_at):
        return _("A result letter is dated on or after the decision of %(date)s.") % {
            "date": _day(participant.decided_at)}
    return None


# --- the certificate --------------------------------------------------------------------------------------

def not_printable(cert: Certificate, today: datetime.date) -> str | None:
    """Why ``cert`` is neither printed in a batch nor handed over on ``today`` (suspended, withdrawn, expired)."""
    state = cert.state(today)
    if state == "withdrawn":
        return _("the certificate is withdrawn")
    if state == "reduced":
        return _("the certificate's scope was reduced: the certificate that replaces it is used instead")
    if state == "suspended":
        if cert.suspended_until and not cert.suspended_until_lifted:
            return _("the certificate is suspended until %(date)s") % {"date": _day(cert.suspended_until)}
        return _("the certificate is suspended")
    if state == "expired":
        return _("the certificate expired on %(date)s") % {"date": _day(cert.expires_on)}
    return None


def _not_before_issue(cert: Certificate, user, at) -> str | None:
    if _local_day(at) < cert.issued_on:
        return _("Nothing can be recorded before %(date)s, when the certificate was issued.") % {
            "date": _day(cert.issued_on)}
    return None


def decision_refusal(participant: Participant) -> str | None:
    """Why ``participant``'s certificate may not stand (valid) now: no competent (K) decision stands — the new
    decision is pending after a result correction, or it is not yet competent (BK). None when K stands."""
    if not participant.decision or participant.status == ParticipantStatus.AWAITING_DECISION:
        return _("A result was corrected and the new certification decision is pending: decide first; the "
                 "certificate stays suspended until a new competent (K) decision.")
    if participant.decision != Result.K:
        return _("The participant is now decided not yet competent (BK): the certificate cannot be valid again; "
                 "withdraw it.")
    return None


def _suspend_values(cert: Certificate, changes: dict, at) -> str | None:
    until = changes.get("suspended_until")
    if until is None or until < _local_day(at):
        return _("Say until when the certificate is suspended (a date from today on).")
    if until < cert.expires_on and cert.participant_id and decision_refusal(cert.participant):
        # without a K decision no suspension may run out by itself: it stands until lifted (or the expiry)
        return _("Without a competent (K) decision the suspension lasts until the certificate's expiry date "
                 "(%(date)s): it is lifted after a new K decision.") % {"date": _day(cert.expires_on)}
    return None


def _reinstatable(cert: Certificate, user, at) -> str | None:
    return decision_refusal(cert.participant) if cert.participant_id else None


def suspended_before_new_decision(cert: Certificate) -> bool:
    """A certificate suspended by a result correction whose participant is decided competent (K) again: the LSP
    admin may issue the correcting certificate directly. (A correction clears the decision and suspends, so a K
    decision standing on such a certificate is always the new one.)"""
    return (cert.status == C.SUSPENDED and cert.suspended_by_correction and bool(cert.participant_id)
            and not decision_refusal(cert.participant))


def _from_the_register(cert: Certificate) -> str | None:
    """A certificate imported from the LSP's register has no dossier in the portal: its paper original is the
    record, and what would reissue it (a correction, a reduced scope, a handover) is done on paper."""
    if cert.participant_id:
        return None
    return _("This certificate comes from the LSP's register (issued on paper before the portal): the paper "
             "original is the record, so it is corrected, reduced or handed over on paper.")


def _replaceable(cert: Certificate, user, at) -> str | None:
    if not cert.participant_id:
        return _from_the_register(cert)
    state = cert.state(_local_day(at))
    if state == "suspended" and suspended_before_new_decision(cert):
        return None
    if state != "valid":
        return _("Only a valid certificate is corrected: %(why)s.") % {"why": not_printable(cert, _local_day(at))}
    return decision_refusal(cert.participant)


def _reducible(cert: Certificate, user, at) -> str | None:
    """A scope is reduced on a certificate still in force (valid, or suspended pending the decision) that lists
    more than one unit: reducing away every unit is a withdrawal."""
    if not cert.participant_id:
        return _from_the_register(cert)
    state = cert.state(_local_day(at))
    if state not in ("valid", "suspended"):
        return _("Only a certificate in force is reduced: %(why)s.") % {"why": not_printable(cert, _local_day(at))}
    if len(cert.snapshot.get("units") or []) < 2:
        return _("This certificate lists a single unit: removing it removes the whole scope, which is a "
                 "withdrawal.")
    return None


def _bnsp_values(cert: Certificate, changes: dict, at) -> str | None:
    from assessments.certificates.services.bnsp import numbers_problem

    return numbers_problem(cert, changes.get("bnsp_registration_number"), changes.get("blanko_number"))


def hands_over(user) -> bool:
    """Seed 001 item 2.8: the BKPSDM officer (verifier) hands the certificate over; the LSP admin only where the
    setting ASSESSMENT_LSP_ADMIN_HANDS_OVER is on."""
    return user.has_role(Role.VERIFIER) or (settings.ASSESSMENT_LSP_ADMIN_HANDS_OVER and user.has_role(Role.LSP_ADMIN))


def _handable(cert: Certificate, user, at) -> str | None:
    if not hands_over(user):
        return _("The certificate is handed over by the BKPSDM officer (the service standard, item 2.8); this "
                 "portal does not let the LSP admin hand it over.")
    why = not_printable(cert, _local_day(at))
    if why:
        return _("This certificate is not handed over: %(why)s.") % {"why": why}
    if not cert.participant_id:
        return _from_the_register(cert)
    participant = cert.participant
    if at < participant.event.starts_at:
        return _("Nothing is handed over before the test on %(date)s.") % {"date": dates.wib(participant.event.starts_at)}
    if participant.decided_at and at < participant.decided_at:
        return _("Nothing is handed over before the decision of %(date)s.") % {"date": _day(participant.decided_at)}
    if cert.handovers.exists():
        return _("This certificate has already been handed over.")
    earlier = Handover.objects.filter(application_id=cert.application_id)
    # A correcting certificate issued after the original was handed over is handed over too.
    if earlier.exists() and cert.replaces_id is None:
        return _("This application's documents have already been handed over.")
    return None


def _credential_status(cert: Certificate, moved) -> None:
    """Every status change of a certificate sets its bits in the credential status lists (same transaction)."""
    from assessments.certificates.credentials.status import record

    if moved.from_state != moved.to_state:
        record(cert)


CERTIFICATE = Machine(
    model=Certificate, states=C, guard=_not_before_issue, refused=AssessmentRefused, notices=(_credential_status,),
    labels={"issued": gettext_lazy("certificate issued")},
    transitions=[
        Transition("suspended", {C.ISSUED, C.SUSPENDED}, C.SUSPENDED, gettext_lazy("certificate suspended"),
                   gettext_lazy("Suspend"), ADMIN, validate=_suspend_values, needs_reason=True,
                   reason_prompt=gettext_lazy("Give the reason: it is recorded with the certificate."),
                   url_name="assessments:certificate-status"),
        Transition("reinstated", {C.SUSPENDED}, C.ISSUED, gettext_lazy("suspension lifted"),
                   gettext_lazy("Lift the suspension"), ADMIN, guard=_reinstatable, needs_reason=True,
                   reason_prompt=gettext_lazy("Give the reason: it is recorded with the certificate."),
                   url_name="assessments:certificate-status"),
        Transition("withdrawn", {C.ISSUED, C.SUSPENDED}, C.WITHDRAWN, gettext_lazy("certificate withdrawn"),
                   pgettext_lazy("certificate", "Withdraw"), ADMIN, needs_reason=True,
                   reason_prompt=gettext_lazy("Give the reason: it is recorded with the certificate."),
                   url_name="assessments:certificate-status"),
        # a suspended one only after a new K decision since its suspension (a result correction's): see _replaceable
        Transition("replaced", {C.ISSUED, C.SUSPENDED}, C.WITHDRAWN, gettext_lazy("withdrawn, replaced by a correcting certificate"),
                   gettext_lazy("Issue the correcting certificate"), ADMIN, guard=_replaceable, needs_reason=True,
                   url_name="assessments:certificate-replace"),
        # scope reduced to the units still held (assessments.certificates.services.reduction): replaced
        Transition("reduced", {C.ISSUED, C.SUSPENDED}, C.REDUCED, gettext_lazy("scope reduced, replaced by a certificate with the units still held"),
                   gettext_lazy("Reduce the scope"), ADMIN, guard=_reducible, needs_reason=True,
                   reason_prompt=gettext_lazy("Give the reason: it is recorded with the certificate."),
                   url_name="assessments:certificate-reduce"),
        Transition("handed_over", set(C.values), None, gettext_lazy("certificate handed over"),
                   gettext_lazy("Record handover"), HANDING, guard=_handable,
                   url_name="assessments:certificate-handover"),
        # BNSP's registration and blanko numbers (assessments.certificates.services.bnsp); the status is kept.
        Transition("bnsp_registered", {C.ISSUED, C.SUSPENDED}, None, gettext_lazy("BNSP numbers recorded"),
                   gettext_lazy("Record the BNSP numbers"), ADMIN, validate=_bnsp_values),
    ],
)


# --- the print job ----------------------------------------------------------------------------------------

PRINT_JOB = job_machine(
    PrintJob, refused=AssessmentRefused, other_labels={"created": gettext_lazy("print job created")},
    labels={"started": gettext_lazy("print job started"), "finished": gettext_lazy("print job finished"),
            "failed": gettext_lazy("print job failed"), "retried": gettext_lazy("print job started again")},
    retry_roles=ADMIN, retry_url="assessments:print-retry", retry_button=gettext_lazy("Try this print job again"),
)


# Actions on rows without a machine of their own (a result letter has no status; a handover is also recorded on
# the application, for its history): namespaced codes with their labels, like the machines' ones.
LETTER_ISSUED = "assessments.resultletter.issued"
HANDED_OVER = "assessments.handover.recorded"


def machines() -> list:
    register_labels({"assessments.certificates.apitoken.issued": gettext_lazy("API token issued"),
                     "assessments.certificates.apitoken.revoked": gettext_lazy("API token revoked"),
                     "assessments.certificates.apitoken.lookup": gettext_lazy("certificates looked up through the API"),
                     "assessments.certificates.apitoken.renewed": gettext_lazy("API token renewed"),
                     "assessments.certificates.apitoken.locked": gettext_lazy("API token locked after too many misses"),
                     "assessments.certificate.recertification_started": gettext_lazy("re-certification applied for"),
                     LETTER_ISSUED: gettext_lazy("result letter issued"),
                     "assessments.certificate.imported": gettext_lazy("certificate imported from the LSP's register"),
                     "assessments.certificate.holder_linked": gettext_lazy("holder's account linked by NIP"),
                     HANDED_OVER: gettext_lazy("documents handed over")})
    return [CERTIFICATE, LETTER, PRINT_JOB, HOLDER_REPORT, SURVEILLANCE]


# --- the holder's report of a change affecting their competence ------------------------------------------

R = HolderReport.Status

HOLDER_REPORT = Machine(
    model=HolderReport, states=R, refused=AssessmentRefused,
    labels={"submitted": gettext_lazy("holder report submitted")},
    transitions=[
        Transition("reviewed", {R.SUBMITTED}, R.REVIEWED, gettext_lazy("holder report reviewed"),
                   gettext_lazy("Record the review"), ADMIN, needs_reason=True, stamp="reviewed_at",
                   reason_prompt=gettext_lazy("Write what the review found and decided."),
                   url_name="assessments:holder-report-review"),
    ],
)


S = SurveillanceReport.Status

SURVEILLANCE = Machine(
    model=SurveillanceReport, states=S, refused=AssessmentRefused,
    labels={"submitted": gettext_lazy("surveillance evidence submitted")},
    transitions=[
        Transition("reviewed", {S.SUBMITTED}, S.REVIEWED, gettext_lazy("surveillance evidence reviewed"),
                   gettext_lazy("Record the review"), ADMIN, needs_reason=True, stamp="reviewed_at",
                   reason_prompt=gettext_lazy("Write what the review found and decided."),
                   url_name="assessments:surveillance-review"),
    ],
)


# --- the result letter (withdrawn when a result is corrected after the decision) -------------------------

RL = ResultLetter.Status
LETTER = Machine(
    model=ResultLetter,
    states=ResultLetter.Status,
    refused=AssessmentRefused,
    labels={"issued": gettext_lazy("result letter issued")},
    transitions=[
        Transition(
            "withdrawn",
            {RL.ISSUED},
            RL.WITHDRAWN,
            gettext_lazy("result letter withdrawn"),
            gettext_lazy("Withdraw the letter"),
            ADMIN,
            needs_reason=True,
            reason_prompt=gettext_lazy("Give the reason for the withdrawal."),
            stamp="withdrawn_at",
        ),
    ],
)
