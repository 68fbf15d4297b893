"""Reads of the management system's records: lists in a constant number of queries, the version in force."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Event, EventStatus
from certportal.accounts.models import STAFF_ROLES, Role

from .models import (
    ActionStatus,
    ControlledDocument,
    CorrectiveAction,
    DocumentVersion,
    SystemReview,
    VersionStatus,
)

READERS = (Role.LSP_ADMIN, Role.SUPERVISOR, Role.QUALITY)  # the auditor-facing pages (supervisor and quality read)
DUTY_OWNERS = (Role.LSP_ADMIN, Role.QUALITY, Role.TUK_HEAD)  # who owns a periodic duty (quality.system.duties)
DUTY_READERS = (*READERS, Role.TUK_HEAD)
STAFF = tuple(STAFF_ROLES)  # who may own a corrective action


def may_read(user) -> bool:
    return bool(user.is_authenticated and user.has_role(*READERS))


def may_see_action(user, action: CorrectiveAction) -> bool:
    return may_read(user) or (user.is_authenticated and user.pk == action.owner_id)


def reviews() -> QuerySet:
    return SystemReview.objects.select_related("recorded_by").annotate(
        finding_count=Count("findings", distinct=True),
        open_actions=Count("findings__action", filter=~Q(findings__action__status=ActionStatus.CLOSED),
                           distinct=True)).order_by("-held_on", "-pk")


def actions() -> QuerySet:
    return CorrectiveAction.objects.select_related("owner", "closed_by", "finding__review")


def actions_of(user) -> QuerySet:
    return actions().filter(owner=user)


def open_actions_of(user) -> QuerySet:
    return CorrectiveAction.objects.filter(owner=user).exclude(status=ActionStatus.CLOSED)


# How a person takes part in a test event's records (the lookup from the event, what the auditor is told).
TAKING_PART = [
    ("created_by", gettext_lazy("planned the event %(event)s")),
    ("event_assessors__assessor__user", gettext_lazy("assessed at the event %(event)s")),
    ("test_site__head", gettext_lazy("heads the test site of the event %(event)s")),
    ("reviews__signed_by", gettext_lazy("signed the review (SOP step 7) of the event %(event)s")),
    ("assessment_review__reviewer", gettext_lazy("reviewed the assessment (FR.AK.06) of the event %(event)s")),
    ("participants__decided_by", gettext_lazy("decided on participants of the event %(event)s")),
    ("plenos__members", gettext_lazy("sat in the pleno of the event %(event)s")),
]


def involvement(user, events) -> list[str]:
    """How ``user`` took part in the records of ``events`` (an internal auditor audits none of them: ISO/IEC 17024
    10.2.6), one line per act and event, in the reader's language; [] when they took no part."""
    ids = [e.pk for e in events]
    if user is None or not ids:
        return []
    lines = []
    for lookup, words in TAKING_PART:
        for event in Event.objects.filter(pk__in=ids, **{lookup: user}).select_related("scheme").distinct():
            lines.append(str(words) % {"event": event})
    return lines


def involvement_refusal(user, events) -> str | None:
    """Why ``user`` may not audit ``events`` (naming who and each act), or None."""
    if lines := involvement(user, events):
        return _("%(name)s took part in the records to be audited: %(acts)s. An internal auditor audits no work "
                 "they took part in (ISO/IEC 17024 10.2.6): choose another auditor.") % {
            "name": user.full_name or user.email, "acts": "; ".join(lines)}
    return None


def audited_events() -> QuerySet:
    """The events an internal audit may cover: those held (their records exist), the latest first."""
    return Event.objects.select_related("scheme").exclude(status=EventStatus.PLANNED).order_by("-starts_at")


def approved_on(on: datetime.date) -> QuerySet:
    """The approved versions that could be in force on ``on``: effective on or before it, the latest first."""
    return DocumentVersion.objects.filter(status=VersionStatus.APPROVED, effective_on__lte=on).order_by(
        "-effective_on", "-approved_at", "-pk")


def version_in_force(document: ControlledDocument, on: datetime.date) -> DocumentVersion | None:
    return approved_on(on).filter(document=document).select_related("approved_by").first()


def documents_in_force(on: datetime.date) -> QuerySet[ControlledDocument]:
    """The controlled documents by code, each with ``in_force_id`` (its version in force on ``on``) and
    ``version_count``: a query to page (the register is read 50 at a time); :func:`with_version_in_force` reads
    the versions of a page's documents."""
    return ControlledDocument.objects.annotate(
        in_force_id=Subquery(approved_on(on).filter(document=OuterRef("pk")).values("pk")[:1]),
        version_count=Count("versions")).order_by("code")


def with_version_in_force(documents) -> list[ControlledDocument]:
    """``documents`` (of :func:`documents_in_force`), each with ``in_force``: its version in force, or None (one
    query)."""
    docs = list(documents)
    found = DocumentVersion.objects.in_bulk([d.in_force_id for d in docs if d.in_force_id])
    for doc in docs:
        doc.in_force = found.get(doc.in_force_id)
    return docs


def versions_with_standing(document: ControlledDocument, today: datetime.date) -> list[DocumentVersion]:
    """The document's versions, newest first, each with ``standing``: in force, superseded, future or draft."""
    versions = list(document.versions.select_related("uploaded_by", "approved_by").order_by("-effective_on", "-pk"))
    current = version_in_force(document, today)
    for v in versions:
        if v.status != VersionStatus.APPROVED:
            v.standing = "draft"
        elif current is not None and v.pk == current.pk:
            v.standing = "in_force"
        else:
            v.standing = "future" if v.effective_on > today else "superseded"
    return versions
