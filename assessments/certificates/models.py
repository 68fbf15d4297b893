"""Certificates and what follows them: numbering, the certificate and the result letter (what is printed is frozen
on the row at issue time), handover, public look-ups, print jobs, expiry reminders, holder reports, the employers'
API tokens, re-certification and surveillance."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.events.models.events import Event
from assessments.events.models.participants import Participant, Result
from certportal.files import RandomPath, StoredFile, private_files
from certportal.jobs.models import BackgroundJob


class CertificateSequence(models.Model):
    """The last number used per year and document kind (locked with select_for_update when numbering)."""

    kind = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="unique_sequence")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class CertificateQuerySet(models.QuerySet):
    def held_by(self, user):
        """The certificates whose holder is ``user``: issued on their application, or imported from the LSP's
        register and linked to their account by NIP."""
        return self.filter(models.Q(application__applicant=user) | models.Q(holder=user))


class Certificate(models.Model):
    """A competency certificate. Never deleted; expiry is derived from the date, not stored by a job."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", pgettext_lazy("certificate", "Withdrawn")
        # scope reduced to the units still held (issue 30): replaced by a certificate with those units
        REDUCED = "reduced", _("Reduced in scope")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Issued in the portal")
        IMPORTED = "imported", _("Imported from the LSP's register")

    # A certificate issued in the portal has its participant and application; one imported from the LSP's register
    # (issued on paper before the portal) has neither: its holder is ``holder`` (an account found by NIP, else
    # only the name and NIP below) and its scheme version ``scheme`` (see assessments.certificates.register).
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="certificates", null=True,
                                    blank=True)
    application = models.ForeignKey("applicants.Application", on_delete=models.PROTECT,
                                    related_name="certificates", null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("holder's account"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="imported_certificates")
    scheme = models.ForeignKey("schemes.Scheme", verbose_name=_("scheme version"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="imported_certificates")
    number = models.CharField(_("certificate number"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    status_reason = models.TextField(_("reason"), blank=True)
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    # Suspended because a result was corrected after issue (until the new decision); cleared when the suspension is
    # lifted, the certificate replaced or withdrawn. The work queue, the certificate page and the correcting
    # certificate read it (never inferred from the audit trail).
    suspended_by_correction = models.BooleanField(_("suspended after a result correction"), default=False)
    replaces = models.ForeignKey("self", verbose_name=_("replaces"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="replaced_by")
    # re-certification: the certificate this one follows when the earlier one expires (not a correction)
    renews = models.ForeignKey("self", verbose_name=_("renews"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="renewed_by")
    # frozen at issue time
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_nip = models.CharField(_("NIP"), max_length=18, blank=True)
    holder_unit = models.CharField(_("unit (perangkat daerah)"), max_length=200, blank=True)
    scheme_code = models.CharField(_("scheme code"), max_length=80)
    scheme_name = models.CharField(_("scheme"), max_length=300)
    snapshot = models.JSONField(_("printed data"), default=dict)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # BNSP's numbers, recorded after issue (assessments.certificates.services.bnsp): printed and shown on verification.
    bnsp_registration_number = models.CharField(_("BNSP registration number"), max_length=60, unique=True,
                                                null=True, blank=True)
    blanko_number = models.CharField(_("blanko number"), max_length=60, unique=True, null=True, blank=True)
    # whose person the holder is now: the agency of the certificate's application (``Application.agency``), copied
    # by agencies.roster.restamp with it; an agency's certificates are read off cert_agency_expiry_idx (issue 47)
    agency = models.ForeignKey("applicants.Agency", verbose_name=_("agency (perangkat daerah)"), null=True,
                               blank=True, editable=False, db_index=False, on_delete=models.SET_NULL, related_name="+")

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-sequence"]
        # the LSP admin's list walks this order: its first page comes off the index (issue 17)
        indexes = [models.Index(fields=["-issued_on", "-sequence"], name="cert_list_order_idx"),
                   # the LSP admin's "suspended after a correction" (assessments.workqueue): an index of those alone
                   models.Index(fields=["id"], name="cert_suspended_correction_idx",
                                condition=models.Q(status="suspended", suspended_by_correction=True)),
                   # an agency's people's certificates, soonest to expire first: a walk of this order that stops
                   # at the page's 25 of the agency (agencies.people), not a sort of every certificate (issue 47)
                   models.Index(fields=["expires_on", "id"], name="cert_expiry_order_idx"),
                   # one agency's people's certificates in that order: the first page is 25 entries of this index
                   models.Index(fields=["agency", "expires_on", "id"], name="cert_agency_expiry_idx")]
        constraints = [models.CheckConstraint(
            condition=models.Q(source="imported") | models.Q(participant__isnull=False, application__isnull=False),
            name="certificate_portal_has_its_dossier")]

    def __str__(self) -> str:
        return self.number

    @property
    def imported(self) -> bool:
        """Issued on paper before the portal and imported from the LSP's register: the paper original is the
        record."""
        return self.source == self.Source.IMPORTED

    @property
    def holder_account(self):
        """The holder's account: the applicant of a portal certificate, the account an imported one was linked to
        by NIP (None when the holder has none in the portal)."""
        if self.application_id:
            return self.application.applicant
        return self.holder

    @property
    def scheme_version(self):
        """The scheme version the certificate was issued in."""
        return self.application.scheme if self.application_id else self.scheme

    @property
    def suspended_until_lifted(self) -> bool:
        """Suspended with no end of its own: until the expiry date, i.e. until lifted (a result correction's
        suspension, until the new decision). Pages say "until further notice" instead of the date."""
        return bool(self.status == self.Status.SUSPENDED and self.suspended_until
                    and self.suspended_until >= self.expires_on)

    def state(self, today: datetime.date | None = None) -> str:
        """valid / expired / suspended / withdrawn — expiry and the end of a suspension come from the date."""
        today = today or timezone.localdate()
        if self.status == self.Status.WITHDRAWN:
            return "withdrawn"
        if self.status == self.Status.REDUCED:
            return "reduced"
        if today > self.expires_on:
            return "expired"
        if self.status == self.Status.SUSPENDED and (self.suspended_until is None or today <= self.suspended_until):
            return "suspended"
        return "valid"


CERTIFICATE_STATES = {
    "valid": _("Valid"), "expired": _("Expired"), "suspended": _("Suspended"), "withdrawn": pgettext_lazy("certificate", "Withdrawn"),
    "reduced": _("Reduced in scope"),
}
STATE_COLOURS = {"valid": "success", "expired": "secondary", "suspended": "warning", "withdrawn": "danger", "reduced": "danger"}


class ResultLetter(models.Model):
    """Surat Keterangan Hasil Uji Kompetensi: every decided participant gets one, each unit with K or BK.

    Dated with the decision it records. A result corrected after the decision withdraws the letter (kept, marked,
    with the reason and time); the new decision gets a new letter, so a participant may have several, at most one
    of them issued (machine ``assessments.resultletter.*``)."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        WITHDRAWN = "withdrawn", pgettext_lazy("certificate", "Withdrawn")

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="result_letters")
    application = models.ForeignKey("applicants.Application", on_delete=models.PROTECT,
                                    related_name="result_letters")
    number = models.CharField(_("letter number"), max_length=80, unique=True)
    issued_on = models.DateField(_("issued on"))
    holder_name = models.CharField(_("name"), max_length=200)
    outcome = models.CharField(_("result"), max_length=2, choices=Result.choices)
    snapshot = models.JSONField(_("printed data"), default=dict)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        verbose_name = _("result letter")
        verbose_name_plural = _("result letters")
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["participant"], condition=models.Q(status="issued"),
                                               name="one_issued_letter_per_participant")]
        # the letters not yet competent, newest first (those waiting for a handover above the certificates' list)
        indexes = [models.Index(F("issued_on").desc(), F("id").desc(), condition=models.Q(outcome="BK"),
                                name="letter_not_competent_idx")]

    def __str__(self) -> str:
        return self.number


class Handover(models.Model):
    """Seed 001 step 8: who handed which document to whom, when."""

    application = models.ForeignKey("applicants.Application", on_delete=models.PROTECT, related_name="handovers")
    certificate = models.ForeignKey(Certificate, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="handovers")
    result_letter = models.ForeignKey(ResultLetter, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="handovers")
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handed over by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    received_by = models.CharField(_("received by"), max_length=200)
    handed_at = models.DateTimeField(_("handed over at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-handed_at"]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.received_by}"


class VerificationLookup(models.Model):
    """Every public look-up of a certificate (seed 001 item 13: we know who asked about whom, and when)."""

    code = models.CharField(_("code tried"), max_length=64)
    certificate = models.ForeignKey(Certificate, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="lookups")
    via = models.CharField(_("via"), max_length=8)  # page / qr / json
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification look-up")
        verbose_name_plural = _("verification look-ups")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.code} ({self.via})"


class PrintJob(BackgroundJob):
    """Issuing and printing a whole event as ONE PDF, in Celery tasks; the page polls its progress. Status, reason,
    attempts, sign of life (``moved_at``: a status change or a chunk done), requester and times: the job base."""

    class Kind(models.TextChoices):
        CERTIFICATES = "certificates", _("Certificates")
        LETTERS = "letters", _("Result letters")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="print_jobs")
    kind = models.CharField(_("documents"), max_length=12, choices=Kind.choices)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_files, upload_to=RandomPath("assessments"), blank=True,
                            max_length=300)
    # Chunked printing: the event is rendered in ``parts_total`` chunks by separate tasks; ``parts`` lists the
    # chunks done (so a chunk delivered twice is counted once); the last one merges them.
    parts_total = models.PositiveIntegerField(default=0)
    parts = models.JSONField(default=list, blank=True)
    # The documents of each chunk (their ids, in print order), kept so that a job whose worker died sends the
    # chunks not yet rendered again; and which task renders each chunk (and the merge) now, since when:
    # {"<index>" | "merge": ["<message id>/<retries>", <unix time>]} (certportal.jobs.claim: a part is taken over
    # only when its task went silent, so no part is rendered twice).
    chunks = models.JSONField(default=list, blank=True, editable=False)
    claims = models.JSONField(default=dict, blank=True, editable=False)
    # Who the job did not print and why, as codes ({"participant", "name", "code", "detail"}): read in the
    # reader's language (see certificates.printing.skip_reason).
    skipped = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-created_at"]
        # One queued or running print per event and kind: a second click (another tab, another admin, a form
        # sent twice) is given that job (services.printing.print_job_start), never a second one rendering it all.
        constraints = [models.UniqueConstraint(fields=["event", "kind"], condition=models.Q(status__in=[
            "queued", "running"]), name="printjob_one_active_per_event_kind")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def produced_nothing(self) -> bool:
        return self.status == self.Status.DONE and self.total == 0

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)


class ExpiryReminder(models.Model):
    """One reminder before a certificate expires, per threshold (months before the expiry date): the row is
    claimed under its unique constraint before the holder is told, so each reminder goes out exactly once.

    ``sent`` is False for a further threshold passed over because a nearer one went out in the same sweep (a
    certificate first swept two months before expiry gets the 3-month reminder only, not the 6-month one too)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="expiry_reminders")
    months = models.PositiveSmallIntegerField(_("months before expiry"))
    sent = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [models.UniqueConstraint(fields=["certificate", "months"], name="one_expiry_reminder_each")]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.months}"


class HolderReport(models.Model):
    """A holder reports a change that affects their competence (seed 000, holder obligation 1; ISO/IEC 17024
    9.6): the LSP admin reviews it (``submitted → reviewed``, with a note) and may suspend or withdraw the
    certificate through the certificate's own transitions."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("holder report", "Submitted")
        REVIEWED = "reviewed", pgettext_lazy("holder report", "Reviewed")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="holder_reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("what changed"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("holder report")
        verbose_name_plural = _("holder reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="holder_report_status_idx")]

    def __str__(self) -> str:
        return f"{self.certificate_id} #{self.pk}"


class ApiToken(models.Model):
    """An employer's key to the certificate look-up API (``/api/v1/``). Only the SHA-256 of the token is kept:
    the LSP admin sees the token once, when it is issued. Revoked tokens are kept (the audit trail names them)."""

    name = models.CharField(_("employer"), max_length=200)
    prefix = models.CharField(_("token starts with"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # a token answers until it expires (ASSESSMENT_API_TOKEN_DAYS after it is issued or renewed)...
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # ...and is locked when its look-ups miss more than ASSESSMENT_API_MISSES_PER_DAY times in a day (renewing it
    # unlocks it); ``misses`` counts the misses of the day ``misses_on``
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    misses_on = models.DateField(null=True, blank=True)
    misses = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def state(self, now=None) -> str:
        """revoked / locked / expired / active."""
        from django.utils import timezone

        now = now or timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.locked_at:
            return "locked"
        if self.expires_at and self.expires_at <= now:
            return "expired"
        return "active"


class Renewal(models.Model):
    """A re-certification: the application a holder started from their certificate (pre-filled from the earlier
    application). Its certificate, when issued, renews ``previous`` and takes over at its expiry date."""

    application = models.OneToOneField("applicants.Application", on_delete=models.CASCADE, related_name="renewal")
    previous = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="renewals")
    documents_reused = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("re-certification")
        verbose_name_plural = _("re-certifications")

    def __str__(self) -> str:
        return f"{self.previous_id} → {self.application_id}"


class SurveillanceReport(models.Model):
    """Surveillance evidence (ISO/IEC 17024 9.6) for one year of a certificate whose scheme asks for it: the
    holder's statement of continued practice and documents; the LSP admin records the review."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("surveillance", "Submitted")
        REVIEWED = "reviewed", pgettext_lazy("surveillance", "Reviewed")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="surveillance_reports")
    due_on = models.DateField(_("due on"))
    statement = models.TextField(_("statement of continued practice"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("surveillance report")
        verbose_name_plural = _("surveillance reports")
        ordering = ["-due_on"]
        constraints = [models.UniqueConstraint(fields=["certificate", "due_on"], name="one_surveillance_per_year")]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.due_on}"


class SurveillanceFile(StoredFile):
    """A document of a surveillance report, checked and stored like a dossier file (certportal.files)."""

    upload_prefix = "surveillance"
    report = models.ForeignKey(SurveillanceReport, on_delete=models.CASCADE, related_name="files")
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("surveillance document")
        verbose_name_plural = _("surveillance documents")


__all__ = [
    "CertificateSequence", "Certificate", "CERTIFICATE_STATES", "STATE_COLOURS", "ResultLetter", "Handover",
    "VerificationLookup", "PrintJob", "ExpiryReminder", "HolderReport", "ApiToken", "Renewal", "SurveillanceReport",
    "SurveillanceFile", "IssuedCredential", "CredentialStatusList",
]

from assessments.certificates.credentials.models import CredentialStatusList, IssuedCredential  # noqa: E402
