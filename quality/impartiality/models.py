"""The impartiality committee, the yearly threat analysis with its threats, and the declarations of interest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 2000


class CommitteeMember(models.Model):
    """A member of the LSP's impartiality committee (17024 5.2): a portal user or a named outsider, the interest
    they represent and their term."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="impartiality_memberships")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position in the committee"), max_length=200)
    interest = models.CharField(_("interest represented"), max_length=200)
    term_from = models.DateField(_("term from"))
    term_to = models.DateField(_("term to"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-term_to", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(term_to__gte=models.F("term_from")),
                                              name="quality_committee_term_order")]

    def __str__(self) -> str:
        return self.name


class ThreatAnalysis(models.Model):
    """The yearly analysis of the threats to the LSP's impartiality (17024 4.3.3), approved once complete."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    review_on = models.DateField(_("review date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(_("Threat analysis %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("quality:threat-analysis", args=[self.pk])


class Threat(models.Model):
    class Source(models.TextChoices):
        SELF_INTEREST = "self_interest", _("Self-interest")
        SELF_REVIEW = "self_review", _("Self-review")
        FAMILIARITY = "familiarity", _("Familiarity (relationships)")
        INTIMIDATION = "intimidation", _("Intimidation")
        FINANCIAL = "financial", _("Financial or commercial pressure")
        TRAINING = "training", _("Training and certification by the same people")

    class Level(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    analysis = models.ForeignKey(ThreatAnalysis, on_delete=models.CASCADE, related_name="threats")
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    threat = models.TextField(_("threat"), max_length=TEXT_MAX)
    level = models.CharField(_("threat level"), max_length=10, choices=Level.choices)
    measure = models.TextField(_("measure"), max_length=TEXT_MAX)
    evidence = models.TextField(_("evidence that the measure works"), max_length=TEXT_MAX, blank=True)
    evidence_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    evidence_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.threat[:60]}"


class CommitteeMeeting(models.Model):
    """A meeting of the impartiality committee (17024 5.2): who attended, the agenda, the minutes, and the threat
    analysis it endorsed, if any. Recorded once it has been held."""

    held_on = models.DateField(_("meeting date"))
    attendees = models.ManyToManyField(CommitteeMember, verbose_name=_("members present"), related_name="meetings")
    agenda = models.TextField(_("agenda"), max_length=TEXT_MAX)
    minutes = models.TextField(_("minutes"), max_length=TEXT_MAX * 5)
    endorsed = models.ForeignKey(ThreatAnalysis, verbose_name=_("threat analysis endorsed"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="endorsements")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        from certportal.dates import day

        return str(_("Impartiality committee meeting of %(date)s") % {"date": day(self.held_on)})


class Declaration(models.Model):
    """A person's declaration of interest and confidentiality, signed with their typed name, valid for a year."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations")
    interests = models.TextField(_("interests declared"), max_length=TEXT_MAX, blank=True)
    statement = models.TextField(_("statement signed"))
    signed_name = models.CharField(_("typed name"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        ordering = ["-signed_at"]
        indexes = [models.Index(fields=["user", "valid_until"], name="quality_decl_user_until")]
        constraints = [models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")),
                                              name="quality_declaration_period_order")]

    def __str__(self) -> str:
        return f"{self.signed_name} ({self.valid_from} – {self.valid_until})"
