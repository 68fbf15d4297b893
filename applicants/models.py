"""Applicant profiles and applications (FR.APL.01 in substance).

CONTRACT (used by assessments): ``Application`` with ``Status``; its arrows are declared once, in the state
machine of :mod:`applicants.workflow`; every status change goes through the workflow core's ``transition()``
by the arrow's name (``applicants.services.application_act``). Add fields with new
migrations; never rename these.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certportal.files import StoredFile
from schemes.constants import EDUCATION_CHOICES, EMPLOYMENT_CHOICES, GOVERNMENT_CHOICES, RANK_CHOICES
from schemes.models import Scheme


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    COMPLETE = "complete", _("Complete and correct")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    PARTICIPANT = "participant", _("Named as participant")
    SCHEDULED = "scheduled", _("Scheduled for a test")
    ASSESSED = "assessed", _("Assessed")
    COMPETENT = "competent", _("Competent")
    NOT_YET_COMPETENT = "not_yet_competent", _("Not yet competent")
    APPEALED = "appealed", _("Appealed")
    CERTIFIED = "certified", _("Certificate issued")
    HANDED_OVER = "handed_over", _("Certificate handed over")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    class Purpose(models.TextChoices):
        CERTIFICATION = "certification", _("Certification")
        RECERTIFICATION = "recertification", _("Re-certification")
        OTHER = "other", _("Other")

    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT,
                                  related_name="applications")
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT,
                               related_name="applications")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.CERTIFICATION)
    experienced = models.BooleanField(_("experienced in the field"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("declared complete and correct at"), null=True, blank=True)
    # --- added by migration 0002 ---
    # Copied from the profile while the applicant edits; frozen once submitted. Name/NIP/unit are columns so the
    # verifier's queue can search, filter and export without joins.
    applicant_name = models.CharField(_("name"), max_length=200, blank=True, db_index=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, db_index=True)
    org_unit = models.CharField(_("unit (perangkat daerah)"), max_length=200, blank=True, db_index=True)
    profile_data = models.JSONField(_("applicant data"), default=dict, blank=True)
    purpose_other = models.CharField(_("other purpose"), max_length=200, blank=True)
    declaration_at = models.DateTimeField(_("declaration signed at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("verified or rejected at"), null=True, blank=True)
    named_at = models.DateTimeField(_("named as participant at"), null=True, blank=True)
    naming_reference = models.CharField(_("naming decision (penetapan) number"), max_length=100, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status_reason = models.TextField(_("reason for the last status change"), blank=True)
    # --- added by migration 0003: the open certification clock's target date (sorting only) ---
    deadline = models.DateField(_("service deadline"), null=True, blank=True)
    # --- added by migration 0020: whose person the applicant is now, by agencies.roster's rule (the roster, else the
    # profile), kept by agencies.roster.restamp on every change of either; the agency pages read it (issue 47) ---
    agency = models.ForeignKey("Agency", verbose_name=_("agency (perangkat daerah)"), null=True, blank=True,
                               editable=False, db_index=False, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["deadline", "submitted_at", "id"], name="app_queue_order_idx"),
                   # the queue by scheme or by unit, and their counts per status (index-only scans; the
                   # recap per unit of one scheme too, which the unit included serves)
                   models.Index(fields=["scheme", "status", "deadline", "submitted_at", "id"], include=["org_unit"],
                                name="app_scheme_queue_idx"),
                   models.Index(fields=["org_unit", "status", "deadline", "submitted_at", "id"],
                                name="app_unit_queue_idx"),
                   # the queue as it opens ("needs my action"): new and resubmitted first, then complete by
                   # deadline; the first page is the first 50 entries of this index, not a sort of 100,000 rows
                   models.Index(Case(When(status="complete", then=Value(1)), default=Value(0)), "deadline",
                                "submitted_at", "id", name="app_needs_action_idx",
                                condition=Q(status__in=["submitted", "resubmitted", "complete"])),
                   # the same order within one scheme or one unit (the queue as it opens, filtered): without
                   # these, a scheme's first page walked the index above past every other scheme's entries
                   # (63,000 rows removed by the filter, 30-50 ms at a million applications)
                   models.Index("scheme", Case(When(status="complete", then=Value(1)), default=Value(0)),
                                "deadline", "submitted_at", "id", name="app_scheme_needs_action_idx",
                                condition=Q(status__in=["submitted", "resubmitted", "complete"])),
                   models.Index("org_unit", Case(When(status="complete", then=Value(1)), default=Value(0)),
                                "deadline", "submitted_at", "id", name="app_unit_needs_action_idx",
                                condition=Q(status__in=["submitted", "resubmitted", "complete"])),
                   # the province's people pages (Sekretaris Daerah, supervisor: every agency), latest first: the
                   # first page is the first 50 entries of this index, not a sort of every application
                   models.Index(fields=["updated_at", "id"], name="app_latest_idx"),
                   # one agency's people's applications, latest first: the first page is 25 entries of this index
                   models.Index(fields=["agency", "updated_at", "id"], name="app_agency_latest_idx"),
                   # a test event's candidates (the LSP admin adds them): the named participants of a scheme,
                   # those named longest ago first; the event page lists the first entries of this index
                   models.Index(fields=["scheme", "named_at", "id"], name="app_candidates_idx",
                                condition=Q(status="participant"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.applicant} — {self.scheme.code}"


class StatusCount(models.Model):
    """How many applications of a scheme and unit are in a status, kept by the database itself: triggers on the
    applications add one and take one away in the same transaction as each insert, delete, and change of status,
    scheme or unit (PostgreSQL, migration 0015), whatever code or SQL made it. The queue's counts per status and
    the recap per unit read these few thousand rows instead of counting every application (a Seq Scan of five
    million at the national size, recomputed after every status change). SQLite (``make run``) has no triggers
    here and its pages count the applications directly."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="+")
    org_unit = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "org_unit", "status"], name="status_count_key")]
        indexes = [models.Index(fields=["org_unit"], name="status_count_unit_idx")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.org_unit} {self.status}: {self.n}"


# --- added by the applicants issue (migration 0002+) -------------------------------------------------------


class Gender(models.TextChoices):
    MALE = "1", _("Male")
    FEMALE = "2", _("Female")


def one_spaced(text: str) -> str:
    """``text`` with every run of white space one space and none at either end: how an agency's name and a
    profile's agency are kept, so that the database's comparison of the two (``iexact``: the agency pages, the
    stamp of ``agencies.roster``) and Python's (``agencies.roster.verdicts``) agree."""
    return " ".join((text or "").split())


class Agency(models.Model):
    """A *perangkat daerah* (the applicant's agency): reference data the LSP admin keeps, chosen in the profile,
    so one agency is one row in the per-agency recap and the exports (free text made two rows of one)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    # printed under the name on the letterhead of the letters its head signs in the portal (agencies.letters)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("offered in the profile"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency (perangkat daerah)")
        verbose_name_plural = _("agencies (perangkat daerah)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = one_spaced(self.name)
        super().save(*args, **kwargs)


class ApplicantProfile(models.Model):
    """The civil servant's own data; it pre-fills every application (and is frozen on it when submitted)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant_profile")
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    # The population number BNSP registers a holder by (applicants.nik); personal data, masked outside the
    # holder's own pages and the BNSP request. Nullable: profiles made before it was asked for have none.
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name with academic titles"), max_length=200)
    birth_place = models.CharField(_("place of birth"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    employment_status = models.CharField(_("employment status"), max_length=10, choices=EMPLOYMENT_CHOICES,
                                         default="pns")
    org_unit = models.CharField(_("unit (perangkat daerah)"), max_length=200)
    position = models.CharField(pgettext_lazy("job", "position"), max_length=200)
    rank = models.CharField(_("rank (golongan)"), max_length=6, choices=RANK_CHOICES)
    education = models.CharField(_("education"), max_length=4, choices=EDUCATION_CHOICES)
    years_of_service = models.PositiveSmallIntegerField(_("years of service"))
    # The employing government (reference list) and the years worked within it: seed 000 asks for "PNS Pemprov DKI
    # Jakarta" with "minimal 4 tahun pengalaman bekerja di lingkungan Provinsi DKI Jakarta".
    employer_government = models.CharField(_("employing government"), max_length=10, blank=True,
                                           choices=GOVERNMENT_CHOICES)
    years_in_government = models.PositiveSmallIntegerField(_("years of work within this government"), null=True,
                                                           blank=True)
    # optional, as at registration (the account's phone is prefilled here): the LSP reaches people by e-mail first
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")
        # the people of an agency whose NIP the roster lacks (agencies.roster.staff_users: the agency's name in any
        # case, as ``iexact`` compares it) without reading every profile
        indexes = [models.Index(Upper("org_unit"), name="profile_agency_name_idx")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nip})"

    def save(self, *args, **kwargs) -> None:
        self.org_unit = one_spaced(self.org_unit)
        super().save(*args, **kwargs)

    def snapshot(self) -> dict:
        return {
            "nip": self.nip, "nik": self.nik or "", "full_name": self.full_name, "birth_place": self.birth_place,
            "birth_date": self.birth_date.isoformat(), "gender": self.gender,
            "employment_status": self.employment_status, "org_unit": self.org_unit, "position": self.position,
            "rank": self.rank, "education": self.education, "years_of_service": self.years_of_service,
            "employer_government": self.employer_government, "years_in_government": self.years_in_government,
            "employer_government_name": self.get_employer_government_display() if self.employer_government else "",
            "phone": self.phone, "email": self.email,
        }


class ApplicationDocument(models.Model):
    """One requirement of the scheme on one application; its files (versions) hang below it."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey("schemes.RequiredDocument", verbose_name=_("requirement"),
                                    on_delete=models.PROTECT, related_name="+")
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING)
    review_note = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "requirement__position", "requirement_id"]
        constraints = [models.UniqueConstraint(fields=["application", "requirement"], name="unique_app_requirement")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.requirement_id}"


class DocumentFile(StoredFile):
    """One uploaded file in one of the requirement's slots (1..``max_files``: three photos are slots 1, 2 and 3,
    not three versions of one file). Replacing the file in a slot supersedes it; the earlier version stays in the
    history of that slot."""

    upload_prefix = "applicants"
    document = models.ForeignKey(ApplicationDocument, on_delete=models.CASCADE, related_name="files")
    # --- added by migration 0010: which of the requirement's files this is; versions count within a slot ---
    slot = models.PositiveSmallIntegerField(_("file number"), default=1)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} #{self.slot} v{self.version}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class DocumentAccess(models.Model):
    """Who opened which file, when (seed 001 item 13: applicants' documents are confidential)."""

    file = models.ForeignKey(DocumentFile, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("opened at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("document access")
        verbose_name_plural = _("document accesses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"


class SelfAssessment(models.Model):
    """FR.APL.02 in substance: per unit (and per element where the unit has elements) "can I do this?"."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes, I can")
        NOT_YET = "not_yet", _("Not yet")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="self_assessments")
    unit = models.ForeignKey("schemes.Unit", on_delete=models.PROTECT, related_name="+")
    element = models.ForeignKey("schemes.UnitElement", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    evidence = models.CharField(_("evidence that shows it"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        ordering = ["application", "unit", "element__position"]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.element_id}: {self.answer}"


RETURN_FIELDS = [
    ("nip", _("NIP")), ("full_name", _("full name with academic titles")), ("birth", _("place and date of birth")),
    ("org_unit", _("unit (perangkat daerah)")), ("position", pgettext_lazy("job", "position")), ("rank", _("rank (golongan)")),
    ("education", _("education")), ("years_of_service", _("years of service")),
    ("self_assessment", _("self-assessment")), ("purpose", _("purpose")),
]


class ReturnNote(models.Model):
    """A verifier's note when a dossier is returned: about a document, a field, or the whole dossier."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="return_notes")
    document = models.ForeignKey(ApplicationDocument, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="return_notes")
    field = models.CharField(pgettext_lazy("form field", "field"), max_length=60, blank=True)
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("correction note")
        verbose_name_plural = _("correction notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_field_label(self) -> str:
        return str(dict(RETURN_FIELDS).get(self.field, self.field))


class VerificationCheck(models.Model):
    """Administrative and substantive verification are recorded separately (seed 001, step 3)."""

    class Kind(models.TextChoices):
        COMPLETENESS = "completeness", _("Completeness check")
        ADMINISTRATIVE = "administrative", _("Administrative verification")
        SUBSTANTIVE = "substantive", _("Substantive verification")

    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Not passed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(_("check"), max_length=16, choices=Kind.choices)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")
        ordering = ["checked_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.result}"
