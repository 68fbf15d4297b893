"""The signers' work: cohorts whose letter the head of the agency, or the Sekretaris Daerah, may sign now.

Counted by the letter's machine itself (:func:`certportal.workflow.allowed_actions` on the unsaved pending letter,
as the cohort's page asks it for its button): a cohort whose head has not recommended yet is not waiting for the
Sekretaris Daerah, and a cohort of another agency is not waiting for its head."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from certportal.workflow import allowed_actions
from certportal.workqueue import WorkItem

from ..models import PLACE_HOLDING, CohortLetter, LetterStatus, Proposal
from ..selectors import cohorts_visible_to
from .rules import kinds_signed_by


def cohorts_to_sign(user) -> list:
    """The cohorts with a letter ``user`` may sign now (oldest first): the database keeps those still missing one
    of their letters, the machine decides on each."""
    kinds = kinds_signed_by(user)
    if not kinds:
        return []
    people = Proposal.objects.filter(cohort=OuterRef("pk"), status__in=PLACE_HOLDING)
    signed = Count("letters", filter=Q(letters__status=LetterStatus.SIGNED, letters__kind__in=kinds), distinct=True)
    candidates = (cohorts_visible_to(user).filter(Exists(people)).annotate(n=signed).filter(n__lt=len(kinds))
                  .prefetch_related("letters").order_by("created_at", "pk"))
    return [cohort for cohort in candidates if any(_may_sign(cohort, kind, user) for kind in kinds)]


def _may_sign(cohort, kind: str, user) -> bool:
    if any(letter.kind == kind and letter.status == LetterStatus.SIGNED for letter in cohort.letters.all()):
        return False
    return allowed_actions(CohortLetter(cohort=cohort, kind=kind), user, only=("signed",))["signed"].allowed


def to_sign(user) -> list[WorkItem]:
    kinds = kinds_signed_by(user)
    if not kinds:
        return []
    waiting = cohorts_to_sign(user)
    url = waiting[0].get_absolute_url() if len(waiting) == 1 else reverse("agencies:home")
    return [WorkItem(_("Cohorts waiting for your signature"), len(waiting), url, 0, "letters-to-sign")]
