"""The signers' work: cohorts still waiting for a letter the head of the agency, or the Sekretaris Daerah, signs."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from certportal.workqueue import WorkItem

from ..models import PLACE_HOLDING, LetterStatus, Proposal
from ..selectors import cohorts_visible_to
from .rules import kinds_signed_by


def to_sign(user) -> list[WorkItem]:
    kinds = kinds_signed_by(user)
    if not kinds:
        return []
    people = Proposal.objects.filter(cohort=OuterRef("pk"), status__in=PLACE_HOLDING)
    signed = Count("letters", filter=Q(letters__status=LetterStatus.SIGNED, letters__kind__in=kinds), distinct=True)
    waiting = cohorts_visible_to(user).filter(Exists(people)).annotate(n=signed).filter(n__lt=len(kinds)).count()
    return [WorkItem(_("Cohorts waiting for your signature"), waiting, reverse("agencies:home"), 0, "letters-to-sign")]
