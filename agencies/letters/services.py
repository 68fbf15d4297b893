"""Signing, rendering, attaching and withdrawing the agency's letters. Every status change goes through the workflow
core (:mod:`.workflow`); the files join the dossiers through the applicants app's own service for documents issued
in the portal (:mod:`applicants.provided`)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applicants.models import Status as ApplicationStatus
from applicants.provided import PROVIDABLE, document_provide, document_unprovide
from applicants.services import application_return
from certportal import dates
from certportal.audit.services import audit_record
from certportal.lsp.services import letterhead
from certportal.notifications.services import notify
from certportal.pdf import render_pdf
from certportal.signing.services import document_sign
from certportal.workflow import transition

from .. import roster
from ..models import (
    PLACE_HOLDING,
    AgencyMembership,
    Cohort,
    CohortLetter,
    LetterCopy,
    LetterStatus,
    Proposal,
    ProposalStatus,
)
from ..workflow import AgencyError
from .rules import FILE_NAMES, REQUIREMENTS, signing_office
from .workflow import LETTER_MACHINE

TEMPLATE = "agencies/letters/pdf/letter.html"
GOVERNMENT = "Pemerintah Provinsi Daerah Khusus Jakarta"
SECRETARIAT_ADDRESS = "Jalan Medan Merdeka Selatan Nomor 8-9, Jakarta Pusat 10110"  # the Sekretariat Daerah's letterhead
RETURNABLE = {ApplicationStatus.SUBMITTED, ApplicationStatus.RESUBMITTED, ApplicationStatus.COMPLETE}


def live_letter(cohort: Cohort, kind: str) -> CohortLetter | None:
    return cohort.letters.filter(kind=kind).exclude(status=LetterStatus.WITHDRAWN).first()


def letter_sign(cohort: Cohort, kind: str, *, actor, typed_name: str, number: str, place: str, signer_nip: str = "",
                ip: str | None = None) -> CohortLetter:
    """Sign ``kind`` for every person of the cohort at once: the typed name must be the signer's own. The PDF is
    rendered, signed with the portal's signer when one is configured, and attached to each dossier open to it."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().select_related("agency", "round", "scheme").get(pk=cohort.pk)
        existing = live_letter(cohort, kind)
        if existing is not None:  # a second tab, or a replayed request
            raise AgencyError(_("“%(letter)s” is already signed, by %(name)s on %(when)s.") % {
                "letter": existing.get_kind_display(), "name": existing.signed_by.full_name,
                "when": _when(existing.signed_at)})
        letter = CohortLetter.objects.create(cohort=cohort, kind=kind)
        membership = AgencyMembership.objects.filter(user=actor).first()
        letter = transition(letter, "signed", user=actor, ip=ip, signed_by=actor, signed_name=typed_name.strip(),
                            number=number.strip(), place=place.strip() or "Jakarta", signer_nip=signer_nip.strip(),
                            signer_position=_position(actor, kind, membership))
        _store_pdf(letter)
        attach(letter, _people(cohort))
    return letter


def _when(value) -> str:
    return dates.wib(value) if value else "—"


def _position(actor, kind: str, membership) -> str:
    if membership is not None and membership.position:
        return membership.position
    if kind == "secretary_recommendation":
        return "Sekretaris Daerah"
    return f"Kepala {membership.agency}" if membership is not None else "Kepala Perangkat Daerah"


def _people(cohort: Cohort) -> list[Proposal]:
    return list(cohort.proposals.filter(status__in=PLACE_HOLDING)  # not withdrawn, nor declined by the person
                .select_related("application", "invited_user__applicant_profile").order_by("name"))


def render_letter(letter: CohortLetter) -> bytes:
    """The letter as the office writes it (always in Indonesian: it is an official letter)."""
    cohort = letter.cohort
    proposed = _people(cohort)
    # the position of someone the rule no longer counts as the agency's is not the agency's to print (agencies.roster)
    ours = roster.verdicts(cohort.agency, [p.nip for p in proposed])
    people = [{"name": p.name, "nip": p.nip, "position": _job(p) if ours.get(p.nip) else "—"} for p in proposed]
    head = None
    if letter.kind == "secretary_recommendation":
        head = live_letter(cohort, "head_recommendation")
    return render_pdf(TEMPLATE, {
        "letter": letter, "cohort": cohort, "people": people, "lsp": letterhead(), "head_letter": head,
        "government": getattr(settings, "AGENCY_LETTER_GOVERNMENT", GOVERNMENT), "count": len(people),
        "secretariat_address": getattr(settings, "AGENCY_LETTER_SECRETARIAT_ADDRESS", SECRETARIAT_ADDRESS),
    }, language="id")


def _job(p: Proposal) -> str:
    if p.application is not None and p.application.profile_data.get("position"):
        return p.application.profile_data["position"]
    profile = getattr(p.invited_user, "applicant_profile", None) if p.invited_user else None
    return profile.position if profile is not None else "—"


def _store_pdf(letter: CohortLetter) -> None:
    signed = document_sign(render_letter(letter), kind="agency-letter", object_id=letter.pk,
                           label=f"{letter.get_kind_display()} {letter.number}",
                           reason=f"{letter.get_kind_display()} — {letter.cohort.agency}",
                           office=signing_office(letter.kind, letter.cohort.agency.name))
    letter.pdf.save(f"{FILE_NAMES[letter.kind]}.pdf", ContentFile(signed.pdf), save=False)
    letter.sha256, letter.esigned = hashlib.sha256(signed.pdf).hexdigest(), signed.signed
    letter.save(update_fields=["pdf", "sha256", "esigned"])


def attach(letter: CohortLetter, proposals: list[Proposal]) -> int:
    """The signed letter as the document of its requirements in each dossier still open to change or review."""
    if letter.status != LetterStatus.SIGNED:
        return 0
    letter.pdf.open("rb")
    try:
        content = letter.pdf.read()
    finally:
        letter.pdf.close()
    attached = 0
    note = _("signed by %(name)s, %(when)s (letter %(number)s)") % {
        "name": letter.signed_by.full_name, "when": _when(letter.signed_at), "number": letter.number}
    for p in proposals:
        app = p.application
        if app is None or app.status not in PROVIDABLE or p.status == ProposalStatus.WITHDRAWN:
            continue
        for document in app.documents.select_related("requirement", "application").filter(
                requirement__name__in=REQUIREMENTS[letter.kind]):
            file = document_provide(document, actor=letter.signed_by, name=f"{FILE_NAMES[letter.kind]}.pdf",
                                    content=content, note=note)
            LetterCopy.objects.create(letter=letter, proposal=p, file=file)
            attached += 1
    if attached:
        audit_record(actor=letter.signed_by, obj=letter, action=LETTER_MACHINE.code("attached"),
                     note=f"{attached}")
    return attached


def attach_on_applied(proposal: Proposal) -> None:
    """The person started their application from the invitation: the letters signed so far join it."""
    for letter in proposal.cohort.letters.filter(status=LetterStatus.SIGNED).select_related("signed_by"):
        attach(letter, [proposal])


def letter_withdraw(letter: CohortLetter, *, actor, reason: str, ip: str | None = None) -> CohortLetter:
    """Withdraw a signed letter: it leaves every dossier, each dossier under review is returned to its applicant
    with the reason (the applicants workflow's "returned"), a draft's applicant is told."""
    with transaction.atomic():
        letter = transition(letter, "withdrawn", user=actor, reason=reason, ip=ip, status_reason=reason.strip())
        told = _("%(letter)s withdrawn by %(name)s: %(reason)s") % {
            "letter": letter.get_kind_display(), "name": actor.full_name, "reason": reason.strip()}
        apps = {}
        for copy in letter.copies.select_related("file__document__application", "proposal"):
            if copy.file.superseded_at is None:
                document_unprovide(copy.file, actor=actor, reason=told)
                apps[copy.file.document.application_id] = copy.file.document.application
        for app in apps.values():
            app.refresh_from_db()
            if app.status in RETURNABLE:
                application_return(app, actor=actor, reason=told, ip=ip)
            else:
                notify(app.applicant, template="agencies/email/letter_withdrawn",
                       context={"letter": letter.get_kind_display(), "agency": letter.cohort.agency.name,
                                "reason": reason.strip(), "name": actor.full_name},
                       key=f"agency-letter-withdrawn:{letter.pk}:{app.pk}", url=reverse("applicants:detail", args=[app.pk]))
    return letter

