"""Documents of a dossier issued in the portal by someone else (the agency's signed letters, issue 29): they join
the dossier as its files for their requirements, and the issuer may take them back. The applicants app does not know
the issuers: they provide :data:`applicants.hooks.PROVIDED_DOCUMENTS` to say which documents are theirs."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.audit.services import audit_record

from . import hooks
from .models import ApplicationDocument, DocumentFile, Status
from .workflow import EDITABLE, UNDER_REVIEW, ApplicationError, code


def not_provided(document: ApplicationDocument) -> None:
    """A document issued in the portal by someone else (the agency's signed letter) is theirs, not the applicant's."""
    provided = hooks.provided_documents(document.application).get(document.pk)
    if provided:
        raise ApplicationError(_("“%(doc)s” is not uploaded by you: %(provided)s") % {
            "doc": document.requirement.name, "provided": provided})


PROVIDABLE = EDITABLE | UNDER_REVIEW  # a document issued in the portal joins a dossier still open to change


def document_provide(document: ApplicationDocument, *, actor, name: str, content: bytes, note: str) -> DocumentFile:
    """A PDF issued in the portal by someone else (``actor``: the agency's signer) becomes the dossier's file for
    ``document`` (slot 1; a file the applicant uploaded there is kept as its earlier version). The caller registers
    it with :data:`hooks.PROVIDED_DOCUMENTS` so the applicant is no longer asked for it."""
    from django.core.files.base import ContentFile

    app = document.application
    if app.status not in PROVIDABLE:
        raise ApplicationError(_("Application #%(id)s is “%(status)s”: no document can be added to it now.")
                               % {"id": app.pk, "status": Status(app.status).label})
    with transaction.atomic():
        doc = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
        now = timezone.now()
        doc.files.filter(superseded_at__isnull=True).update(superseded_at=now)
        version = (doc.files.filter(slot=1).aggregate(m=Max("version"))["m"] or 0) + 1
        new = DocumentFile(document=doc, slot=1, version=version, original_name=name[:255], kind="pdf",
                           size=len(content), uploaded_by=actor)
        new.file.save(name, ContentFile(content), save=False)
        new.save()
        doc.review, doc.review_note, doc.reviewed_at, doc.reviewed_by = "pending", "", None, None
        doc.save(update_fields=["review", "review_note", "reviewed_at", "reviewed_by"])
        audit_record(actor=actor, obj=app, action=code("document_provided"), note=f"{doc.requirement.name}: {note}"[:2000])
    return new


def document_unprovide(file: DocumentFile, *, actor, reason: str) -> None:
    """The issuer takes back a document it provided (a withdrawn letter): the file is kept in the history, the
    document is marked returned with ``reason`` (a note of the dossier when it is returned)."""
    with transaction.atomic():
        doc = ApplicationDocument.objects.select_for_update().get(pk=file.document_id)
        DocumentFile.objects.filter(pk=file.pk, superseded_at__isnull=True).update(superseded_at=timezone.now())
        doc.review, doc.review_note, doc.reviewed_at, doc.reviewed_by = "returned", reason, timezone.now(), actor
        doc.save(update_fields=["review", "review_note", "reviewed_at", "reviewed_by"])
        audit_record(actor=actor, obj=doc.application, action=code("document_removed"),
                     note=f"{doc.requirement.name}: {reason}"[:2000])
