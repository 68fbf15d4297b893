"""The signers' work: cohorts whose letter the head of the agency, or the Sekretaris Daerah, may sign now.

Counted by the letter's machine itself (:func:`certportal.workflow.allowed_actions` on the unsaved pending letter,
as the cohort's page asks it for its button): a cohort whose head has not recommended yet is not waiting for the
Sekretaris Daerah, and a cohort of another agency is not waiting for its head."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from certportal.workflow import allowed_actions
from certportal.workqueue import WorkItem, reads

from ..models import PLACE_HOLDING, CohortLetter, LetterStatus, Proposal
from ..selectors import cohorts_visible_to
from .rules import NEEDS, kinds_signed_by


def _signed(kind: str) -> Exists:
    return Exists(CohortLetter.objects.filter(cohort=OuterRef("pk"), kind=kind, status=LetterStatus.SIGNED))


def _signable(kind: str) -> Q:
    """A cohort whose letter of ``kind`` is not signed yet and whose letter it follows (:data:`NEEDS`) is."""
    needed = NEEDS.get(kind)
    return ~Q(_signed(kind)) & (Q(_signed(needed)) if needed else Q())


def cohorts_to_sign(user) -> list:
    """The cohorts with a letter ``user`` may sign now (oldest first): the database keeps those still missing one
    of their letters whose turn it is, the machine decides on each (from what the query read with them: the people
    still holding a place, the letters signed; no query per cohort)."""
    kinds = kinds_signed_by(user)
    if not kinds:
        return []
    people = Proposal.objects.filter(cohort=OuterRef("pk"), status__in=PLACE_HOLDING)
    candidates = (cohorts_visible_to(user).filter(Exists(people)).filter(reduce(or_, map(_signable, kinds)))
                  .annotate(has_people=Value(True)).prefetch_related("letters").order_by("created_at", "pk"))
    return [cohort for cohort in candidates if any(_may_sign(cohort, kind, user) for kind in kinds)]


def _may_sign(cohort, kind: str, user) -> bool:
    if any(letter.kind == kind and letter.status == LetterStatus.SIGNED for letter in cohort.letters.all()):
        return False
    return allowed_actions(CohortLetter(cohort=cohort, kind=kind), user, only=("signed",))["signed"].allowed


@reads("accounts.User", "agencies.AgencyMembership", "agencies.Cohort", "agencies.CohortLetter",
       "agencies.FundedRound", "agencies.Proposal", "applicants.Agency", "schemes.Scheme")
def to_sign(user) -> list[WorkItem]:
    kinds = kinds_signed_by(user)
    if not kinds:
        return []
    waiting = cohorts_to_sign(user)
    url = waiting[0].get_absolute_url() if len(waiting) == 1 else reverse("agencies:home")
    return [WorkItem(_("Cohorts waiting for your signature"), len(waiting), url, 0, "letters-to-sign")]
