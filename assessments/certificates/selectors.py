"""Reads about certificates: which certificates and result letters a user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.certificates.models import Certificate, ResultLetter
from assessments.events.selectors import _active
from certportal.accounts.models import Role

STAFF_SEE_ALL = (Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY)  # every certificate
COUNT_FIGURES = "assessments.certificates.count"  # the staff list's kept count (certportal.figures)
# the result letters (not yet competent) waiting to be handed over, shown above the staff list: the same for every
# reader of it, kept a minute and forgotten when a letter or a handover is saved or deleted (wiring)
LETTER_FIGURES = "assessments.certificates.letters_waiting"


def certificates_visible_to(user) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("application", "participant__event")
    if not _active(user):
        return qs.none()
    if user.has_role(*STAFF_SEE_ALL):
        return qs
    return qs.held_by(user)



def letters_visible_to(user) -> QuerySet[ResultLetter]:
    qs = ResultLetter.objects.select_related("application", "participant__event")
    if not _active(user):
        return qs.none()
    if user.has_role(Role.LSP_ADMIN, Role.VERIFIER, Role.SUPERVISOR, Role.QUALITY):
        return qs
    return qs.filter(application__applicant=user)

