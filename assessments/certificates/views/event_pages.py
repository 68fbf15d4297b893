"""What the certificates show on the test event's pages (registered in :mod:`assessments.certificates.wiring`
through :mod:`assessments.events.views.panels`): the print jobs on the event page, the certificate and result
letters on the staff participant page and on the participant's own pages."""

from __future__ import annotations

from assessments.certificates.models import CERTIFICATE_STATES, STATE_COLOURS, Certificate, ResultLetter
from assessments.certificates.selectors import certificates_visible_to, letters_visible_to
from assessments.certificates.services import skip_reason, suspended_after_correction
from assessments.certificates.services.misuse import USE_RULES
from assessments.certificates.workflow import issue_refusal
from assessments.events.models import Participant, Result


def event_context(user, event) -> dict:
    """The event's last print jobs, each with who it skipped and why, in the reader's language."""
    jobs = list(event.print_jobs.all()[:5])
    for job in jobs:
        job.skipped_reasons = [f"{s['name']}: {skip_reason(s)}" for s in job.skipped]
    return {"print_jobs": jobs}


def participant_context(user, participant: Participant) -> dict:
    certificate = participant.certificates.exclude(status="withdrawn").first() or participant.certificates.first()
    letters = ResultLetter.objects.filter(participant=participant).order_by("-created_at", "-id")
    # the assessor and the Kepala TUK read the participant page but not the papers: they see which were issued,
    # as text, instead of links that would answer 403
    return {
        "certificate_opens": certificate is not None and certificates_visible_to(user).filter(
            pk=certificate.pk).exists(),
        "letters_open": letters_visible_to(user).filter(participant=participant).exists(),
        "certificate": certificate, "certificate_to_correct": _certificate_to_correct(participant, certificate),
        # the same rule as the service: the button is offered only when the certificate may be issued now
        "issue_refusal": issue_refusal(participant) if participant.decision == Result.K else None,
        "letter": ResultLetter.objects.filter(participant=participant, status=ResultLetter.Status.ISSUED).first(),
        "letters": letters,
    }


def _certificate_to_correct(participant: Participant, certificate) -> bool:
    """A certificate suspended because its results were corrected after it was issued: after the new decision
    the LSP admin reinstates or replaces it (still K) or withdraws it (no longer K) on the certificate's page."""
    if certificate is None:
        return False
    return suspended_after_correction(participant.certificates.filter(pk=certificate.pk)).exists()



def my_participation_context(user, participant: Participant) -> dict:
    return {
        "certificate": participant.certificates.first(),
        "letter": ResultLetter.objects.filter(participant=participant, status=ResultLetter.Status.ISSUED).first(),
        "withdrawn_letters": ResultLetter.objects.filter(participant=participant,
                                                         status=ResultLetter.Status.WITHDRAWN),
        "use_rules": USE_RULES,  # part of the certificate-holder obligations accepted on that page
    }


def mine_context(user, participations: list) -> dict:
    """The participant's certificates, each with its state (a corrected certificate leaves the old number
    withdrawn: the page says which one counts)."""
    # and the certificates issued on paper before the portal, imported from the LSP's register and linked by NIP
    imported = list(Certificate.objects.filter(holder=user, source=Certificate.Source.IMPORTED).order_by("-issued_on"))
    for c in [*(c for p in participations for c in p.certificates.all()), *imported]:
        c.state_value = c.state()
        c.state_label, c.state_colour = CERTIFICATE_STATES[c.state_value], STATE_COLOURS[c.state_value]
    return {"certificates": [c for p in participations for c in p.certificates.all()] + imported}
