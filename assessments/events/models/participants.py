"""Who sits the test and what comes of it: participants, their per-unit results, the pleno that decides, and
appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.events.models.assessors import Assessor
from assessments.events.models.events import Event


class Result(models.TextChoices):
    K = "K", _("Competent (K)")
    BK = "BK", _("Not yet competent (BK)")


class Method(models.TextChoices):
    PORTFOLIO_INTERVIEW = "portfolio_interview", _("Portfolio and interview about the portfolio")
    OBSERVATION_ORAL = "observation_oral", _("Observed demonstration and oral questions")


class ParticipantStatus(models.TextChoices):
    """Where one sitting stands (machine ``assessments.participant.*`` in :mod:`assessments.events.workflow.participants`).

    Presence stays on ``attended`` (recorded with the event's attendance); the status moves when the official
    report locks the results (present: awaiting the decision, absent: absent), at the decision, at an appeal, and
    back to "awaiting decision" when a result is corrected after the lock."""

    NAMED = "named", _("Named for the test")
    ABSENT = "absent", _("Absent from the test")
    AWAITING_DECISION = "awaiting_decision", _("Assessed, awaiting the decision")
    COMPETENT = "competent", _("Decided competent (K)")
    NOT_YET_COMPETENT = "not_yet_competent", _("Decided not yet competent (BK)")
    APPEALED = "appealed", _("Appealed")
    REASSESSMENT = "reassessment", _("Appeal upheld: re-assessment")


class Pleno(models.Model):
    """The meeting (pleno) of one or more committee members that takes the certification decisions of an event's
    participants, none of its members having assessed a participant it decides. It records its members, the day
    it was held, the decree number (*Surat Keputusan*) and each decision (the participants whose ``pleno`` it is);
    closing it issues the decision letter, whose rows are then frozen in ``decisions`` (machine
    ``assessments.pleno.*`` in :mod:`assessments.events.workflow.pleno`). Certificates and the BNSP registration request
    of a participant decided in a pleno refer to its decree."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open: decisions being recorded")
        CLOSED = "closed", _("Closed: decision letter issued")

    DECREE_MAX_LENGTH = 80

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="plenos")
    held_on = models.DateField(_("held on"))
    decree_number = models.CharField(_("decree number"), max_length=DECREE_MAX_LENGTH, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="+")
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decisions = models.JSONField(_("decisions as printed"), default=list, blank=True)
    closed_at = models.DateTimeField(_("pleno closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pleno")
        verbose_name_plural = _("plenos")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Pleno {self.decree_number}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:pleno", args=[self.pk])


class Participant(models.Model):
    """An application taking part in an event (one row per sitting; a re-assessment is a new row)."""

    Status = ParticipantStatus

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="participants")
    application = models.ForeignKey("applicants.Application", on_delete=models.PROTECT,
                                    related_name="participations")
    assessor = models.ForeignKey(Assessor, verbose_name=_("assessor"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="participants")
    reassessment_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="reassessments")
    reassess_units = models.ManyToManyField("schemes.Unit", blank=True, related_name="+")
    attendance_confirmed_at = models.DateTimeField(_("attendance confirmed at"), null=True, blank=True)
    # SOP step 4 ("mendapat kepastian"): a participant who has not confirmed in the portal is reached by the LSP
    # admin, who records how and when (services.events.participant_reached).
    reached_how = models.CharField(_("reached how"), max_length=10, blank=True)
    reached_at = models.DateTimeField(_("reached at"), null=True, blank=True)
    reached_note = models.CharField(_("what was agreed"), max_length=300, blank=True)
    attended = models.BooleanField(_("present"), null=True)
    agreement_accepted_at = models.DateTimeField(_("assessment agreement (FR.AK.01) accepted at"), null=True,
                                                 blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ParticipantStatus.choices,
                              default=ParticipantStatus.NAMED, db_index=True)
    recommendation = models.CharField(_("recommendation"), max_length=2, choices=Result.choices, blank=True)
    decision = models.CharField(_("certification decision"), max_length=2, choices=Result.choices, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    obligations_accepted_at = models.DateTimeField(_("certificate-holder obligations accepted at"), null=True,
                                                   blank=True)
    # which text was accepted: the rules' version, the obligations and rules as read, their SHA-256
    # (assessments.events.holder_rules.accepted_text)
    obligations_accepted = models.JSONField(_("certificate-holder obligations accepted (text)"), default=dict,
                                            blank=True)
    # the pleno that took the decision (optional: a decision may still be taken by one LSP admin on its own)
    pleno = models.ForeignKey(Pleno, verbose_name=_("pleno"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="participants")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event", "application__applicant_name", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "application"], name="unique_event_participant")]
        # the LSP admin's "decisions to take" (assessments.workqueue): counted off an index of those alone
        indexes = [models.Index(fields=["id"], name="participant_to_decide_idx",
                                condition=~models.Q(recommendation="") & models.Q(decision=""))]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.application.applicant_name or self.application.applicant.full_name

    @property
    def method(self) -> str:
        return Method.PORTFOLIO_INTERVIEW if self.application.experienced else Method.OBSERVATION_ORAL

    @property
    def method_text(self) -> str:
        scheme = self.application.scheme
        text = scheme.methods_experienced if self.application.experienced else scheme.methods_inexperienced
        return text or str(Method(self.method).label)


class UnitResult(models.Model):
    """K or BK for one unit of one participant, with the evidence, the method and notes (and, for BK, the
    explanation the participant is entitled to)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("schemes.Unit", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=2, choices=Result.choices)
    method = models.CharField(_("method"), max_length=24, choices=Method.choices)
    evidence = models.TextField(_("evidence"))
    notes = models.TextField(_("notes"), blank=True)
    explanation = models.TextField(_("explanation for the participant"), blank=True)
    carried_over = models.BooleanField(_("carried over from the earlier sitting"), default=False)
    # FR.AK.02: a K whose planned evidence (the plan's instrument records for the unit) is not complete and
    # sufficient carries the assessor's reason why the evidence is enough all the same
    evidence_gap_reason = models.TextField(_("why the evidence suffices though the planned evidence is incomplete"),
                                           blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("unit result")
        verbose_name_plural = _("unit results")
        ordering = ["participant", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["participant", "unit"], name="unique_unit_result")]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.result}"


class Appeal(models.Model):
    """Banding (FR.AK.04 in substance)."""

    class Status(models.TextChoices):
        FILED = "filed", _("Filed")
        DECIDED = "decided", _("Decided")

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", _("Dismissed: the decision stands")
        REASSESS = "reassess", _("Upheld: re-assess the BK units")

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="appeals")
    grounds = models.TextField(_("grounds for the appeal"))
    discussed_with_assessor = models.BooleanField(_("the appeal process was explained by the assessor"),
                                                  default=False)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.FILED)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("reasons for the outcome"), blank=True)
    units = models.ManyToManyField("schemes.Unit", verbose_name=_("units to re-assess"), blank=True,
                                   related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at"]
        # the LSP admin's list (open ones first, newest first): its first page read off the index, each row's
        # participant, event and application then looked up by key (instead of joining every participant)
        indexes = [models.Index(fields=["status", "-filed_at"], name="appeal_list_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.participant}"

