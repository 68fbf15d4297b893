"""What the application's transitions cause, declared on them in :mod:`applicants.workflow` (the one table).

The workflow core runs them inside the same ``transition()`` call and database transaction: the effects before the
row is saved once (the stamps and the service clock), the notices after it (the applicant's e-mail in their
language and the verifiers' notice, written to the outbox that sends after the commit; the queue counts are
forgotten on commit). No signal receiver carries any of it.

The service clock ("certification": 14 target / 30 limit working days, seed 001 item 3) starts when the dossier
is first declared complete and correct; it is PAUSED while a dossier returned after that (step 3 found a
problem) is with the applicant, resumes when it is resubmitted, stops when the certificate (or the result
letter) is handed over, and is cancelled when the application is rejected or withdrawn. A dossier returned
before it was complete has no clock yet: nothing to pause. ``app.deadline`` keeps a copy of the open clock's
target date so the verifier's queue can sort 100,000 rows by deadline through an index (the clock stays the
authority for every figure shown).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from certportal import dates
from certportal.notifications.services import notify
from certportal.sla import calendar as cal
from certportal.sla import services as sla
from certportal.workflow import Moved

from .models import Application, ApplicationDocument, Status
from .selectors import applications_visible_to

CLOCK = "certification"


# --- the service clock (effects: before the save) -----------------------------------------------------------

def start_clock(app: Application, moved: Moved) -> None:
    """Declared complete and correct: the clock starts (a dossier declared complete again keeps its clock)."""
    app.deadline = sla.start_clock(app, CLOCK, at=moved.at).target_due


def pause_clock(app: Application, moved: Moved) -> None:
    """Returned: the clock pauses (nothing to pause before the dossier was complete)."""
    sla.pause_clock(app, CLOCK, at=moved.at)


def resume_clock(app: Application, moved: Moved) -> None:
    clock = sla.resume_clock(app, CLOCK, at=moved.at)
    if clock is not None and clock.outcome == clock.Outcome.OPEN:
        app.deadline = clock.target_due


def stop_clock(app: Application, moved: Moved) -> None:
    """Handed over: the service is delivered."""
    sla.stop_clock(app, CLOCK, at=moved.at)
    app.deadline = None


def cancel_clock(app: Application, moved: Moved) -> None:
    """Rejected or withdrawn: no service to deliver."""
    sla.cancel_clock(app, CLOCK)
    app.deadline = None


# --- who is told (notices: after the save) ------------------------------------------------------------------

def tell_applicant(app: Application, moved: Moved) -> None:
    """Every transition: the applicant's e-mail (in their language) and in-portal notice, with the reason."""
    returned = [(d.requirement.name, d.review_note) for d in app.documents.filter(
        review=ApplicationDocument.Review.RETURNED).select_related("requirement")] if app.status == Status.RETURNED else []
    notify(
        app.applicant,
        template="applicants/email/status",
        context={"application": app, "scheme": app.scheme, "reason": moved.reason, "returned_documents": returned,
                 "status_value": app.status, "from_value": moved.from_state},
        url=reverse("applicants:detail", kwargs={"pk": app.pk}),
        key=f"application-{app.pk}-{app.status}-{app.status_changed_at.isoformat()}",
    )


def verifiers():
    from certportal.accounts.models import Role, User

    return User.objects.filter(is_active=True, role_links__role=Role.VERIFIER).distinct()


def completeness_due(app: Application) -> datetime.date:
    """The date the portal promises the completeness check by (``APPLICANTS_COMPLETENESS_DAYS`` working days)."""
    return cal.add_working_days(timezone.localdate(app.submitted_at or timezone.now()),
                                settings.APPLICANTS_COMPLETENESS_DAYS)


def tell_verifiers(app: Application, moved: Moved) -> None:
    """(Re)submitted: a short notice in the portal for every verifier who may see the dossier; e-mail comes once a
    day as a digest (:func:`applicants.services.verifier_digest`), so a busy day is one e-mail, not fifty."""
    for verifier in verifiers():
        if verifier.pk == app.applicant_id or not applications_visible_to(verifier).filter(pk=app.pk).exists():
            continue
        with translation.override(verifier.preferred_language or None):
            due = dates.day(completeness_due(app))
        notify(verifier, template="applicants/email/new_dossier", email=False,
               context={"application": app, "scheme": app.scheme, "resubmitted": moved.name == "resubmitted",
                        "due": due},
               url=reverse("applicants:verify", kwargs={"pk": app.pk}),
               key=f"verifier-{app.pk}-{app.status}-{app.submitted_at.isoformat() if app.submitted_at else ''}")
