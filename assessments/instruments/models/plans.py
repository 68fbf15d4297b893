"""What an assessment is planned with, per scheme version (issue 19): the instruments BNSP's forms name, which of
them a scheme uses, the assessment plan (FR.MAPA.01, with its instrument map FR.MAPA.02), the question bank per
unit (confidential: :mod:`assessments.instruments.selectors`), and the validation of a scheme's instruments (FR.VA).

Imported by models.py; written only by the services (``assessments.instruments.services.plans``, ``...bank``,
``...validation``). A plan is a state machine (``assessments.assessmentplan.*``): draft → validated (in force) →
superseded; an event keeps the plan in force when it was planned (``Event.plan``), so a later plan never changes
a running event."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Instrument(models.TextChoices):
    """BNSP's assessment instruments (FR.IA), by form code. The value is the code printed on the form."""

    IA01 = "IA.01", _("Observation checklist")
    IA02 = "IA.02", _("Practical demonstration task")
    IA03 = "IA.03", _("Questions supporting the observation")
    IA05 = "IA.05", _("Written multiple-choice test")
    IA06 = "IA.06", _("Written essay questions")
    IA07 = "IA.07", _("Oral questions")
    IA08 = "IA.08", _("Portfolio verification")
    IA09 = "IA.09", _("Interview")
    IA10 = "IA.10", _("Third-party clarification")
    IA11 = "IA.11", _("Product review")


# The method abbreviations FR.MAPA.01 prints for each instrument (CL = ceklis observasi, DIT = demonstrasi/tugas,
# PMO, DPT = daftar pertanyaan tertulis, DPL = daftar pertanyaan lisan, VP = verifikasi portofolio, PW, VPK, CRP).
INSTRUMENT_METHOD = {
    Instrument.IA01: "CL", Instrument.IA02: "DIT", Instrument.IA03: "PMO", Instrument.IA05: "DPT",
    Instrument.IA06: "DPT", Instrument.IA07: "DPL", Instrument.IA08: "VP", Instrument.IA09: "PW",
    Instrument.IA10: "VPK", Instrument.IA11: "CRP",
}
# Instruments whose items come from the question bank (the others are filled against the KUK or the documents).
BANK_INSTRUMENTS = (Instrument.IA02, Instrument.IA03, Instrument.IA05, Instrument.IA06, Instrument.IA07,
                    Instrument.IA09, Instrument.IA10, Instrument.IA11)


class EvidenceType(models.TextChoices):
    """FR.MAPA.01's kinds of evidence: L (langsung), TL (tidak langsung), T (tambahan)."""

    DIRECT = "L", _("Direct (L)")
    INDIRECT = "TL", _("Indirect (TL)")
    SUPPLEMENTARY = "T", _("Supplementary (T)")


class CandidateGroup(models.TextChoices):
    """The candidate potential (*potensi asesi*) the plan's map distinguishes: BNSP's five, numbered 1 to 5 on
    FR.MAPA.02 in this order. Seed 000 divides applicants by experience only: an experienced civil servant is an
    experienced worker from a workplace run on the standard (3), one not yet experienced a graduate of
    competency-based training (1) (:func:`assessments.instruments.services.plans.participant_group`); the other
    potentials can be planned for. Migration 0021 moved the two old values ("experienced", "inexperienced") there."""

    TRAINING_STD = "training_std", _("Training or education graduate, curriculum and practice facilities traceable "
                                     "to the competency standard")
    TRAINING = "training", _("Training or education graduate, curriculum not yet competency-based")
    WORKER_STD = "worker_std", _("Experienced worker from a workplace whose operations are traceable to the "
                                 "competency standard")
    WORKER = "worker", _("Experienced worker from a workplace whose operations are not yet competency-based")
    SELF_TAUGHT = "self_taught", _("Self-directed learning or self-taught")


# The potentials participants are given (seed 000's experienced / not yet experienced): a plan covers each for
# every unit before it is validated; the other three are planned for where the LSP wishes.
PARTICIPANT_GROUPS = (CandidateGroup.TRAINING_STD, CandidateGroup.WORKER_STD)

# The two values before BNSP's five (migration 0021 maps them; seed 000's experienced / not yet experienced).
OLD_GROUPS = {"experienced": CandidateGroup.WORKER_STD.value, "inexperienced": CandidateGroup.TRAINING_STD.value}

# Seed 000: experienced applicants by portfolio and an interview about it, the others by an observed demonstration
# and oral questions. (group, instrument, evidence type, evidence as the default plan words it — Indonesian data).
DEFAULT_PLAN_ROWS = [
    (CandidateGroup.WORKER_STD, Instrument.IA08, EvidenceType.INDIRECT,
     "Portofolio: dokumen bukti kerja yang diunggah asesi pada FR.APL.02"),
    (CandidateGroup.WORKER_STD, Instrument.IA09, EvidenceType.SUPPLEMENTARY,
     "Jawaban wawancara tentang portofolio"),
    (CandidateGroup.TRAINING_STD, Instrument.IA01, EvidenceType.DIRECT,
     "Hasil observasi demonstrasi terhadap setiap KUK"),
    (CandidateGroup.TRAINING_STD, Instrument.IA07, EvidenceType.SUPPLEMENTARY,
     "Jawaban pertanyaan lisan"),
]


class SchemeInstrument(models.Model):
    """An instrument a scheme uses (the LSP admin's configuration). A scheme with none configured uses the
    default plan's four (seed 000)."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="instrument_settings")
    instrument = models.CharField(_("instrument"), max_length=5, choices=Instrument.choices)

    class Meta:
        verbose_name = _("instrument used by a scheme")
        verbose_name_plural = _("instruments used by schemes")
        constraints = [models.UniqueConstraint(fields=["scheme", "instrument"], name="unique_scheme_instrument")]

    def __str__(self) -> str:
        return f"{self.scheme_id}: {self.instrument}"


class AssessmentPlan(models.Model):
    """FR.MAPA.01 (with FR.MAPA.02, its instrument map) for one scheme version: made by an assessor, validated by
    a second one, then in force until a newer plan of the same scheme is validated. Frozen once validated
    (``snapshot`` is what its PDF prints)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan", "Draft")
        VALIDATED = "validated", _("Validated: in force")
        SUPERSEDED = "superseded", _("Superseded by a newer plan")

    class Purpose(models.TextChoices):
        CERTIFICATION = "certification", _("Certification")
        RECERTIFICATION = "recertification", _("Re-certification")
        RPL = "rpl", _("Recognition of prior learning (RPL)")
        CURRENT = "current", _("Recognition of current competency (PKT)")
        OTHER = "other", _("Other")

    scheme = models.ForeignKey("schemes.Scheme", verbose_name=_("scheme"), on_delete=models.PROTECT,
                               related_name="assessment_plans")
    number = models.PositiveSmallIntegerField(_("plan version"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    # the approach (FR.MAPA.01 part 1)
    candidate_group = models.TextField(_("candidate group"), blank=True)
    purpose = models.CharField(_("purpose of the assessment"), max_length=20, choices=Purpose.choices,
                               default=Purpose.CERTIFICATION)
    context = models.TextField(_("context of the assessment"), blank=True)
    confirmed_with = models.TextField(_("confirmed with the relevant people"), blank=True)
    benchmarks = models.TextField(_("benchmarks and tolerances"), blank=True)
    # FR.IA.05 as this plan sets it
    written_questions_per_unit = models.PositiveSmallIntegerField(_("multiple-choice questions per unit"), default=5)
    written_minutes = models.PositiveSmallIntegerField(_("time for the multiple-choice test (minutes)"), default=30)
    written_pass_percent = models.PositiveSmallIntegerField(_("pass mark of the multiple-choice test (%)"),
                                                            default=70)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT,
                                related_name="+")
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("validated by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    snapshot = models.JSONField(_("printed data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("assessment plan (FR.MAPA.01)")
        verbose_name_plural = _("assessment plans (FR.MAPA.01)")
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="unique_plan_number"),
            models.UniqueConstraint(fields=["scheme"], condition=models.Q(status="validated"),
                                    name="one_plan_in_force_per_scheme"),
        ]

    def __str__(self) -> str:
        return f"FR.MAPA.01 {self.scheme.code} v{self.number}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:plan", args=[self.pk])

    def rows_for(self, unit_id: int, group: str) -> list["PlanEvidence"]:
        return [r for r in self.evidence.all() if r.unit_id == unit_id and r.group == group]


class PlanEvidence(models.Model):
    """One row of the plan: for one unit and one candidate group, a piece of evidence, its type and the instrument
    that collects it. The instrument map (FR.MAPA.02) is these rows read by instrument."""

    plan = models.ForeignKey(AssessmentPlan, on_delete=models.CASCADE, related_name="evidence")
    unit = models.ForeignKey("schemes.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("candidate group"), max_length=16, choices=CandidateGroup.choices)
    instrument = models.CharField(_("instrument"), max_length=5, choices=Instrument.choices)
    evidence_type = models.CharField(_("type of evidence"), max_length=2, choices=EvidenceType.choices)
    evidence = models.TextField(_("evidence"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("planned evidence")
        verbose_name_plural = _("planned evidence")
        ordering = ["plan", "unit_id", "group", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "unit", "group", "instrument"],
                                               name="unique_plan_evidence")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.unit_id}/{self.group}/{self.instrument}"


class BankItem(models.Model):
    """One item of a unit's question bank for one instrument: a multiple-choice question with its options and key
    (FR.IA.05), an essay, oral, interview, supporting or third-party question with the expected answer (IA.06,
    IA.07, IA.09, IA.03, IA.10), a practical task with its scenario, tools and time (IA.02), or a product to
    review with its criteria (IA.11). Confidential: seen only by the scheme's assessors and LSP admins (each
    access audited) and, for IA.05, by a participant during their own test (without the key)."""

    unit = models.ForeignKey("schemes.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="bank_items")
    instrument = models.CharField(_("instrument"), max_length=5, choices=Instrument.choices)
    criterion = models.ForeignKey("schemes.PerformanceCriterion", verbose_name=_("performance criterion (KUK)"),
                                  null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("question or task"))
    options = models.JSONField(_("options"), default=list, blank=True)  # IA.05: the answer options, in order
    key = models.PositiveSmallIntegerField(_("correct option"), null=True, blank=True)  # IA.05: index in options
    expected = models.TextField(_("expected answer or criteria"), blank=True)
    tools = models.TextField(_("tools and materials"), blank=True)  # IA.02
    minutes = models.PositiveSmallIntegerField(_("time (minutes)"), null=True, blank=True)  # IA.02
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("question bank item")
        verbose_name_plural = _("question bank items")
        ordering = ["unit_id", "instrument", "position", "id"]
        # the bank's list of a unit and instrument in its order, a page at a time (and its counts, index-only)
        indexes = [models.Index(fields=["unit", "instrument", "is_active", "position", "id"],
                                name="bank_items_order_idx")]

    def __str__(self) -> str:
        return f"{self.instrument} #{self.pk}"


class BankKeeper(models.Model):
    """A person the LSP admin assigns to keep a scheme's question bank (every version of the scheme's code): they
    read its keys and expected answers and write its items, as does an assessor on an event of the scheme; an
    assessor merely in scope reads the questions without them (``assessments.instruments.selectors``)."""

    scheme = models.ForeignKey("schemes.Scheme", verbose_name=_("scheme"), on_delete=models.CASCADE,
                               related_name="bank_keepers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("bank keeper"), on_delete=models.CASCADE,
                             related_name="bank_keeps")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question bank keeper")
        verbose_name_plural = _("question bank keepers")
        ordering = ["user__full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "user"], name="unique_bank_keeper")]

    def __str__(self) -> str:
        return f"{self.user} · {self.scheme_id}"


class InstrumentValidation(models.Model):
    """FR.VA: a validation of a scheme's instruments by its validators before (or while) they are used: which
    instruments were reviewed, each aspect's finding, the recommendations, and who signed."""

    scheme = models.ForeignKey("schemes.Scheme", verbose_name=_("scheme"), on_delete=models.PROTECT,
                               related_name="instrument_validations")
    held_on = models.DateField(_("held on"))
    instruments = models.JSONField(_("instruments validated"), default=list)  # instrument codes
    validators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("validators"), related_name="+")
    findings = models.JSONField(_("findings per aspect"), default=list)  # [{aspect, met: bool, note}]
    recommendations = models.TextField(_("recommendations"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    signed_name = models.CharField(_("name typed as signature"), max_length=200)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("instrument validation (FR.VA)")
        verbose_name_plural = _("instrument validations (FR.VA)")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"FR.VA {self.scheme.code} {self.held_on}"
