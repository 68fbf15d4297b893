"""The letter's machine, declared for the workflow core (registered in ``AgenciesConfig.ready``).

pending → signed (the head of the agency, or the Sekretaris Daerah for their recommendation: the typed name must be
their own) → withdrawn (the same office, with a reason; the dossiers are returned). A pending letter exists only
inside the signing transaction, so the page asks :func:`allowed_actions` about an unsaved one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Status as ApplicationStatus
from assessments.instruments.services.signature import typed_name_matches
from certportal.accounts.models import Role
from certportal.sentences import one_full_stop
from certportal.workflow import Machine, Transition

from ..models import PLACE_HOLDING, CohortLetter, LetterStatus, ProposalStatus
from ..selectors import agency_of
from ..workflow import AgencyRefused
from .rules import NEEDS, SIGNER

L = LetterStatus
SIGNERS = (Role.AGENCY_HEAD, Role.REGIONAL_SECRETARY)
# A dossier still open to change or under review: a letter may join it, or be taken out of it (it is returned).
OPEN_DOSSIER = {ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED,
                ApplicationStatus.RESUBMITTED, ApplicationStatus.COMPLETE}


def _signer_of_kind(user, letter: CohortLetter) -> bool:
    return user.has_role(SIGNER[letter.kind])


def _own_agency(letter: CohortLetter, user, at) -> str | None:
    """The head of an agency signs for their own agency's staff only (the Sekretaris Daerah serves every agency)."""
    if SIGNER[letter.kind] != Role.AGENCY_HEAD:
        return None
    agency = agency_of(user)
    if agency is None or agency.pk != letter.cohort.agency_id:
        return _("You speak for %(own)s; these are staff of %(agency)s: a letter cannot be issued for someone "
                 "outside your agency.") % {"own": agency or _("no agency"), "agency": letter.cohort.agency}
    return None


def _has_people(cohort) -> bool:
    """Someone of the cohort still holds a place (``has_people``: a list of cohorts that asked already)."""
    known = getattr(cohort, "has_people", None)
    return known if known is not None else cohort.proposals.filter(status__in=PLACE_HOLDING).exists()


def _signed(cohort, kind: str) -> bool:
    """The cohort's letter of ``kind`` is signed (from its letters when a list read them with it)."""
    if "letters" in getattr(cohort, "_prefetched_objects_cache", {}):
        return any(letter.kind == kind and letter.status == L.SIGNED for letter in cohort.letters.all())
    return cohort.letters.filter(kind=kind, status=L.SIGNED).exists()


def _may_sign(letter: CohortLetter, user, at) -> str | None:
    reason = _own_agency(letter, user, at)
    if reason:
        return reason
    if not _has_people(letter.cohort):
        return _("Everyone in this cohort is withdrawn: there is nobody to sign for.")
    needed = NEEDS.get(letter.kind)
    if needed and not _signed(letter.cohort, needed):
        return _("The head of %(agency)s recommends first: “%(letter)s” is not signed yet.") % {
            "agency": letter.cohort.agency, "letter": CohortLetter(kind=needed).get_kind_display()}
    return None


def _typed_name(letter: CohortLetter, changes: dict, at) -> str | None:
    signer = changes.get("signed_by")
    if not typed_name_matches(changes.get("signed_name", ""), getattr(signer, "full_name", "")):
        return _("Type your own name, %(name)s, to sign.") % {"name": getattr(signer, "full_name", "")}
    if not (changes.get("number") or "").strip():
        return _("Give the letter its number.")
    return None


def _dossiers_still_open(letter: CohortLetter, user, at) -> str | None:
    reason = _own_agency(letter, user, at)
    if reason:
        return reason
    past = [p.name for p in letter.cohort.proposals.select_related("application")
            if p.application is not None and p.status != ProposalStatus.WITHDRAWN
            and p.application.status not in OPEN_DOSSIER]
    if past:
        return one_full_stop(_("Already verified or further on, so the letter can no longer be withdrawn: %(names)s.") % {
            "names": ", ".join(past[:10])})
    return None


TRANSITIONS = [
    Transition("signed", {L.PENDING}, L.SIGNED, gettext_lazy("signed for the cohort"),
               gettext_lazy("Sign for the whole cohort"), SIGNERS, allowed=_signer_of_kind, guard=_may_sign,
               validate=_typed_name, stamp="signed_at"),
    Transition("withdrawn", {L.SIGNED}, L.WITHDRAWN, gettext_lazy("letter withdrawn: the dossiers are returned"),
               gettext_lazy("Withdraw the letter"), SIGNERS, allowed=_signer_of_kind, guard=_dossiers_still_open,
               needs_reason=True, reason_prompt=gettext_lazy("Say why the letter is withdrawn: each person is told."),
               stamp="withdrawn_at", url_name="agencies:letter-withdraw"),
]

LETTER_MACHINE = Machine(model=CohortLetter, states=LetterStatus, transitions=TRANSITIONS, refused=AgencyRefused,
                         labels={"attached": gettext_lazy("letter attached to the dossier")})
