"""Assessors, test events and their SOP steps (seed 002), per-unit results, decisions, appeals, certificates,
result letters, verification look-ups and handovers.

Every status change goes through a service in :mod:`assessments.services` or :mod:`assessments.certificates`.
What is printed on a certificate or result letter is frozen on its row at issue time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certportal import dates
from certportal.accounts.models import Role
from certportal.files import RandomPath
from certportal.jobs.models import BackgroundJob

from .step_time import DAYS, HOURS, MINUTES, StepTiming, standard_label, step_timing


def _private_storage():
    from certportal.files import private_storage

    return private_storage


class Assessor(models.Model):
    """A licensed competency assessor (Asesor Kompetensi)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                                related_name="assessor")
    registration_number = models.CharField(_("registration number"), max_length=60, unique=True)
    licence_valid_until = models.DateField(_("licence valid until"))
    schemes = models.ManyToManyField("schemes.Scheme", verbose_name=_("schemes in scope"), blank=True,
                                     related_name="assessors")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.registration_number})"

    def licence_valid_on(self, day: datetime.date) -> bool:
        return self.is_active and self.licence_valid_until >= day

    def in_scope(self, scheme) -> bool:
        """A scheme is in scope by its code, so a new version of a scheme stays in scope."""
        return self.schemes.filter(code=scheme.code).exists()

    def licence_state(self, today: datetime.date | None = None) -> str:
        """inactive / expired / expiring (within LICENCE_EXPIRING_DAYS) / valid, derived from the date."""
        today = today or timezone.localdate()
        if not self.is_active:
            return "inactive"
        if self.licence_valid_until < today:
            return "expired"
        if self.licence_valid_until <= today + datetime.timedelta(days=LICENCE_EXPIRING_DAYS):
            return "expiring"
        return "valid"

    @property
    def licence_state_label(self) -> str:
        return str(LICENCE_STATES[self.licence_state()])

    @property
    def licence_state_colour(self) -> str:
        return LICENCE_STATE_COLOURS[self.licence_state()]


# An assessor licence is renewed through BNSP, which takes weeks, and events are planned weeks ahead:
# the list warns three months before the licence ends.
LICENCE_EXPIRING_DAYS = 90
LICENCE_STATES = {"valid": _("Valid"), "expiring": _("Expires soon"), "expired": _("Expired"),
                  "inactive": _("Inactive")}
LICENCE_STATE_COLOURS = {"valid": "success", "expiring": "warning", "expired": "danger", "inactive": "secondary"}


class ConflictOfInterest(models.Model):
    """An assessor's declaration that they must not assess this person (e.g. a relative, a direct report)."""

    assessor = models.ForeignKey(Assessor, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.CASCADE,
                               related_name="+")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["assessor", "person"], name="unique_conflict")]

    def __str__(self) -> str:
        return f"{self.assessor} ≠ {self.person}"


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SCHEDULE_SENT = "schedule_sent", _("Schedule sent, assessor confirmed")
    SITE_READY = "site_ready", _("Test site ready")
    REMINDED = "reminded", _("Candidates reminded")
    CONFIRMED = "confirmed", _("Confirmation obtained")
    HELD = "held", _("Test held")
    REPORT_SIGNED = "report_signed", _("Official report (berita acara) signed")
    REVIEWED = "reviewed", _("Reviewed and sent to the LSP")
    ARCHIVED = "archived", _("Archived")


# The eight steps of seed 002: (number, status reached, responsible roles, title, inputs, time standard, output).
# A time standard is (amount, unit) as the SOP writes it ("15 menit", "1 hari", "4 jam"), counted in WORKING time
# (see ``certportal.sla.calendar``): minutes and hours within office hours, days as working days. Step 6 has none.
SOP_STEPS = [
    (1, EventStatus.SCHEDULE_SENT, (Role.LSP_ADMIN,),
     _("Distribute the test schedule to the candidates and confirm the assessor"),
     _("List of test candidates"), (15, MINUTES),
     _("Recap of candidates and schedule, confirmation from the assessor")),
    (2, EventStatus.SITE_READY, (Role.TUK_HEAD,),
     _("Prepare the facilities and the test site, coordinate with the assessor"),
     _("List of candidates, test schedule, facility readiness form"), (1, DAYS),
     _("Facilities and test site prepared")),
    (3, EventStatus.REMINDED, (Role.LSP_ADMIN,),
     _("Remind the candidates of the test"),
     _("List of candidates, test schedule, facility readiness form"), (1, DAYS),
     _("Information on the readiness of the facilities and test site")),
    (4, EventStatus.CONFIRMED, (Role.LSP_ADMIN,),
     _("Obtain confirmation that the test will take place"),
     _("List of test candidates"), (15, MINUTES), _("Confirmation obtained")),
    (5, EventStatus.HELD, (Role.ASSESSOR, Role.TUK_HEAD),
     _("Hold the test: attendance of participants and assessors, documentation"),
     _("List of candidates, attendance of participants, attendance of assessors"), (1, DAYS),
     _("Test held")),
    (6, EventStatus.REPORT_SIGNED, (Role.ASSESSOR, Role.TUK_HEAD),
     _("Collect the results and sign the official report (berita acara)"),
     _("Test result files and the official report form"), None,
     _("Test result files, documentation and official report")),
    (7, EventStatus.REVIEWED, (Role.TUK_HEAD, Role.QUALITY),
     _("Review the event and send the results with a recommendation to the LSP"),
     _("Test result files, official report form, minutes of meeting"), (4, HOURS),
     _("Test result files and official report")),
    (8, EventStatus.ARCHIVED, (Role.LSP_ADMIN,),
     _("Archive the attendance lists, the official report and the minutes of meeting"),
     _("Test result files and official report form"), (4, HOURS),
     _("Test result files and official report archived")),
]
STEP_BY_NUMBER = {s[0]: s for s in SOP_STEPS}
STATUS_ORDER = [EventStatus.PLANNED] + [s[1] for s in SOP_STEPS]
LOCKED_STATUSES = {EventStatus.REPORT_SIGNED, EventStatus.REVIEWED, EventStatus.ARCHIVED}


class Event(models.Model):
    """A test event (uji kompetensi) at one TUK for one scheme."""

    scheme = models.ForeignKey("schemes.Scheme", verbose_name=_("scheme"), on_delete=models.PROTECT,
                               related_name="events")
    test_site = models.ForeignKey("schemes.TestSite", verbose_name=_("test site (TUK)"), on_delete=models.PROTECT,
                                  related_name="events")
    starts_at = models.DateTimeField(_("date and time"))
    place_note = models.CharField(_("room / notes on the place"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED,
                              db_index=True)
    minutes = models.TextField(_("minutes of meeting"), blank=True)
    # SOP step 1 in two acts: the admin distributes the schedule, then every assessor confirms (EventAssessor).
    schedule_distributed_at = models.DateTimeField(_("schedule distributed at"), null=True, blank=True)
    # FR.MAPA.01: the plan in force for the scheme when the event was planned (never changed under the event);
    # None for an event planned while its scheme had no validated plan (results then rest on free-text evidence)
    plan = models.ForeignKey("assessments.AssessmentPlan", verbose_name=_("assessment plan"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="events")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("test event")
        verbose_name_plural = _("test events")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scheme.code} — {dates.wib(self.starts_at)}"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    def reached(self, status: str) -> bool:
        return STATUS_ORDER.index(self.status) >= STATUS_ORDER.index(status)


class ConfirmedHow(models.TextChoices):
    """How an assessor confirmed their assignment (SOP step 1)."""

    PORTAL = "portal", _("in the portal, by the assessor")
    PHONE = "phone", _("by telephone")
    LETTER = "letter", _("by letter")
    EMAIL = "email", _("by e-mail")
    MESSAGE = "message", _("by message (WhatsApp/SMS)")
    IN_PERSON = "in_person", _("in person")


class EventAssessor(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_assessors")
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="event_links")
    confirmed_at = models.DateTimeField(_("schedule confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmation recorded by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_how = models.CharField(_("confirmed how"), max_length=20, choices=ConfirmedHow.choices, blank=True)
    confirmed_note = models.CharField(_("confirmation note"), max_length=300, blank=True)
    attended = models.BooleanField(_("present"), null=True)
    signed_report_at = models.DateTimeField(_("signed the official report at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event assessor")
        verbose_name_plural = _("event assessors")
        constraints = [models.UniqueConstraint(fields=["event", "assessor"], name="unique_event_assessor")]

    def __str__(self) -> str:
        return str(self.assessor)


class EventStep(models.Model):
    """One of the eight SOP steps of an event: who did it, when, and how long it took against the standard."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("SOP step")
        verbose_name_plural = _("SOP steps")
        ordering = ["event", "number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="unique_event_step")]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.number}"

    @property
    def definition(self):
        return STEP_BY_NUMBER[self.number]

    @property
    def title(self):
        return self.definition[3]

    @property
    def responsible(self) -> list[str]:
        return [str(Role(r).label) for r in self.definition[2]]

    @property
    def inputs(self):
        return self.definition[4]

    @property
    def standard(self) -> tuple[int, str] | None:
        """(amount, unit) as the SOP writes it, e.g. (1, "days"); None when the SOP gives no time."""
        return self.definition[5]

    @property
    def output(self):
        return self.definition[6]

    @property
    def standard_label(self) -> str:
        return standard_label(self.standard)

    @property
    def timing(self) -> StepTiming | None:
        """The working time this step took and whether it overran its standard (None while not done)."""
        if not (self.done_at and self.started_at):
            return None
        if "_timing" not in self.__dict__:
            self.__dict__["_timing"] = step_timing(self.standard, self.started_at, self.done_at)
        return self.__dict__["_timing"]


class EventReview(models.Model):
    """One sign-off of SOP step 7 by one of the reviewing roles the SOP names (Kepala TUK, quality management)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reviews")
    role = models.CharField(_("as"), max_length=30, choices=Role.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(_("signed at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("event review sign-off")
        verbose_name_plural = _("event review sign-offs")
        ordering = ["event", "signed_at"]
        constraints = [models.UniqueConstraint(fields=["event", "role"], name="unique_event_review_role")]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.role}"


class Result(models.TextChoices):
    K = "K", _("Competent (K)")
    BK = "BK", _("Not yet competent (BK)")


class Method(models.TextChoices):
    PORTFOLIO_INTERVIEW = "portfolio_interview", _("Portfolio and interview about the portfolio")
    OBSERVATION_ORAL = "observation_oral", _("Observed demonstration and oral questions")


class ParticipantStatus(models.TextChoices):
    """Where one sitting stands (machine ``assessments.participant.*`` in :mod:`assessments.workflow.participants`).

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
    ``assessments.pleno.*`` in :mod:`assessments.workflow.pleno`). Certificates and the BNSP registration request
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
    # the pleno that took the decision (optional: a decision may still be taken by one LSP admin on its own)
    pleno = models.ForeignKey(Pleno, verbose_name=_("pleno"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="participants")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event", "application__applicant_name", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "application"], name="unique_event_participant")]

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

    def __str__(self) -> str:
        return f"#{self.pk} {self.participant}"


class CertificateSequence(models.Model):
    """The last number used per year and document kind (locked with select_for_update when numbering)."""

    kind = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="unique_sequence")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class Certificate(models.Model):
    """A competency certificate. Never deleted; expiry is derived from the date, not stored by a job."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", pgettext_lazy("certificate", "Withdrawn")

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="certificates")
    application = models.ForeignKey("applicants.Application", on_delete=models.PROTECT,
                                    related_name="certificates")
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
    # BNSP's numbers, recorded after issue (assessments.certificates.bnsp): printed and shown on verification.
    bnsp_registration_number = models.CharField(_("BNSP registration number"), max_length=60, unique=True,
                                                null=True, blank=True)
    blanko_number = models.CharField(_("blanko number"), max_length=60, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-sequence"]
        # the LSP admin's list walks this order: its first page comes off the index (issue 17)
        indexes = [models.Index(fields=["-issued_on", "-sequence"], name="cert_list_order_idx")]

    def __str__(self) -> str:
        return self.number

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
        if today > self.expires_on:
            return "expired"
        if self.status == self.Status.SUSPENDED and (self.suspended_until is None or today <= self.suspended_until):
            return "suspended"
        return "valid"


CERTIFICATE_STATES = {
    "valid": _("Valid"), "expired": _("Expired"), "suspended": _("Suspended"), "withdrawn": pgettext_lazy("certificate", "Withdrawn"),
}
STATE_COLOURS = {"valid": "success", "expired": "secondary", "suspended": "warning", "withdrawn": "danger"}


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
    file = models.FileField(storage=_private_storage, upload_to=RandomPath("assessments"), blank=True,
                            max_length=300)
    # Chunked printing: the event is rendered in ``parts_total`` chunks by separate tasks; ``parts`` lists the
    # chunks done (so a chunk delivered twice is counted once); the last one merges them.
    parts_total = models.PositiveIntegerField(default=0)
    parts = models.JSONField(default=list, blank=True)
    # Who the job did not print and why, as codes ({"participant", "name", "code", "detail"}): read in the
    # reader's language (see certificates.printing.skip_reason).
    skipped = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def produced_nothing(self) -> bool:
        return self.status == self.Status.DONE and self.total == 0

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)


# Seed 002 steps 2 and 5 (readiness checklist, documentation): kept in their own module, registered here.
# FR.AK.03, the participant's feedback on the assessment: its own module too.
from .feedback_models import AssessmentFeedback  # noqa: E402, F401

# Issue 19: the plan, the instruments and question bank, FR.VA; the instrument records and the other FR.AK forms.
from .plan_models import (  # noqa: E402, F401
    AssessmentPlan,
    BankItem,
    InstrumentValidation,
    PlanEvidence,
    SchemeInstrument,
)
from .readiness_models import EventDocumentation, ReadinessCheck  # noqa: E402, F401
from .record_models import (  # noqa: E402, F401
    AgreementConsent,
    AssessmentReview,
    AssessorReport,
    InstrumentRecord,
    ReasonableAdjustment,
    WrittenTest,
)


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

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


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


class SurveillanceFile(models.Model):
    """A document of a surveillance report, checked and stored like a dossier file (certportal.files)."""

    report = models.ForeignKey(SurveillanceReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=_private_storage, upload_to=RandomPath("surveillance"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("surveillance document")
        verbose_name_plural = _("surveillance documents")

    def __str__(self) -> str:
        return self.original_name
