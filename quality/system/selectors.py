"""Reads of the management system's records: lists in a constant number of queries, the version in force."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

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


def approved_on(on: datetime.date) -> QuerySet:
    """The approved versions that could be in force on ``on``: effective on or before it, the latest first."""
    return DocumentVersion.objects.filter(status=VersionStatus.APPROVED, effective_on__lte=on).order_by(
        "-effective_on", "-approved_at", "-pk")


def version_in_force(document: ControlledDocument, on: datetime.date) -> DocumentVersion | None:
    return approved_on(on).filter(document=document).select_related("approved_by").first()


def documents_in_force(on: datetime.date) -> list[ControlledDocument]:
    """Every controlled document with ``in_force`` (its version in force on ``on``, or None): two queries."""
    docs = list(ControlledDocument.objects.annotate(
        in_force_id=Subquery(approved_on(on).filter(document=OuterRef("pk")).values("pk")[:1]),
        version_count=Count("versions")).order_by("code"))
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
