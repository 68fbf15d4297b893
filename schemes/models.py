"""Reference data: decrees, competency units, KKNI qualifications, schemes (versioned, their validation and reviews
in :mod:`schemes.records`), test sites (TUK), and the published service standard.

CONTRACT (used by applicants and assessments): Scheme, SchemeUnit, RequiredDocument, SchemeRequirement,
TestSite, Unit; ``schemes.services.check_eligibility``. Add fields with new migrations; never rename these.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .constants import EDUCATION_CHOICES, EMPLOYMENT_CHOICES, GOVERNMENT_CHOICES, RANK_CHOICES  # noqa: F401
from .records import SchemeReview  # noqa: F401


class Decree(models.Model):
    class Kind(models.TextChoices):
        KKNI = "kkni", _("KKNI qualifications decree")
        SKKNI = "skkni", _("SKKNI decree")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.TextField(_("title"))
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(pgettext_lazy("decree", "issued on"), null=True, blank=True)
    # The decree's life (Kepmenaker 3/2021 KEEMPAT–KEENAM): when it comes into force, when it is due for review,
    # and the decrees it revokes ("number/year"), read by the importers where the text says so, editable otherwise.
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    review_due_on = models.DateField(_("review due"), null=True, blank=True)
    revokes = models.JSONField(_("revokes (number/year)"), default=list, blank=True)
    # Added in 0002: what the last import saw, so re-running an import can say "nothing changed".
    fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True)
    import_warnings = models.JSONField(_("import warnings"), default=list, blank=True)

    class Meta:
        verbose_name = _("decree")
        verbose_name_plural = _("decrees")
        constraints = [models.UniqueConstraint(fields=["kind", "number", "year"], name="unique_decree")]
        ordering = ["-year", "number"]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    def in_force(self, day) -> bool:
        return (self.in_force_on or self.issued_on or day) <= day


class Unit(models.Model):
    """A competency unit, e.g. N.78SPS02.028.2 = sector N, field 78SPS02, number 028, version 2."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    sector = models.CharField(_("sector"), max_length=4)
    field = models.CharField(_("field"), max_length=20)
    number = models.CharField(_("unit number"), max_length=10)
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=400)
    decree = models.ForeignKey(Decree, verbose_name=_("decree"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="units")

    class Meta:
        verbose_name = _("competency unit")
        verbose_name_plural = _("competency units")
        ordering = ["code"]
        indexes = [models.Index(fields=["sector", "field", "number"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class UnitElement(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="elements")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("element"), max_length=400)

    class Meta:
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        ordering = ["unit", "position"]

    def __str__(self) -> str:
        return self.title


class PerformanceCriterion(models.Model):
    element = models.ForeignKey(UnitElement, on_delete=models.CASCADE, related_name="criteria")
    position = models.CharField(_("number"), max_length=10)
    text = models.TextField(_("performance criterion (KUK)"))

    class Meta:
        verbose_name = _("performance criterion")
        verbose_name_plural = _("performance criteria")
        ordering = ["element", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class TestSite(models.Model):
    """A test site (Tempat Uji Kompetensi, TUK): its type as BNSP names it and its verification by the LSP."""

    class Kind(models.TextChoices):
        SEWAKTU = "sewaktu", _("TUK Sewaktu (set up for the test)")
        TEMPAT_KERJA = "tempat_kerja", _("TUK Tempat Kerja (at the workplace)")
        MANDIRI = "mandiri", _("TUK Mandiri (standing site)")

    registration_number = models.CharField(_("registration number"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type of test site"), max_length=12, choices=Kind.choices, default=Kind.SEWAKTU)
    address = models.TextField(_("address"), blank=True)
    verified_on = models.DateField(_("verified by the LSP on"), null=True, blank=True)
    # The LSP's verification of the site (verifikasi TUK) holds until this day: no event is planned after it.
    licence_valid_until = models.DateField(_("verification valid until"), null=True, blank=True)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("head of test site (Kepala TUK)"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="headed_test_sites")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("test site (TUK)")
        verbose_name_plural = _("test sites (TUK)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Scheme(models.Model):
    """A certification scheme. Versioned: editing a scheme that has applications creates a new version
    (same ``code``, ``version`` + 1); applications keep the version they applied under."""

    class Kind(models.TextChoices):
        KKNI = "kkni", _("KKNI qualification")
        OCCUPATION = "occupation", _("Occupation")
        CLUSTER = "cluster", _("Cluster")

    code = models.CharField(_("code"), max_length=80)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    qualification = models.ForeignKey("Qualification", verbose_name=_("KKNI qualification"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="schemes")
    legal_basis = models.TextField(_("legal basis"), blank=True)
    description = models.TextField(_("description"), blank=True)
    test_sites = models.ManyToManyField(TestSite, verbose_name=_("test sites (TUK)"), blank=True,
                                        related_name="schemes")
    methods_experienced = models.TextField(_("assessment method for experienced applicants"), blank=True)
    methods_inexperienced = models.TextField(_("assessment method for inexperienced applicants"), blank=True)
    validity_years = models.PositiveSmallIntegerField(_("certificate validity (years)"), default=3)

    class Surveillance(models.TextChoices):
        NONE = "none", pgettext_lazy("surveillance", "None")
        YEARLY = "yearly", _("Yearly: holders submit evidence of continued practice")

    # ISO/IEC 17024 9.6: whether holders submit surveillance evidence during the certificate's validity
    surveillance = models.CharField(_("surveillance"), max_length=8, choices=Surveillance.choices,
                                    default=Surveillance.NONE)
    payer = models.TextField(_("who pays"), blank=True)
    applicant_rights = models.TextField(_("applicant rights"), blank=True)
    holder_obligations = models.TextField(_("certificate-holder obligations"), blank=True)
    is_published = models.BooleanField(_("published in the catalogue"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Added in 0002: the SKKNI decree the units come from, and the version this one replaced.
    decree = models.ForeignKey(Decree, verbose_name=_("SKKNI decree"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="schemes")
    previous_version = models.ForeignKey("self", verbose_name=_("previous version"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="next_versions")

    class Meta:
        verbose_name = _("certification scheme")
        verbose_name_plural = _("certification schemes")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_scheme_version")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SchemeUnit(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="scheme_units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="scheme_links")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("scheme unit")
        verbose_name_plural = _("scheme units")
        ordering = ["scheme", "position"]
        constraints = [models.UniqueConstraint(fields=["scheme", "unit"], name="unique_scheme_unit")]

    def __str__(self) -> str:
        return str(self.unit)


class SchemeRequirement(models.Model):
    """A machine-checkable applicant requirement (the scheme's 'Persyaratan Dasar Pemohon')."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment status")
        MIN_EDUCATION = "min_education", _("Minimum education")
        MIN_RANK = "min_rank", _("Minimum rank (golongan)")
        MIN_YEARS = "min_years", _("Minimum years of service")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=50)
    text = models.CharField(_("as printed in the scheme"), max_length=400, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Which government the rule is about (seed 000: "PNS Pemprov DKI Jakarta", "4 tahun … di lingkungan Provinsi
    # DKI Jakarta"): an employment rule then also asks for that employer, a years rule counts the years within it.
    government = models.CharField(_("government"), max_length=10, blank=True, choices=GOVERNMENT_CHOICES)

    class Meta:
        verbose_name = _("applicant requirement")
        verbose_name_plural = _("applicant requirements")
        ordering = ["scheme", "position"]

    def __str__(self) -> str:
        if self.text:
            return self.text
        where = f" ({self.get_government_display()})" if self.government else ""
        return f"{self.get_kind_display()}: {self.value}{where}"


class RequiredDocument(models.Model):
    class Category(models.TextChoices):
        SERVICE = "service", _("Service standard requirement")
        BASIC = "basic", _("Basic evidence")
        ADMINISTRATIVE = "administrative", _("Administrative evidence")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="required_documents")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    name = models.CharField(_("document"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    accepted_kinds = models.JSONField(_("accepted file types"), default=list)  # e.g. ["pdf", "jpeg", "png"]
    min_files = models.PositiveSmallIntegerField(_("at least (files)"), default=1)
    max_files = models.PositiveSmallIntegerField(_("at most (files)"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["scheme", "position"]

    def __str__(self) -> str:
        return self.name


class Qualification(models.Model):
    """A KKNI qualification (one section A..N of a decree such as Kepmenaker 3/2021)."""

    decree = models.ForeignKey(Decree, on_delete=models.PROTECT, related_name="qualifications")
    letter = models.CharField(_("section"), max_length=3)
    title = models.CharField(_("title"), max_length=300)
    subfield = models.CharField(_("subfield"), max_length=200, blank=True)
    group = models.CharField(_("group"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("KKNI level"))
    code_prefix = models.CharField(_("codification"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    work_attitudes = models.TextField(_("work attitudes"), blank=True)
    work_role = models.TextField(_("work role"), blank=True)
    jobs = models.JSONField(_("possible job titles"), default=list, blank=True)
    total_required = models.PositiveSmallIntegerField(_("units required"))
    core_required = models.PositiveSmallIntegerField(_("core units required"))
    elective_required = models.PositiveSmallIntegerField(_("elective units required"))
    codification_line = models.TextField(_("codification line as printed"), blank=True)  # added in 0002

    class Meta:
        verbose_name = _("KKNI qualification")
        verbose_name_plural = _("KKNI qualifications")
        ordering = ["decree", "letter"]
        constraints = [models.UniqueConstraint(fields=["decree", "letter"], name="unique_qualification")]

    def __str__(self) -> str:
        return self.title


class QualificationUnit(models.Model):
    class Kind(models.TextChoices):
        CORE = "core", _("Core")
        ELECTIVE = "elective", _("Elective")

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="listings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="qualification_listings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    code_as_printed = models.CharField(_("code as printed"), max_length=60)
    title_as_printed = models.CharField(_("title as printed"), max_length=400)
    prerequisites = models.JSONField(_("prerequisites as printed"), default=list, blank=True)

    class Meta:
        verbose_name = _("unit listing")
        verbose_name_plural = _("unit listings")
        ordering = ["qualification", "kind", "position"]

    def __str__(self) -> str:
        return f"{self.qualification.letter} {self.kind} {self.code_as_printed}"


class ServiceStandard(models.Model):
    """The published service standard (Standar Pelayanan) with its Maklumat Pelayanan (seed 001).

    One row per published standard; the public page shows the newest published one. Components are rows of
    :class:`ServiceStandardItem` so an LSP admin can edit each without touching the others.
    """

    title = models.CharField(_("title"), max_length=300)
    service_name = models.CharField(_("service"), max_length=300)
    maklumat = models.TextField(_("service pledge (Maklumat Pelayanan)"))
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Versions (seed 003 item 14): a yearly evaluation may publish a new version; the old ones stay as history.
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="next",
                                    verbose_name=_("previous version"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


def _component_key(name: str) -> str:
    return " ".join(name.lower().replace("/", " / ").replace(",", " ").split())


# The fourteen components of a service standard (PermenPANRB 15/2014) under the names seed 001 prints them: the
# standard is written in Indonesian and shown as written, but an English reader gets the components' names in
# English. A component renamed by the LSP admin shows as written in both languages.
COMPONENT_NAMES_EN = {_component_key(k): v for k, v in {
    "Persyaratan": pgettext_lazy("service standard component", "Requirements"),
    "Sistem, Mekanisme dan Prosedur": pgettext_lazy("service standard component", "System, mechanism and procedure"),
    "Jangka Waktu Penyelesaian": pgettext_lazy("service standard component", "Completion time"),
    "Biaya/Tarif": pgettext_lazy("service standard component", "Cost / fee"),
    "Produk Pelayanan": pgettext_lazy("service standard component", "Service product"),
    "Pengelolaan Pengaduan, Saran dan Masukan / Apresiasi": pgettext_lazy(
        "service standard component", "Handling of complaints, suggestions and feedback / appreciation"),
    "Dasar Hukum": pgettext_lazy("service standard component", "Legal basis"),
    "Sarana dan Prasarana dan/atau fasilitas": pgettext_lazy("service standard component", "Facilities and infrastructure"),
    "Kompetensi Pelaksana": pgettext_lazy("service standard component", "Competence of the staff"),
    "Pengawasan Internal": pgettext_lazy("service standard component", "Internal supervision"),
    "Jumlah Pelaksana": pgettext_lazy("service standard component", "Number of staff"),
    "Jaminan Pelayanan": pgettext_lazy("service standard component", "Service guarantee"),
    "Jaminan Keamanan dan Keselamatan Pelayanan": pgettext_lazy("service standard component", "Security and safety guarantee"),
    "Evaluasi Kinerja Pelaksana": pgettext_lazy("service standard component", "Evaluation of the staff's performance"),
}.items()}


class ServiceStandardItem(models.Model):
    class Part(models.TextChoices):
        DELIVERY = "delivery", _("Service delivery")
        MANUFACTURING = "manufacturing", _("Service management")

    standard = models.ForeignKey(ServiceStandard, on_delete=models.CASCADE, related_name="items")
    part = models.CharField(_("part"), max_length=20, choices=Part.choices)
    position = models.PositiveSmallIntegerField(_("number"))
    component = models.CharField(_("component"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    points = models.JSONField(_("points"), default=list, blank=True)  # numbered points, in order

    class Meta:
        verbose_name = _("service standard component")
        verbose_name_plural = _("service standard components")
        ordering = ["standard", "position"]
        constraints = [models.UniqueConstraint(fields=["standard", "position"], name="unique_standard_item")]

    def __str__(self) -> str:
        return f"{self.position}. {self.component}"

    @property
    def component_label(self) -> str:
        """The component's name as the reader reads it: as written in Indonesian, its English name in English."""
        english = COMPONENT_NAMES_EN.get(_component_key(self.component))
        return str(english) if english is not None and (get_language() or "id")[:2] != "id" else self.component


class ServiceEvaluation(models.Model):
    """The yearly evaluation of the service standard and the SOP (seed 003 item 14 point 1: "Evaluasi pelaksanaan
    standar pelayanan dan standar operasional prosedur setidaknya 1 (satu) kali dalam 1 (satu) tahun").

    ``inputs`` is the snapshot of what the portal computed for the year (satisfaction survey, complaint statistics;
    see certportal.evaluation) when the evaluation was recorded. A new version of the service standard published
    from it is ``new_standard``; the evaluated one is ``standard``.
    """

    year = models.PositiveSmallIntegerField(_("year evaluated"))
    held_on = models.DateField(_("date of the evaluation meeting"))
    participants = models.TextField(_("participants"))
    inputs = models.JSONField(_("inputs"), default=list)
    findings = models.TextField(pgettext_lazy("evaluation", "findings"))
    decisions = models.TextField(_("decisions"))
    standard = models.ForeignKey(ServiceStandard, on_delete=models.PROTECT, related_name="evaluations",
                                 verbose_name=_("service standard evaluated"))
    new_standard = models.OneToOneField(ServiceStandard, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="published_by_evaluation",
                                        verbose_name=_("new version published"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("service evaluation")
        verbose_name_plural = _("service evaluations")
        ordering = ["-year", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.year} ({self.held_on})"


# --- decree imports: an uploaded SKKNI or KKNI decree, parsed by a background job, reviewed, then applied ---------

from certportal.files import RandomPath, private_files  # noqa: E402
from certportal.jobs.models import BackgroundJob  # noqa: E402


class ImportJob(BackgroundJob):
    """One decree import (issue 15 point 4): the file is kept in private storage, a worker parses it (queued →
    running → done | failed, the job base of certportal.jobs), the LSP admin reviews the stored parse and applies
    it (done → applied) or discards it (done | failed → discarded). Nothing reaches the catalogue before "applied"."""

    class Kind(models.TextChoices):
        SKKNI = "skkni", _("SKKNI decree")
        KKNI = "kkni", _("KKNI qualifications decree")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", pgettext_lazy("job", "Running")
        DONE = "done", pgettext_lazy("import", "Read, to review")
        FAILED = "failed", _("Failed")
        APPLIED = "applied", pgettext_lazy("import", "Imported")
        DISCARDED = "discarded", pgettext_lazy("import", "Discarded")

    WAITING = (Status.DONE, Status.FAILED)  # waiting for the LSP admin: to review and confirm, or failed

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(storage=private_files, upload_to=RandomPath("decrees"), max_length=300)
    filename = models.CharField(_("file name"), max_length=200)  # as uploaded, shown only (never a path)
    language = models.CharField(max_length=10, default="id")  # the warnings are written in the uploader's language
    total = models.PositiveIntegerField(default=0)  # pages to read (a PDF), 1 for a text
    done = models.PositiveIntegerField(default=0)
    parsed = models.JSONField(null=True, blank=True)  # the stored parse the review page reads
    result = models.TextField(_("result"), blank=True)  # what applying it did, as the importer said it
    digest = models.CharField(max_length=64, blank=True, default="")  # kind + file: one active job per decree sent

    class Meta:
        verbose_name = _("decree import")
        verbose_name_plural = _("decree imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "moved_at"], name="importjob_status_moved_idx")]
        constraints = [models.UniqueConstraint(fields=["created_by", "digest"], condition=models.Q(
            status__in=["queued", "running"]) & ~models.Q(digest=""), name="importjob_one_active_per_file")]

    def __str__(self) -> str:
        decree = (self.parsed or {}).get("decree") or {}
        return f"{decree['number']}/{decree['year']}" if decree.get("number") else self.filename

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("schemes:manage-import", kwargs={"public_id": self.public_id})

    @property
    def percent(self) -> int:
        if self.status not in (self.Status.QUEUED, self.Status.RUNNING):
            return 100
        return min(int(100 * self.done / self.total), 99) if self.total else 0


class EvaluationReading(models.Model):
    """Seed 003 item 14.3 "Hasil evaluasi disampaikan kepada semua aparat penyelenggara pelayanan": the results of a
    yearly evaluation sent to one member of staff, and when they acknowledged reading them."""

    evaluation = models.ForeignKey(ServiceEvaluation, on_delete=models.CASCADE, related_name="readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("member of staff"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("read and acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation results sent")
        verbose_name_plural = _("evaluation results sent")
        constraints = [models.UniqueConstraint(fields=["evaluation", "user"], name="one_reading_per_person")]

    def __str__(self) -> str:
        return f"{self.evaluation} → {self.user}"
