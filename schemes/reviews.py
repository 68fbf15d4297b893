"""The scheme's validation and reviews: recorded by the LSP admin, read by whoever manages schemes and by the
public (the scheme page says when the version in force was validated and when it is next reviewed)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import dates
from certportal.audit.services import audit_record
from certportal.errors import PortalError

from .models import Scheme, SchemeReview

MAX_INTERVAL_YEARS = 5  # a scheme rests on an SKKNI decree that is itself reviewed every five years


class SchemeReviewError(PortalError):
    """A validation or review that cannot be recorded, in the reader's language."""


def _text(value: str | None) -> str:
    return (value or "").strip()


def _check(scheme: Scheme, kind: str, held_on: datetime.date, outcome: str, next_review_on, today) -> None:
    if held_on > today:
        raise SchemeReviewError(_("A review is recorded once it has taken place: %(date)s is still to come.")
                                % {"date": dates.day(held_on)})
    if kind == SchemeReview.Kind.VALIDATION:
        done = scheme.reviews.filter(kind=SchemeReview.Kind.VALIDATION).first()
        if done is not None:
            raise SchemeReviewError(_("Version %(version)s of this scheme was already validated on %(date)s: record a "
                                      "periodic review instead.") % {"version": scheme.version,
                                                                     "date": dates.day(done.held_on)})
    if outcome == SchemeReview.Outcome.FIT and next_review_on is None:
        raise SchemeReviewError(_("A scheme found fit for use needs the date of its next review."))
    if next_review_on is not None:
        if next_review_on <= held_on:
            raise SchemeReviewError(_("The next review must come after this one."))
        if next_review_on > held_on + datetime.timedelta(days=365 * MAX_INTERVAL_YEARS + 2):
            raise SchemeReviewError(_("The next review is at most %(years)s years after this one.")
                                    % {"years": MAX_INTERVAL_YEARS})


def review_record(*, actor, scheme: Scheme, kind: str, held_on: datetime.date, reviewers: str, findings: str,
                  outcome: str, next_review_on: datetime.date | None = None,
                  now: datetime.datetime | None = None) -> SchemeReview:
    """Record the validation (``scheme_validated``, once per version) or a periodic review (``scheme_reviewed``)."""
    reviewers, findings = _text(reviewers), _text(findings)
    if not reviewers or not findings:
        raise SchemeReviewError(_("Name who reviewed the scheme and write what they found."))
    _check(scheme, kind, held_on, outcome, next_review_on, timezone.localdate(now or timezone.now()))
    try:
        with transaction.atomic():
            review = SchemeReview.objects.create(scheme=scheme, kind=kind, held_on=held_on, reviewers=reviewers,
                                                 findings=findings, outcome=outcome, next_review_on=next_review_on,
                                                 recorded_by=actor)
            audit_record(actor=actor, obj=scheme, to_state=f"v{scheme.version}",
                         action="scheme_validated" if kind == SchemeReview.Kind.VALIDATION else "scheme_reviewed",
                         note=f"{dates.day(held_on)}: {review.get_outcome_display()}")
    except IntegrityError as exc:  # the same validation sent from a second tab at the same moment
        raise SchemeReviewError(_("This version of the scheme was already validated.")) from exc
    return review


def latest(scheme: Scheme) -> SchemeReview | None:
    return scheme.reviews.first()


def reviews_due(today: datetime.date | None = None) -> QuerySet[Scheme]:
    """Current published schemes never validated nor reviewed, found to be revised at their last review, or whose
    next review date has passed."""
    today = today or timezone.localdate()
    last = SchemeReview.objects.filter(scheme=OuterRef("pk")).order_by("-held_on", "-pk")
    schemes = Scheme.objects.filter(is_current=True, is_published=True).annotate(
        last_held=Subquery(last.values("held_on")[:1]), next_due=Subquery(last.values("next_review_on")[:1]),
        last_outcome=Subquery(last.values("outcome")[:1]))
    return (schemes.filter(last_held__isnull=True) | schemes.filter(next_due__lt=today)
            | schemes.filter(last_outcome=SchemeReview.Outcome.REVISE)).order_by("code")
