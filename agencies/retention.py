"""The agencies app's part of anonymising a person past their retention period (registered with
:func:`certportal.personal_data.register_eraser`, run by ``quality.retention``).

The person's proposals lose their name, e-mail address and NIP (and their invitation link stops working); the
copies of the agencies' letters attached to the person's own dossier are deleted from storage. The signed cohort
letter itself (:class:`~agencies.models.CohortLetter`, whose appendix lists the whole cohort) is the agency's
official record, not the person's: it is kept, unchanged, as the agency's correspondence for its own period.

The roster's uploaded files (``ROSTER_FILE``, registered with :func:`certportal.personal_data.register_upload`) are
deleted with their preview by ``quality.retention`` past ``RETENTION_IMPORT_FILE_YEARS``; the roster stays."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from applicants.models import DocumentFile
from certportal.personal_data import Erased

from .models import LetterCopy, Proposal, ProposalStatus, RosterImport, new_token

WAITING = (ProposalStatus.PROPOSED, ProposalStatus.INVITED)
# The roster's uploads (the disposal list's kind of record): the file and its reading (``preview``: the faulty rows'
# names and NIPs, a sample of the changes) go once the import ended and the period passed; the roster stays.
ROSTER_FILE = "roster"
ROSTER_ENDED = (RosterImport.Status.APPLIED, RosterImport.Status.DISCARDED, RosterImport.Status.FAILED)


def _proposals(user):
    match = Q(invited_user=user) | Q(application__applicant=user)
    if user.email_verified_at:
        match |= Q(email__iexact=user.email)
    profile = getattr(user, "applicant_profile", None)
    if profile is not None and profile.nip:
        match |= Q(nip=profile.nip)
    return list(Proposal.objects.filter(match))


def invited_since(moment: datetime.datetime) -> Q:
    """The accounts an agency proposed since ``moment`` whose invitation still waits (no application started from
    it yet, not withdrawn): someone who is being invited uses the portal again, and is not anonymised. The person is
    matched as :func:`_proposals` matches them: the invited account, the profile's NIP, a confirmed address."""
    waiting = Proposal.objects.filter(Q(created_at__gte=moment) | Q(invited_at__gte=moment), status__in=WAITING,
                                      application__isnull=True)
    return (Q(Exists(waiting.filter(invited_user=OuterRef("pk"))))
            | Q(Exists(waiting.filter(nip=OuterRef("applicant_profile__nip"))))
            | Q(Exists(waiting.filter(email__iexact=OuterRef("email"))), email_verified_at__isnull=False))


def erase(user, pseudonym: str) -> Erased:
    proposals = _proposals(user)
    done = Erased(subjects=list(proposals), names={p.name for p in proposals} | {p.nip for p in proposals})
    copies = LetterCopy.objects.filter(proposal__in=proposals, file__document__application__applicant=user)
    for copy in copies.select_related("file").exclude(file__file=""):
        copy.file.file.delete(save=False)
        done.files += 1
    DocumentFile.objects.filter(agency_letter__in=copies).update(file="", original_name="")
    for p in proposals:
        Proposal.objects.filter(pk=p.pk).update(
            name=pseudonym, email=f"{pseudonym.lower()}@anonim.invalid", nip=f"X{p.pk:017d}", token=new_token())
    return done
