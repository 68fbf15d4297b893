"""Competence of the LSP's personnel and of the service's staff (ISO/IEC 17024 6.1, 6.2.2; BNSP Pedoman 301):

- a :class:`CompetenceCriterion` says what a role requires (education, training, experience, other), kept by the
  LSP administrator or the quality reviewer; a criterion no longer required is retired, never deleted;
- a :class:`CompetenceRecord` is one fact of a person's competence: education, training, work experience, an
  evaluation, the authorisation for a role (who authorised, when, for which role), and for an assessor a witnessed
  assessment, the yearly monitoring and continuing professional development (hours, topic, date); a record may
  name the criterion it shows is met, and carry evidence (:class:`CompetenceEvidence`, a checked private file).

Records have no statuses: each one is recorded once, audited (``quality.competencerecord.added``); what is due
(:mod:`quality.competence.rules`) is read from their dates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certportal.accounts.models import Role
from certportal.files import StoredFile

TEXT_MAX = 1000
HOURS_MAX = 200  # one training or CPD activity: more than five full weeks is a typing error


class CriterionKind(models.TextChoices):
    EDUCATION = "education", _("Education")
    TRAINING = "training", _("Training")
    EXPERIENCE = "experience", _("Work experience")
    OTHER = "other", _("Other requirement")


class CompetenceCriterion(models.Model):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    kind = models.CharField(_("kind of requirement"), max_length=12, choices=CriterionKind.choices)
    requirement = models.TextField(_("requirement"), max_length=TEXT_MAX)
    is_active = models.BooleanField(_("required"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("competence criterion")
        verbose_name_plural = _("competence criteria")
        ordering = ["role", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.requirement[:80]}"


class RecordKind(models.TextChoices):
    EDUCATION = "education", _("Education")
    TRAINING = "training", _("Training")
    EXPERIENCE = "experience", _("Work experience")
    EVALUATION = "evaluation", _("Evaluation of competence")
    AUTHORISATION = "authorisation", _("Authorisation for a role")
    WITNESSING = "witnessing", _("Witnessed assessment")
    MONITORING = "monitoring", _("Monitoring of performance")
    CPD = "cpd", _("Continuing professional development")


class Outcome(models.TextChoices):
    SATISFACTORY = "satisfactory", _("Satisfactory")
    IMPROVE = "improve", _("Satisfactory, with points to improve")
    UNSATISFACTORY = "unsatisfactory", _("Not satisfactory")


class CompetenceRecord(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="competence_records")
    kind = models.CharField(_("kind of record"), max_length=16, choices=RecordKind.choices)
    title = models.CharField(_("title or topic"), max_length=200)
    done_on = models.DateField(_("date"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    criterion = models.ForeignKey(CompetenceCriterion, verbose_name=_("criterion it meets"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="records")
    # who authorised, witnessed, monitored or evaluated: an account of the portal, or the name of someone outside it
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by (account)"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(_("by (name)"), max_length=200, blank=True)
    event = models.ForeignKey("assessments.Event", verbose_name=_("test event"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey("schemes.Scheme", verbose_name=_("scheme"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("competence record")
        verbose_name_plural = _("competence records")
        ordering = ["-done_on", "-pk"]
        indexes = [models.Index(fields=["person", "kind"], name="quality_competence_person_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("quality:competence-person", args=[self.person_id]) + f"#record-{self.pk}"

    @property
    def by(self) -> str:
        return self.by_user.full_name if self.by_user_id else self.by_name


class CompetenceEvidence(StoredFile):
    upload_prefix = "quality/competence"
    record = models.ForeignKey(CompetenceRecord, on_delete=models.PROTECT, related_name="evidence")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence of competence")
        verbose_name_plural = _("evidence of competence")
        ordering = ["pk"]
