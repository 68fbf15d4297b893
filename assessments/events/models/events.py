"""The test event (uji kompetensi) and the eight steps of SOP 002 it follows: its assessors, its steps with their
time standards, and the step-7 review sign-offs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from assessments.events.models.assessors import Assessor
from assessments.events.step_time import DAYS, HOURS, MINUTES, StepTiming, standard_label, step_timing
from certportal import dates
from certportal.accounts.models import Role


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
    # Seed 002: the version of the SOP in force when the event was planned (named on the event's page)
    procedure = models.ForeignKey("assessments.Procedure", verbose_name=_("procedure followed"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="events")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("test event")
        verbose_name_plural = _("test events")
        ordering = ["-starts_at", "-id"]
        # the LSP admin's list in its order: its first page is 25 index entries, not a sort of every event
        indexes = [models.Index(F("starts_at").desc(), F("id").desc(), name="event_list_order_idx")]

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

