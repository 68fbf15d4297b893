"""Signed papers made once per version: a certificate, a result letter or a decision letter is rendered and signed
on its first download, kept in the private storage (:class:`~.models.StoredPaper`), and served from there on every
later download while what it prints stays the same.

"What it prints" is given by the caller as text: a letter's HTML as rendered for the PDF (every name, number, date,
unit and status line), a certificate's row, frozen data and template sources (read, not drawn: a later download
renders nothing); with it go the stylesheets laid over it, :data:`PAPER_FORMAT`, and who signs it (the backend and
its key or account). Any change in one of them (a correction, a suspension the paper states, a BNSP number recorded, another
template, a new signing key) is another fingerprint: the paper is made and signed again, and the older copy of the
same record is deleted. A paper whose signing failed is served unsigned and not kept, so the next download tries to
sign it again. Two first downloads at the same moment may both render; one copy is kept (a unique constraint), and
both readers get that one.

Papers are private files: served only by the views that checked the reader first, never cached by a browser or a
proxy (:func:`certportal.pdf.pdf_response`), and saved with every other private file by the backup.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from .models import SignedDocument, StoredPaper
from .offices import LSP_HEAD, office_signer
from .services import document_sign

log = logging.getLogger(__name__)

# Raise when the code that draws a paper changes in a way its HTML and stylesheets do not show (say, the way the
# scheme's layer is laid under the holder's page): every kept paper is then made again on its next download.
PAPER_FORMAT = 1


def signer_identity(office: str = LSP_HEAD) -> str:
    """Who signs ``office``'s papers, as a string that changes when the signer does (never a secret in it)."""
    signer = office_signer(office)
    parts = [signer.name, getattr(signer, "signer_name", "")]
    path = getattr(signer, "path", None)
    if path is not None:
        try:
            stat = Path(path).stat()
            parts += [str(path), str(stat.st_size), str(stat.st_mtime_ns)]
        except OSError:
            parts += [str(path), "missing"]
    parts += [getattr(signer, "url", ""), getattr(signer, "nik", "")]
    return "|".join(parts)


@functools.lru_cache(maxsize=16)
def stylesheet_source(template: str) -> str:
    """A PDF stylesheet's text (a template without context), read once per process."""
    from django.template.loader import render_to_string

    return render_to_string(template)


def fingerprint(prints: str, *, stylesheets: tuple[str, ...] = (), office: str = LSP_HEAD) -> str:
    from certportal.pdf import BASE_STYLESHEET

    digest = hashlib.sha256(f"paper {PAPER_FORMAT}\n{signer_identity(office)}\n".encode())
    for sheet in (BASE_STYLESHEET, *stylesheets):
        digest.update(stylesheet_source(sheet).encode())
    digest.update(prints.encode())
    return digest.hexdigest()


def _read(paper: StoredPaper) -> bytes | None:
    try:
        with paper.file.open("rb") as handle:
            return handle.read()
    except OSError:  # the file is gone (a restore without it, a deleted object): made again
        log.warning("stored paper %s %s: its file %s cannot be read", paper.kind, paper.object_id, paper.file.name)
        return None


def kept_paper(*, kind: str, object_id, prints: str, render: Callable[[], bytes], label: str, reason: str,
               stylesheets: tuple[str, ...] = (), office: str = LSP_HEAD) -> bytes:
    """The signed paper of record ``kind``/``object_id`` whose content is ``prints``: the kept copy when there is
    one for exactly this content and signer, else ``render()`` signed (:func:`.services.document_sign`), kept and
    returned."""
    key = fingerprint(prints, stylesheets=stylesheets, office=office)
    found = StoredPaper.objects.filter(kind=kind, object_id=str(object_id), fingerprint=key).first()
    if found is not None:
        data = _read(found)
        if data is not None:
            return data
        found.delete()
    signed = document_sign(render(), kind=kind, object_id=object_id, label=label, reason=reason, office=office)
    if signed.record.outcome == SignedDocument.Outcome.FAILED:
        return signed.pdf  # not kept: the next download tries to sign it again
    return _keep(kind, str(object_id), key, signed)


def _keep(kind: str, object_id: str, key: str, signed) -> bytes:
    paper = StoredPaper(kind=kind, object_id=object_id, fingerprint=key, signed=signed.record)
    paper.file.save(f"{kind}.pdf", ContentFile(signed.pdf), save=False)
    try:
        with transaction.atomic():
            paper.save()
    except IntegrityError:  # another download kept the same version a moment ago: that copy is the one
        paper.file.delete(save=False)
        winner = StoredPaper.objects.filter(kind=kind, object_id=object_id, fingerprint=key).first()
        data = _read(winner) if winner else None
        return data if data is not None else signed.pdf
    forget_papers(kind, object_id, keep=paper.pk)
    return signed.pdf


def forget_papers(kind: str, object_id, *, keep: int | None = None) -> int:
    """Delete the kept papers of a record (the older versions when ``keep`` names the current one), files too."""
    stale = StoredPaper.objects.filter(kind=kind, object_id=str(object_id)).exclude(pk=keep)
    count = 0
    for paper in stale:
        paper.file.delete(save=False)
        paper.delete()
        count += 1
    return count
