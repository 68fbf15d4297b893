"""Agencies in the workflow (issue 29): the perangkat daerah proposes its staff for a funded round.

The agency list itself is :class:`applicants.models.Agency`, which the LSP admin keeps. This app adds who speaks for
an agency (:class:`AgencyMembership` of its officers and head), the funded rounds with their places per agency
(:class:`FundedRound`, :class:`RoundQuota`), and the batches of proposals an officer submits together
(:class:`Cohort`, :class:`Proposal`). Every status change goes through :mod:`agencies.workflow`.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applicants.models import Agency, Application
from certportal.files import RandomPath, private_files
from certportal.jobs.models import BackgroundJob
from schemes.models import Scheme


class AgencyMembership(models.Model):
    """The agency an officer or head of a perangkat daerah speaks for: every page and letter of theirs is scoped
    to it (``agencies.selectors.agency_of``). The Sekretaris Daerah has none: that office serves the province."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="agency_membership")
    agency = models.ForeignKey(Agency, verbose_name=_("agency (perangkat daerah)"), on_delete=models.PROTECT,
                               related_name="memberships")
    position = models.CharField(pgettext_lazy("in an agency", "position"), max_length=200, blank=True)  # signed as
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.agency}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for proposals")
    CLOSED = "closed", _("Closed")


class FundedRound(models.Model):
    """A round of certification paid from the province's budget (APBD, seed 000): a fiscal year, the schemes it
    pays for, the funded places per agency (:class:`RoundQuota`) and the dates proposals are taken."""

    name = models.CharField(_("name"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    schemes = models.ManyToManyField(Scheme, verbose_name=_("schemes"), related_name="funded_rounds")
    opens_on = models.DateField(_("proposals open on"))
    closes_on = models.DateField(_("proposals close on"))
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("funded round")
        verbose_name_plural = _("funded rounds")
        ordering = ["-fiscal_year", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                              name="round_closes_after_it_opens")]

    def __str__(self) -> str:
        return f"{self.name} ({self.fiscal_year})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agencies:round-detail", args=[self.pk])


class RoundQuota(models.Model):
    """The funded places one agency has in one round; proposals beyond it are refused with the count."""

    round = models.ForeignKey(FundedRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="quotas")
    agency = models.ForeignKey(Agency, verbose_name=_("agency (perangkat daerah)"), on_delete=models.PROTECT,
                               related_name="quotas")
    places = models.PositiveIntegerField(_("funded places"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["round", "agency"], name="one_quota_per_agency_and_round")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.places}"


class Cohort(models.Model):
    """The proposals one officer submits together for one scheme in one round: the unit the agency's letters
    (proposal, the head's recommendation and statement of authenticity, the Sekretaris Daerah's recommendation)
    are issued for."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency (perangkat daerah)"), on_delete=models.PROTECT,
                               related_name="cohorts")
    round = models.ForeignKey(FundedRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="cohorts")
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="cohorts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT,
                                   related_name="proposed_cohorts")
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        from certportal import dates

        return f"{self.agency} — {self.scheme.code} — {dates.day(self.created_at)}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agencies:cohort-detail", args=[self.pk])


class RosterSource(models.TextChoices):
    SIASN = "siasn", _("SIASN roster (BKPSDM)")
    MANUAL = "manual", _("Entered by hand")
    DEMO = "demo", _("Demo data")


class RosterStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("roster", "Active")
    RETIRED = "retired", pgettext_lazy("roster", "Retired")
    LEFT = "left", pgettext_lazy("roster", "Left the service")
    DECEASED = "deceased", pgettext_lazy("roster", "Deceased")


class RosterEntry(models.Model):
    """One civil servant on the province's roster (the BKPSDM's staff list, which a later import fills from SIASN):
    the agency a NIP works at. Where the roster has a NIP it decides which agency may propose the person and whose
    people pages list them; the person's own profile decides only for a NIP the roster lacks
    (``agencies.staff``)."""

    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(Agency, verbose_name=_("agency (perangkat daerah)"), on_delete=models.PROTECT,
                               related_name="roster")
    position = models.CharField(pgettext_lazy("job", "position"), max_length=200, blank=True)
    rank = models.CharField(_("rank (golongan)"), max_length=6, blank=True)
    education = models.CharField(_("education"), max_length=4, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=RosterSource.choices, default=RosterSource.MANUAL)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # SIASN's "data utama" as imported (agencies.roster_import): titles, the work unit, the employing government,
    # the education's name, and the standing in the civil service (kedudukanPnsNama) with what it means here.
    front_title = models.CharField(_("title before the name"), max_length=60, blank=True)
    back_title = models.CharField(_("title after the name"), max_length=100, blank=True)
    unit = models.CharField(_("work unit (unor)"), max_length=300, blank=True)
    government = models.CharField(_("employing government (instansi)"), max_length=200, blank=True)
    education_name = models.CharField(_("education (as named in SIASN)"), max_length=200, blank=True)
    standing = models.CharField(_("standing in SIASN (kedudukan)"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RosterStatus.choices, default=RosterStatus.ACTIVE)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster")
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip}) — {self.agency}"

    @property
    def full_name(self) -> str:
        """The name with its academic titles, as a decree prints it (``Dr. Siti Aminah, M.Si.``)."""
        name = " ".join(p for p in (self.front_title, self.name) if p)
        return f"{name}, {self.back_title}" if self.back_title else name


class RosterChange(models.Model):
    """One change of one roster entry: added, changed (``changes``: field → [before, after]), left the roster or
    came back; by which import (and so which file and whom), when. The roster's history, never edited."""

    class Kind(models.TextChoices):
        ADDED = "added", pgettext_lazy("roster", "Added")
        CHANGED = "changed", pgettext_lazy("roster", "Changed")
        LEFT = "left", pgettext_lazy("roster", "No longer on the roster")

    entry = models.ForeignKey(RosterEntry, on_delete=models.CASCADE, related_name="changes")
    job = models.ForeignKey("RosterImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("roster change")
        verbose_name_plural = _("roster changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.kind} {self.at:%Y-%m-%d}"


class RosterImport(BackgroundJob):
    """One import of the province's roster (SIASN's "data utama", XLSX or CSV): the file is kept in private
    storage; a worker checks every row (queued → running → done: the preview); the LSP admin or a BKPSDM officer
    confirms (done → queued again, ``confirmed``); the worker applies the whole file in one transaction (running
    → applied) or fails it with the reason, writing nothing. See ``agencies.roster_jobs``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", pgettext_lazy("job", "Running")
        DONE = "done", pgettext_lazy("import", "Read, to review")
        FAILED = "failed", _("Failed")
        APPLIED = "applied", pgettext_lazy("import", "Imported")
        DISCARDED = "discarded", pgettext_lazy("import", "Discarded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(storage=private_files, upload_to=RandomPath("roster"), max_length=300)
    filename = models.CharField(_("file name"), max_length=200)  # as uploaded, shown only (never a path)
    language = models.CharField(max_length=10, default="id")
    digest = models.CharField(max_length=64, blank=True, default="")
    whole = models.BooleanField(_("the whole province's roster"), default=False)  # absent NIPs have left
    confirmed = models.BooleanField(default=False)  # the worker applies instead of previewing
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    preview = models.JSONField(null=True, blank=True)  # counts, the faulty rows' messages, a sample of changes
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "moved_at"], name="rosterimport_status_moved_idx")]
        constraints = [models.UniqueConstraint(fields=["created_by", "digest"], condition=models.Q(
            status__in=["queued", "running"]) & ~models.Q(digest=""), name="rosterimport_one_active_per_file")]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agencies:roster-import", kwargs={"public_id": self.public_id})

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    APPLIED = "applied", _("Applied")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined by the person")


# A proposal in these states holds one of its agency's funded places in the round.
PLACE_HOLDING = (ProposalStatus.PROPOSED, ProposalStatus.INVITED, ProposalStatus.APPLIED)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Proposal(models.Model):
    """One civil servant proposed by their agency: invited to register or log in, then linked to the application
    they start from the invitation (which carries the round: ``agencies.selectors.proposal_for_application``)."""

    # no index of its own: proposal_cohort_status_idx below starts with the cohort and serves every look-up by it
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="proposals",
                               db_index=False)
    nip = models.CharField(_("NIP"), max_length=18, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(_("status"), max_length=12, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED, db_index=True)
    invited_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited user"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="agency_proposals")
    application = models.OneToOneField(Application, verbose_name=_("application"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="agency_proposal")
    # The secret of the invitation link (never the id): whoever holds it may register as, or link, this person.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # A NIP the portal did not know when proposed (no roster entry, no account): the person confirms on taking
    # the invitation up that they work at the agency, or declines it; until then the agency learns nothing of them.
    needs_confirmation = models.BooleanField(_("the person must confirm their agency"), default=False)
    confirmed_at = models.DateTimeField(_("agency confirmed by the person at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["cohort", "name"]
        # the officer's home counts its agency's invitations awaiting an answer: its cohorts' proposals in one
        # state, read off this index instead of every proposal of the province (13 ms to 0.5 at 50,000; issue 47)
        indexes = [models.Index(fields=["cohort", "status"], name="proposal_cohort_status_idx")]
        constraints = [models.UniqueConstraint(fields=["cohort", "nip"], condition=models.Q(status__in=[
            "proposed", "invited", "applied"]), name="one_live_proposal_per_nip_in_cohort")]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"

    @property
    def agency(self) -> Agency:
        return self.cohort.agency


class PositionNeed(models.Model):
    """A scheme a position (*jabatan*) of one agency needs, kept by the agency's officer or head: the competence
    map (``agencies.people``) shows, per position, who of its holders has the scheme and its units and who lacks
    them. Schemes carry no target positions, and one position's needs differ between agencies."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency (perangkat daerah)"), on_delete=models.CASCADE,
                               related_name="position_needs")
    position = models.CharField(pgettext_lazy("job", "position"), max_length=200)
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT,
                               related_name="position_needs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheme a position needs")
        verbose_name_plural = _("schemes positions need")
        ordering = ["agency", "position", "scheme__code"]
        constraints = [models.UniqueConstraint(Lower("position"), "agency", "scheme",
                                               name="one_need_per_position_and_scheme")]

    def __str__(self) -> str:
        return f"{self.position}: {self.scheme.code}"


# --- the agency's letters, signed in the portal for a whole cohort (issue 29 item 3: agencies.letters) ---------

class LetterKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal letter of the agency")
    HEAD_RECOMMENDATION = "head_recommendation", _("Recommendation of the head of the agency")
    AUTHENTICITY = "authenticity", _("Statement that the dossiers are authentic")
    SECRETARY_RECOMMENDATION = "secretary_recommendation", _("Recommendation of the Sekretaris Daerah")


class LetterStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("agency letter", "Not signed yet")
    SIGNED = "signed", pgettext_lazy("agency letter", "Signed")
    WITHDRAWN = "withdrawn", pgettext_lazy("agency letter", "Withdrawn")


class CohortLetter(models.Model):
    """One letter signed for every person of a cohort at once (a list of them in its appendix): the PDF is
    attached to each person's dossier as the document of its requirements (``agencies.letters.REQUIREMENTS``)."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("letter"), max_length=30, choices=LetterKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=LetterStatus.choices,
                              default=LetterStatus.PENDING, db_index=True)
    number = models.CharField(_("letter number"), max_length=100, blank=True)
    place = models.CharField(_("place of signing"), max_length=100, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="agency_letters_signed")
    signed_name = models.CharField(_("name typed as signature"), max_length=200, blank=True)
    signer_position = models.CharField(_("position of the signer"), max_length=200, blank=True)
    signer_nip = models.CharField(_("NIP of the signer"), max_length=18, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), storage=private_files, upload_to=RandomPath("agency-letters"),
                           max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    esigned = models.BooleanField(_("signed with the portal's electronic signature"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("agency letter")
        verbose_name_plural = _("agency letters")
        ordering = ["cohort", "kind", "-id"]
        constraints = [models.UniqueConstraint(fields=["cohort", "kind"], condition=~models.Q(status="withdrawn"),
                                               name="one_live_letter_per_kind_and_cohort")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.cohort}"


class LetterCopy(models.Model):
    """The letter as one dossier's document: the file it was attached as (one per requirement it stands for)."""

    letter = models.ForeignKey(CohortLetter, verbose_name=_("agency letter"), on_delete=models.CASCADE,
                               related_name="copies")
    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE,
                                 related_name="letter_copies")
    file = models.OneToOneField("applicants.DocumentFile", verbose_name=_("file"), on_delete=models.CASCADE,
                                related_name="agency_letter")

    class Meta:
        verbose_name = _("agency letter in a dossier")
        verbose_name_plural = _("agency letters in dossiers")

    def __str__(self) -> str:
        return f"{self.letter} → {self.proposal}"
