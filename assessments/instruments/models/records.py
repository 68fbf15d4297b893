"""The records of an assessment itself (issue 19): the instrument records per participant, unit and instrument
(FR.IA.01–11), the browser multiple-choice test (FR.IA.05), each party's electronic consent to the assessment
agreement (FR.AK.01), reasonable adjustments (FR.AK.07), the assessor's report (FR.AK.05) and the review
(FR.AK.06). FR.AK.02 is the unit results (``UnitResult``) read with the instrument records behind them, FR.AK.03
the participant's feedback (:mod:`.feedback`).

Imported by models.py; written only by the services (``assessments.instruments.services.instruments``, ``...written_test``,
``...records``). Whatever a form prints is frozen on its row when it is signed (``snapshot``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.instruments.models.plans import Instrument


class InstrumentRecord(models.Model):
    """One instrument filled for one participant and one unit (machine ``assessments.instrumentrecord.*``:
    draft → signed). ``entries`` is one dict per row of the paper form, in order:

    - IA.01: ``{"criterion", "element", "text", "achieved": true|false|null, "note"}`` per KUK;
    - IA.08: ``{"document", "name", "files", "valid", "authentic", "current", "sufficient", "note"}`` per document;
    - IA.05: ``{"item", "text", "chosen", "correct": bool}`` per question drawn (from :class:`WrittenTest`);
    - the bank instruments: ``{"item", "text", "expected", "answer", "satisfactory": true|false|null}`` per item.

    ``outcome`` (whether the evidence this instrument gave is sufficient) is set when it is signed."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("record", "Being filled in")
        SIGNED = "signed", pgettext_lazy("record", "Signed")

    class Outcome(models.TextChoices):
        SATISFACTORY = "satisfactory", _("Sufficient")
        NOT_SATISFACTORY = "not_satisfactory", _("Not sufficient")

    participant = models.ForeignKey("assessments.Participant", on_delete=models.PROTECT,
                                    related_name="instrument_records")
    unit = models.ForeignKey("schemes.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField(_("instrument"), max_length=5, choices=Instrument.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    entries = models.JSONField(_("entries"), default=list, blank=True)
    # IA.02 / IA.11: what was set and observed besides the entries ({"scenario", "tools", "minutes", ...})
    details = models.JSONField(_("details"), default=dict, blank=True)
    notes = models.TextField(_("notes and feedback to the participant"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_name = models.CharField(_("name typed as signature"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    snapshot = models.JSONField(_("printed data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("instrument record")
        verbose_name_plural = _("instrument records")
        ordering = ["participant", "unit_id", "instrument"]
        constraints = [models.UniqueConstraint(fields=["participant", "unit", "instrument"],
                                               name="unique_instrument_record")]

    def __str__(self) -> str:
        return f"FR.{self.instrument} {self.participant_id}/{self.unit_id}"


class WrittenTest(models.Model):
    """FR.IA.05 taken in the browser by one participant: the questions drawn for them when they start (per unit of
    the plan that asks for it), the option order shown to them, their answers as they autosave, the deadline,
    and the score when they submit (or when the time runs out). Machine ``assessments.writtentest.*``."""

    class Status(models.TextChoices):
        RUNNING = "running", _("In progress")
        SUBMITTED = "submitted", pgettext_lazy("test", "Submitted")

    participant = models.OneToOneField("assessments.Participant", on_delete=models.PROTECT,
                                       related_name="written_test")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    # [{"item": id, "unit": id, "order": [option indexes as shown]}], in the order shown
    questions = models.JSONField(_("questions drawn"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)  # {str(item id): shown option index}
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("time runs out at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    timed_out = models.BooleanField(_("submitted when the time ran out"), default=False)
    correct = models.PositiveSmallIntegerField(_("correct answers"), null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("questions"), default=0)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("written test (FR.IA.05)")
        verbose_name_plural = _("written tests (FR.IA.05)")

    def __str__(self) -> str:
        return f"FR.IA.05 {self.participant_id}"


class WrittenAnswer(models.Model):
    """One change of one answer of a written test, as the participant autosaved it (or sent it with the submit):
    every change stays, append-only, so an auditor sees the final answer per question with its time and each
    answer before it. The audit trail keeps the test's own acts (started, submitted or closed when the time ran
    out, the answer sheet read), not one row per click."""

    test = models.ForeignKey(WrittenTest, on_delete=models.PROTECT, related_name="changes")
    item = models.PositiveIntegerField(_("question"))  # the bank item's id, as in ``WrittenTest.questions``
    choice = models.PositiveSmallIntegerField(_("answer"))  # the option's index as shown to the participant
    at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("answer change (FR.IA.05)")
        verbose_name_plural = _("answer changes (FR.IA.05)")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["test", "item", "at"], name="writtenanswer_test_item_at")]

    def __str__(self) -> str:
        return f"{self.test_id}/{self.item}: {self.choice}"


class AgreementConsent(models.Model):
    """One party's electronic consent to FR.AK.01 (the participant's or their assessor's): the name typed as the
    signature, the time, the client address, and the evidence list and terms as they were shown."""

    class Party(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        ASSESSOR = "assessor", _("Assessor")

    participant = models.ForeignKey("assessments.Participant", on_delete=models.PROTECT, related_name="consents")
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_name = models.CharField(_("name typed as signature"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    snapshot = models.JSONField(_("agreement as shown"), default=dict)

    class Meta:
        verbose_name = _("assessment agreement consent (FR.AK.01)")
        verbose_name_plural = _("assessment agreement consents (FR.AK.01)")
        ordering = ["participant", "signed_at"]
        constraints = [models.UniqueConstraint(fields=["participant", "party"], name="one_consent_per_party")]

    def __str__(self) -> str:
        return f"FR.AK.01 {self.participant_id} {self.party}"


class ReasonableAdjustment(models.Model):
    """FR.AK.07: the participant's particular needs and the adjustments to the assessment, recorded by the
    assessor before the test starts (never after)."""

    participant = models.OneToOneField("assessments.Participant", on_delete=models.PROTECT,
                                       related_name="adjustment")
    needs = models.JSONField(_("needs"), default=list)  # codes of FR.AK.07's checklist
    needs_note = models.TextField(_("the participant's needs"), blank=True)
    adjustments = models.TextField(_("adjustments to the assessment"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    signed_name = models.CharField(_("name typed as signature"), max_length=200)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("reasonable adjustment (FR.AK.07)")
        verbose_name_plural = _("reasonable adjustments (FR.AK.07)")

    def __str__(self) -> str:
        return f"FR.AK.07 {self.participant_id}"


class AssessorReport(models.Model):
    """FR.AK.05: one assessor's report on an event, signed once every participant they assessed has all results.
    ``snapshot``: the participants with their unit results and recommendation as reported."""

    event = models.ForeignKey("assessments.Event", on_delete=models.PROTECT, related_name="assessor_reports")
    assessor = models.ForeignKey("assessments.Assessor", on_delete=models.PROTECT, related_name="reports")
    aspects = models.TextField(_("positive and negative aspects of the assessment"), blank=True)
    rejections = models.TextField(_("rejections of the assessment result recorded"), blank=True)
    improvements = models.TextField(_("suggestions for improvement"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    signed_name = models.CharField(_("name typed as signature"), max_length=200)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    snapshot = models.JSONField(_("printed data"), default=dict)

    class Meta:
        verbose_name = _("assessor's report (FR.AK.05)")
        verbose_name_plural = _("assessors' reports (FR.AK.05)")
        constraints = [models.UniqueConstraint(fields=["event", "assessor"], name="one_report_per_assessor")]

    def __str__(self) -> str:
        return f"FR.AK.05 {self.event_id}/{self.assessor_id}"


class AssessmentReview(models.Model):
    """FR.AK.06: quality management's review of an event's assessment (the process against the principles of
    assessment and the rules of evidence, and the decision against the plan), with recommendations."""

    event = models.OneToOneField("assessments.Event", on_delete=models.PROTECT, related_name="assessment_review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("findings per aspect"), default=list)  # [{aspect, text, met: bool, note}]
    recommendations = models.TextField(_("recommendations for improvement"), blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    signed_name = models.CharField(_("name typed as signature"), max_length=200)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment review (FR.AK.06)")
        verbose_name_plural = _("assessment reviews (FR.AK.06)")

    def __str__(self) -> str:
        return f"FR.AK.06 {self.event_id}"
