"""Complaints and suggestions (seed 003 item 6, seed 001 item 6) and the satisfaction survey (SKM).

A complaint links to other records only by reference (``"certificate:123"``, a scheme code): this app imports
the core and nothing else. Every status change goes through :mod:`complaints.services`.
"""

import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certportal.files import StoredFile

# The kept report and satisfaction figures and the list's counts (certportal/figures.py; forgotten by any change, see
# apps.py).
FIGURES = "complaints"

class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLASSIFIED = "classified", _("Classified")
    IN_ANALYSIS = "in_analysis", _("In analysis")
    ROUTED = "routed", _("Routed for resolution")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# The allowed arrows, who may take them and their guards are declared in complaints/workflow.py.
OPEN_STATES = [Status.RECEIVED, Status.CLASSIFIED, Status.IN_ANALYSIS, Status.ROUTED]


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class Rule(models.TextChoices):
    """Why intake classified the record as it did (seed 003 item 6, points 2, 3 and 5b)."""

    NO_IDENTITY = "no_identity", _("No identity of the complainant was given, so it is treated as a suggestion.")
    NO_OBJECT = "no_object", _("No object of the complaint was given, so it is treated as a suggestion.")
    LATE = "late", _("Filed more than 30 calendar days after the service was received, so it is treated as a "
                     "suggestion.")
    COMPLAINT = "complaint", _("Identity and object are given and it was filed within 30 calendar days of the "
                               "service, so it is a complaint.")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    IN_PERSON = "in_person", _("In person")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")
    HELPDESK = "helpdesk", _("Helpdesk / service officer")  # seed 001 item 6, point 3
    SOCIAL_MEDIA = "social_media", _("Social media")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    COMPLAINT_BOX = "complaint_box", _("Complaint box")


class Service(models.TextChoices):
    """The service (sector/type) a complaint is about, as the officer classifies it."""

    APPLICATION = "application", _("Application and verification")
    TEST = "test", _("Competency test")
    CERTIFICATE = "certificate", _("Certificate and result letter")
    VERIFICATION = "verification", _("Certificate verification")
    INFORMATION = "information", _("Information and portal")
    OTHER = "other", _("Other")


class Component(models.TextChoices):
    REQUIREMENTS = "requirements", _("Requirements")
    PROCEDURE = "procedure", _("System, mechanism and procedure")
    TIME = "time", _("Completion time")
    COST = "cost", _("Cost")
    PRODUCT = "product", _("Product")
    FACILITIES = "facilities", _("Facilities")
    COMPETENCE = "competence", _("Staff competence")
    CONDUCT = "conduct", _("Staff conduct")
    HANDLING = "handling", _("Complaint handling")
    OTHER = "other", _("Other")


class Route(models.TextChoices):
    INTERNAL = "internal", _("Inside the office (level by level up to the head)")
    TECHNICAL = "technical", _("Technical team or another agency")
    APIP = "apip", _("Internal government auditor (APIP)")


class Level(models.IntegerChoices):
    """The ladder an internal route climbs, one level at a time, up to the head."""

    OFFICER = 1, _("Implementing officer")
    SECTION = 2, _("Head of section")
    DIVISION = 3, _("Head of division")
    HEAD = 4, _("Head of the agency")


def phone_key(phone: str) -> str:
    """Digits only, with +62/62 written as 0, so "+62 812-3456" and "0812 3456" match."""
    digits = re.sub(r"\D", "", phone or "")
    return ("0" + digits[2:] if digits.startswith("62") else digits)[:20]


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class Complaint(models.Model):
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    rule = models.CharField(_("classification rule"), max_length=12, choices=Rule.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    # The complainant (all optional: identity is not required to be heard).
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_key = models.CharField(max_length=20, blank=True, editable=False)  # digits only, 0-prefixed
    # A letter carries a postal address and often nothing else: it identifies the complainant too (seed 003 5a).
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    language = models.CharField(max_length=8, default="id")
    # The object: what it is about, and a reference to a record when known (e.g. "certificate:123").
    object_text = models.CharField(_("object of the complaint"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    scheme_code = models.CharField(_("scheme code"), max_length=100, blank=True)
    service_date = models.DateField(_("date the service was received"), null=True, blank=True)
    message = models.TextField(pgettext_lazy("complaint", "message"))
    # The officer's classification.
    service = models.CharField(_("service"), max_length=20, choices=Service.choices, blank=True)
    component = models.CharField(_("component of the service standard"), max_length=20,
                                 choices=Component.choices, blank=True)
    # Analysis (seed 003 item 6, point 6).
    core_problem = models.TextField(_("core problem"), blank=True)
    standard_concerned = models.TextField(_("standard or rule concerned"), blank=True)
    earlier_records = models.TextField(_("earlier records on the same matter"), blank=True)
    planned_handling = models.TextField(_("planned handling"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    # Resolution route (point 7).
    route = models.CharField(_("route"), max_length=12, choices=Route.choices, blank=True)
    route_detail = models.CharField(_("team, agency or auditor"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("escalation level"), choices=Level.choices, null=True, blank=True)
    apip_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("APIP approved by"))
    apip_approved_at = models.DateTimeField(_("APIP approved at"), null=True, blank=True)
    apip_approval_note = models.TextField(_("approval note"), blank=True)
    # Answer and report (point 8).
    answer = models.TextField(_("answer to the complainant"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    superior_report = models.TextField(_("report to the superior"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        indexes = [
            # the staff list in its order: its first page is 25 index entries, not a sort of every complaint
            models.Index(F("received_at").desc(), F("id").desc(), name="complaint_list_order_idx"),
            models.Index(fields=["status", "received_at"], name="complaint_status_idx"),
            models.Index(fields=["email"], name="complaint_email_idx"),
            models.Index(fields=["phone_key"], name="complaint_phone_idx"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    def save(self, *args, **kwargs):
        self.phone_key = phone_key(self.phone)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("complaints:detail", args=[self.pk])

    def tracking_url(self) -> str:
        from django.urls import reverse

        return reverse("complaints:track", args=[self.secret])

    @property
    def rule_explanation(self) -> str:
        return Rule(self.rule).label if self.rule else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def can_escalate(self) -> bool:
        return self.status == Status.ROUTED and self.route != Route.APIP and (self.level or 0) < Level.HEAD


class Attachment(StoredFile):
    upload_prefix = "complaints"
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]


# The portal's own lines on a tracking page, by code: stored as the code and its parameters (choice values, a
# number), read in the reader's language, like the audit trail. Parameters name choices by value.
UPDATE_MESSAGES = {
    "acknowledged": _("We received your report as %(kind)s %(number)s. We will follow it up within 3 working days "
                      "and answer within 14 working days."),
    "classified": _("Your report has been examined and classified (%(component)s)."),
    "analysing": _("We are analysing your complaint."),
    "routed": _("Your complaint is being resolved: %(route)s."),
    "closed": _("Your report has been formally closed. Thank you."),
}
UPDATE_PARAMETERS = {"kind": lambda v: str(Kind(v).label).lower(), "component": lambda v: Component(v).label,
                     "route": lambda v: Route(v).label}


class Update(models.Model):
    """A line on the complainant's tracking page: acknowledgement, progress, answer, closing. The portal's own
    lines keep a ``code`` and its ``params`` (shown in the reader's language, :attr:`message`); what an officer
    wrote (an answer, a progress note, a closing note) is kept as written in ``text``."""

    class Kind(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        PROGRESS = "progress", _("Progress")
        ANSWER = "answer", _("Answer")
        CLOSED = "closed", _("Closed")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    code = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.complaint} {self.kind}"

    @property
    def message(self) -> str:
        """The line in the active language (a code's message), or the text as written."""
        template = UPDATE_MESSAGES.get(self.code)
        if template is None:
            return self.text
        values = {}
        for name, value in self.params.items():
            try:
                values[name] = UPDATE_PARAMETERS[name](value) if name in UPDATE_PARAMETERS else value
            except ValueError:  # a choice removed since: its stored value
                values[name] = value
        return str(template) % values


# --- satisfaction survey (PermenPANRB 14/2017) ------------------------------------------------------


class SurveyInvitation(models.Model):
    """One per delivery ``reference`` (a certificate, a result letter, a closed complaint)."""

    reference = models.CharField(_("reference"), max_length=100, unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=200, blank=True)
    scheme_code = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=8, default="id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return self.reference


class SurveyResponse(models.Model):
    """One respondent's nine answers (1–4). Reports use only the scores and the comment, never who answered."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    invitation = models.OneToOneField(SurveyInvitation, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="response")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ONLINE)
    answered_on = models.DateField(_("date"), default=timezone.localdate)
    scheme_code = models.CharField(_("scheme code"), max_length=100, blank=True)
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_on", "-id"]
        indexes = [models.Index(fields=["answered_on"], name="skm_answered_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"u{i}__gte": 1 for i in range(1, 10)})
                & models.Q(**{f"u{i}__lte": 4 for i in range(1, 10)}),
                name="skm_scores_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return f"SKM {self.answered_on}"

    def scores(self) -> list[int]:
        return [getattr(self, f"u{i}") for i in range(1, 10)]


class PaperSurveyImport(models.Model):
    """One imported paper-survey file. Its hash and the hash of its rows are unique: importing the same file, or
    the same answers in another file (re-saved, rows reordered), is refused instead of doubling the respondents."""

    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_hash = models.CharField(max_length=64, unique=True)
    rows_hash = models.CharField(max_length=64, unique=True)
    rows = models.PositiveIntegerField(_("rows"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("paper survey import")
        verbose_name_plural = _("paper survey imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"
